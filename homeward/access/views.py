"""Emergency access and sharing a child's record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.access import actions, selectors
from homeward.access.forms import BreakGlassForm, ShareForm
from homeward.cases.selectors import active_sharing_consents
from homeward.core.forms import add_action_errors
from homeward.registry.selectors import child_get


def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = selectors.child_by_case_number_unscoped(form.cleaned_data["case_number"])
            actions.break_glass_open(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                reason=form.cleaned_data["reason"],
            )
        except Http404:
            form.add_error("case_number", _("No child has this case number."))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.warning(request, _("Emergency access is open for a few hours and recorded."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    grants = selectors.break_glass_for_user(request.user)[:100]
    return render(
        request,
        "access/break_glass.html",
        {"form": form, "grants": grants},
        status=422 if form.errors else 200,
    )


def share_create(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    form = ShareForm(request.POST or None, consents=active_sharing_consents(child))
    if request.method == "POST" and form.is_valid():
        try:
            actions.share_create(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                consent=form.cleaned_data["consent"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The record is shared."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "access/share_form.html",
        {"form": form, "child": child},
        status=422 if form.errors else 200,
    )


@require_POST
def share_revoke(request: HttpRequest, share_uuid: str) -> HttpResponse:
    share = selectors.share_get(request.user, share_uuid)
    actions.share_revoke(actor=request.user, share=share)  # type: ignore[arg-type]
    messages.success(request, _("Sharing stopped."))
    return redirect("registry:child_detail", child_uuid=share.child.uuid)
