"""Validation of free text arriving from forms, the API and imports."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Unicode categories Cc (controls), Cs (surrogates) and Co (private use), less the line
# breaks and tabs of free text: one regular expression instead of a category look-up per
# character (imports validate hundreds of thousands of names).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
LINE_BREAK_OR_TAB = re.compile("[\n\r\t]")


def reject_control_characters(value: str) -> None:
    """Names and notes never carry control characters (NUL, escape sequences...)."""
    if CONTROL.search(value):
        raise ValidationError(
            _("Remove the control characters from this text."), code="control_characters"
        )


def reject_control_characters_single_line(value: str) -> None:
    """A single-line value (a name) may not contain line breaks or tabs either."""
    if LINE_BREAK_OR_TAB.search(value):
        raise ValidationError(_("This field must be on one line."), code="control_characters")
    reject_control_characters(value)


EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def validate_birth_date(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("The date of birth cannot be before 1900."), code="too_early")
