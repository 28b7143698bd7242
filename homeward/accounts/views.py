"""Second factor, and the account security page."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from homeward.accounts import actions
from homeward.accounts.forms import CodeForm
from homeward.accounts.models import ApiToken, User
from homeward.accounts.security import has_second_factor
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.core.forms import add_action_errors


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_data_uri(text: str) -> str:
    svg = segno.make(text, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify with an authenticator or recovery code; enrol an authenticator first if none."""
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST or None)
    if not has_second_factor(user):
        device = actions.totp_pending_device(user=user)
        if request.method == "POST" and form.is_valid():
            try:
                codes = actions.second_factor_confirm(
                    user=user, device=device, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                otp_login(request, device)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        return render(
            request,
            "accounts/two_factor_setup.html",
            {
                "form": form,
                "secret": secret,
                "qr": _qr_data_uri(device.config_url),
                "next": _next_url(request),
            },
            status=422 if form.errors else 200,
        )
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user, detail="passed")
            return redirect(_next_url(request))
        audit_record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user, detail="failed")
        form.add_error("code", _("This code is not right."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=422 if form.errors else 200,
    )


def security(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")[:50]
    return render(request, "accounts/security.html", {"tokens": tokens, "now": timezone.now()})


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    actions.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:security")


@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = actions.recovery_codes_regenerate(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})


@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    actions.user_logout_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You are logged out on every device."))
    return redirect("accounts:login")
