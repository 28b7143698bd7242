"""Typed access to the signed-in user of a request (the access middleware guarantees one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from homeward.accounts.models import User


def actor_of(request: HttpRequest) -> User:
    """The user behind a request that passed the access middleware's login check."""
    return cast("User", request.user)
