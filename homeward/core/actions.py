"""Small checks and formats the actions of every app share."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _


def check_fields(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse fields an action does not take (API callers may send anything)."""
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )


def short_date(day: datetime.date) -> str:
    """A date in the user's language, for messages."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")
