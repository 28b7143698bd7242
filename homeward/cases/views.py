"""Recording and withdrawing consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.cases import actions, selectors
from homeward.cases.forms import ConsentForm, WithdrawForm
from homeward.core.forms import add_action_errors
from homeward.registry.selectors import child_get


def consent_create(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_record(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "cases/consent_form.html",
        {"form": form, "child": child},
        status=422 if form.errors else 200,
    )


def consent_withdraw(request: HttpRequest, consent_uuid: str) -> HttpResponse:
    consent = selectors.consent_get(request.user, consent_uuid)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_withdraw(
                actor=request.user,  # type: ignore[arg-type]
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Consent withdrawn: sharing based on it has stopped."))
            return redirect("registry:child_detail", child_uuid=consent.child.uuid)
    return render(
        request,
        "cases/withdraw_form.html",
        {"form": form, "consent": consent},
        status=422 if form.errors else 200,
    )
