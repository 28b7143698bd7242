"""Errors that actions raise and both doors (web and API) turn into clear messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleVersionError(ValidationError):
    """Someone else saved the record after this user loaded it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it. "
                "Reload the page to see their changes, then make yours again."
            ),
            code="stale_version",
        )


def check_version(current: int, submitted: int | None) -> None:
    """Refuse a save based on an older version of the record."""
    if submitted is not None and submitted != current:
        raise StaleVersionError()
