from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import match_token
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from homeward.accounts.actions import token_revoke
from homeward.accounts.security import has_second_factor
from homeward.accounts.tokens import token_issue
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)
    otp: str = Field(
        "", max_length=20, description="Second-factor code (authenticator or recovery)."
    )


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post("/token", response=TokenOut, auth=None, url_name="auth_token")
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """Exchange a user name, password and second-factor code for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        audit_record(actor=None, action=AuditAction.LOCKED_OUT, username=payload.username)
        raise HttpError(403, _("Too many failed attempts: the account is locked for a while."))
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password."))
    if settings.REQUIRE_SECOND_FACTOR:
        if not has_second_factor(user):
            raise HttpError(
                401, _("Set up the second factor in the web application before using the API.")
            )
        if not payload.otp or match_token(user, payload.otp.replace(" ", "")) is None:
            audit_record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user, detail="failed")
            raise HttpError(401, _("A valid second-factor code is required."))
    raw, token = token_issue(user=user)
    audit_record(actor=user, action=AuditAction.TOKEN, obj=user, detail="issued")
    return {"token": raw, "expires_at": token.expires_at.isoformat()}


@router.delete("/token", response={204: None}, url_name="auth_token")
def token_delete(request: HttpRequest) -> tuple[int, Any]:
    """Revoke the token this request was made with."""
    token_revoke(actor=request.user, token=request.user.api_token)  # type: ignore[arg-type,union-attr]
    return 204, None
