from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from homeward.accounts.tokens import token_issue

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post("/token", response=TokenOut, auth=None, url_name="auth_token")
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """Exchange a username and password for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password."))
    raw, token = token_issue(user=user)
    return {"token": raw, "expires_at": token.expires_at.isoformat()}
