"""Web pages of the register. Views validate, call a selector or an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.access.scoping import writable_agencies
from homeward.access.selectors import shares_of
from homeward.audit.selectors import record_viewers
from homeward.care.selectors import care_history, decisions_of
from homeward.cases.selectors import case_for_child, consents_of
from homeward.core.forms import add_action_errors
from homeward.core.paging import COUNT_CAP, paginate, query_without_page
from homeward.institutions.selectors import child_residences
from homeward.registry import actions, selectors
from homeward.registry.forms import (
    ChildFilterForm,
    ChildForm,
    ChildRegisterForm,
    HouseholdForm,
    PersonForm,
    RelativeForm,
)
from homeward.registry.models import FunctionalDomain
from homeward.registry.subject_access import subject_access_export


def child_list(request: HttpRequest) -> HttpResponse:
    form = ChildFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        # a filter that cannot be read is shown with its error, never silently dropped
        children = selectors.child_list(
            request.user, form.filters() if form.is_bound else selectors.ChildFilters()
        )
        page = paginate(request, children, count_cap=COUNT_CAP)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_register": has_perm(request.user, Perm.CHILD_CREATE),
    }
    template = "registry/child_list.html"
    if request.htmx and request.htmx.target == "child-results":  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def child_create(request: HttpRequest) -> HttpResponse:
    agencies = writable_agencies(request.user)
    if not agencies.exists():
        return render(request, "errors/403.html", status=403)
    form = ChildRegisterForm(request.POST or None, agencies=agencies)
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.child_duplicates(
            request.user,
            family_name=data["family_name"],
            given_name=data["given_name"],
            date_of_birth=data["date_of_birth"],
            date_of_birth_estimated=data["date_of_birth_estimated"],
            sex=data["sex"],
        )
        if not duplicates or data["not_a_duplicate"]:
            try:
                child = actions.child_register(
                    actor=request.user,  # type: ignore[arg-type]
                    agency=data["agency"],
                    data=form.action_data(),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered with case number %(number)s.")
                    % {"name": child.full_name, "number": child.case_number},
                )
                return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "registry/child_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
        status=422 if request.method == "POST" and (form.errors or duplicates) else 200,
    )


def child_detail(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = selectors.child_get(request.user, child_uuid)
    domains = dict(FunctionalDomain.choices)
    user = request.user
    sensitive = selectors.can_see_sensitive(user, child)
    context = {
        "child": child,
        "sensitive": sensitive,
        "domain_labels": [domains.get(code, code) for code in child.disability_domains or []]
        if sensitive
        else [],
        "consents": consents_of(child) if has_perm(user, Perm.CONSENT_MANAGE) else None,
        "shares": shares_of(user, child) if has_perm(user, Perm.SHARE_MANAGE) else None,
        "viewers": record_viewers(user, child)[:20] if has_perm(user, Perm.AUDIT_VIEW) else None,
        "can_export": has_perm(user, Perm.SUBJECT_ACCESS),
        "case": case_for_child(user, child),
        "care_history": care_history(child),
        "decisions": decisions_of(child),
        "can_place": has_perm(user, Perm.PLACEMENT_MANAGE),
        "relationships": selectors.child_relationships(request.user, child),
        "residences": child_residences(request.user, child),
    }
    return render(request, "registry/child_detail.html", context)


def child_subject_access(request: HttpRequest, child_uuid: str) -> HttpResponse:
    """The child's own record as PDF (default) or JSON, for a subject-access request."""
    child = selectors.child_get(request.user, child_uuid)
    fmt = "json" if request.GET.get("format") == "json" else "pdf"
    body, content_type, filename = subject_access_export(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        fmt=fmt,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def child_update(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = selectors.child_get(request.user, child_uuid)
    form = ChildForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        try:
            actions.child_update(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                version=form.cleaned_data.get("version"),
                changes=form.action_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "registry/child_form.html",
        {"form": form, "child": child, "creating": False},
        status=422 if form.errors else 200,
    )


def child_relative_add(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = selectors.child_get(request.user, child_uuid)
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.child_relative_register(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                kind=form.cleaned_data["kind"],
                lives_with_child=form.cleaned_data["lives_with_child"],
                person_data=form.action_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Relative added."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "registry/relative_form.html",
        {"form": form, "child": child},
        status=422 if form.errors else 200,
    )


def household_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = paginate(request, selectors.household_list(request.user, q))
    return render(
        request,
        "registry/household_list.html",
        {"page": page, "q": q, "query": query_without_page(request)},
    )


def household_create(request: HttpRequest) -> HttpResponse:
    """A new household; with ?child=<uuid>, the child joins it."""
    child = None
    child_uuid = request.GET.get("child") or request.POST.get("child")
    if child_uuid:
        child = selectors.child_get(request.user, child_uuid)
    agencies = writable_agencies(request.user)
    agency = child.agency if child is not None else agencies.first()
    if agency is None:
        return render(request, "errors/403.html", status=403)
    initial: dict[str, str] = {}
    if child is not None:
        initial = {"name": _("%(family)s family") % {"family": child.family_name}}
        initial["location"] = child.home_location.code
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.household_create(
                actor=request.user,  # type: ignore[arg-type]
                agency=agency,
                data=form.action_data(),
            )
            if child is not None:
                actions.child_household_set(
                    actor=request.user,  # type: ignore[arg-type]
                    child=child,
                    household=household,
                )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Household saved."))
            return redirect("registry:household_detail", household_uuid=household.uuid)
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "child": child},
        status=422 if form.errors else 200,
    )


def household_detail(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.household_get(request.user, household_uuid)
    return render(request, "registry/household_detail.html", {"household": household})


def household_update(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.household_get(request.user, household_uuid)
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            actions.household_update(
                actor=request.user,  # type: ignore[arg-type]
                household=household,
                version=form.cleaned_data.get("version"),
                changes=form.action_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:household_detail", household_uuid=household.uuid)
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "household": household},
        status=422 if form.errors else 200,
    )


def person_detail(request: HttpRequest, person_uuid: str) -> HttpResponse:
    person = selectors.person_get(request.user, person_uuid)
    visible = selectors.children_for_user(request.user).values("pk")
    relationships = person.relationships.filter(child__in=visible).select_related("child")
    return render(
        request,
        "registry/person_detail.html",
        {"person": person, "relationships": relationships},
    )


def person_update(request: HttpRequest, person_uuid: str) -> HttpResponse:
    person = selectors.person_get(request.user, person_uuid)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_update(
                actor=request.user,  # type: ignore[arg-type]
                person=person,
                version=form.cleaned_data.get("version"),
                changes=form.action_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:person_detail", person_uuid=person.uuid)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "person": person},
        status=422 if form.errors else 200,
    )
