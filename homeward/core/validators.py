"""Validation of free text arriving from forms, the API and imports."""

from __future__ import annotations

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROL = {"\n", "\r", "\t"}


def reject_control_characters(value: str) -> None:
    """Names and notes never carry control characters (NUL, escape sequences...)."""
    for char in value:
        if char in ALLOWED_CONTROL:
            continue
        if unicodedata.category(char) in {"Cc", "Cs", "Co"}:
            raise ValidationError(
                _("Remove the control characters from this text."), code="control_characters"
            )


def reject_control_characters_single_line(value: str) -> None:
    """A single-line value (a name) may not contain line breaks or tabs either."""
    if any(c in ALLOWED_CONTROL for c in value):
        raise ValidationError(_("This field must be on one line."), code="control_characters")
    reject_control_characters(value)


EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def validate_birth_date(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("The date of birth cannot be before 1900."), code="too_early")
