"""Whether a signed-in user has passed the second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
