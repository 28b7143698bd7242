from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.core.forms import add_action_errors
from homeward.core.paging import paginate, query_without_page
from homeward.institutions import actions, selectors
from homeward.institutions.forms import AdmitForm, DischargeForm
from homeward.registry.selectors import children_for_user


def institution_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = paginate(request, selectors.institution_list(request.user, q))
    return render(
        request,
        "institutions/institution_list.html",
        {"page": page, "q": q, "query": query_without_page(request)},
    )


def institution_detail(request: HttpRequest, institution_uuid: str) -> HttpResponse:
    institution = selectors.institution_get(request.user, institution_uuid)
    residents = selectors.institution_residents(request.user, institution)
    context = {
        "institution": institution,
        "residents": residents if has_perm(request.user, Perm.CHILD_VIEW) else None,
        "can_manage_residents": has_perm(request.user, Perm.RESIDENT_MANAGE),
        "admit_form": AdmitForm(),
    }
    return render(request, "institutions/institution_detail.html", context)


def resident_admit(request: HttpRequest, institution_uuid: str) -> HttpResponse:
    institution = selectors.institution_get(request.user, institution_uuid)
    form = AdmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = (
            children_for_user(request.user)
            .filter(case_number__iexact=form.cleaned_data["child"].strip())
            .first()
        )
        if child is None:
            form.add_error("child", _("No child with this case number is in your records."))
        else:
            try:
                actions.resident_admit(
                    actor=request.user,  # type: ignore[arg-type]
                    institution=institution,
                    child=child,
                    admitted_on=form.cleaned_data["admitted_on"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("%(name)s admitted.") % {"name": child.full_name})
                return redirect("institutions:institution_detail", institution.uuid)
    return render(
        request,
        "institutions/admit_form.html",
        {"form": form, "institution": institution},
        status=422 if form.errors else 200,
    )


def resident_discharge(request: HttpRequest, residence_uuid: str) -> HttpResponse:
    residence = selectors.residence_get(request.user, residence_uuid)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.resident_discharge(
                actor=request.user,  # type: ignore[arg-type]
                residence=residence,
                left_on=form.cleaned_data["left_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The stay is recorded as ended."))
            return redirect("registry:child_detail", residence.child.uuid)
    return render(
        request,
        "institutions/discharge_form.html",
        {"form": form, "residence": residence},
        status=422 if form.errors else 200,
    )
