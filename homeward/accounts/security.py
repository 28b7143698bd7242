"""Whether a signed-in user has passed the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django_otp import user_has_device


def second_factor_satisfied(user: Any) -> bool:
    if not settings.REQUIRE_SECOND_FACTOR:
        return True
    # Bearer tokens are issued only after the second factor (see accounts/api.py).
    if getattr(user, "authenticated_by_token", False):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_second_factor(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


RENEWED_AT = "_homeward_renewed_at"


class SessionRenewalMiddleware:
    """The inactivity timeout without a database write on every request.

    A signed-in session is renewed (saved, which moves its expiry to SESSION_COOKIE_AGE
    from now) when its last renewal is older than SESSION_RENEW_SECONDS, rather than on
    every request: a session then ends between SESSION_COOKIE_AGE minus that interval
    and SESSION_COOKIE_AGE after its last request. Placed after SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:  # signed in (an expired cookie is left alone)
            now = int(time.time())
            if now - int(session.get(RENEWED_AT, 0)) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now
        return self.get_response(request)


def renewed_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Logging in saves the session: it counts as its first renewal."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = int(time.time())
