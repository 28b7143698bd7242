"""Checking a set of answers against a template's definition: one pure function that the
form, the API and the actions all use, so that every door refuses the same things."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.assessments.definition import (
    MULTILINE_MAX_LENGTH,
    NUMBER_LIMIT,
    TEXT_MAX_LENGTH,
    condition_met,
    is_number,
    option_values,
    top_fields,
)
from homeward.core.validators import (
    reject_control_characters,
    reject_control_characters_single_line,
)

EARLIEST_DATE = datetime.date(1900, 1, 1)


@dataclass
class Checked:
    """The answers as stored (typed, empty ones left out) and the errors by field path.

    A path is the field's key, or ``group.<index>.key`` inside a repeating group.
    """

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def validate_answers(
    definition: Mapping[str, Any],
    answers: Any,
    *,
    complete: bool,
    today: datetime.date | None = None,
) -> Checked:
    """Check answers; ``complete`` adds the checks of a submission (required answers, minimum
    entries). A conditional question answered while its condition is false is an error, not
    silently dropped: the server decides what applies."""
    result = Checked()
    if not isinstance(answers, Mapping):
        result.errors["answers"] = [_("Send the answers as a JSON object.")]
        return result
    today = today or timezone.localdate()
    fields = list(top_fields(definition))
    known = {f["key"] for f in fields}
    for key in answers:
        if key not in known:
            result.errors[str(key)] = [_("This form has no such question.")]
    broken: set[str] = set()
    for spec in fields:
        _check(
            spec,
            answers.get(spec["key"]),
            path=spec["key"],
            scope=result.answers,
            siblings=frozenset(),
            outer=result.answers,
            broken=broken,
            complete=complete,
            today=today,
            errors=result.errors,
        )
    return result


def _check(
    spec: Mapping[str, Any],
    raw: Any,
    *,
    path: str,
    scope: dict[str, Any],
    siblings: frozenset[str],
    outer: Mapping[str, Any],
    broken: set[str],
    complete: bool,
    today: datetime.date,
    errors: dict[str, list[str]],
) -> None:
    """Check one answer and, when it is valid, put its stored form into ``scope``."""
    condition = spec.get("show_if")
    if condition is not None:
        controller = condition["field"]
        if controller in broken:
            return  # decided once the controlling answer is valid
        # Inside a group a condition looks at its own entry first, then at the whole form.
        source = scope if controller in siblings else outer
        if not condition_met(condition, source.get(controller)):
            if not is_empty(raw):
                errors[path] = [
                    _("This question does not apply with the answers given above: leave it empty.")
                ]
            return
    if is_empty(raw):
        if complete and _required(spec):
            errors[path] = [
                _at_least(_min_items(spec))
                if spec["type"] == "group"
                else _("Answer this question.")
            ]
        return
    try:
        if spec["type"] == "group":
            scope[spec["key"]] = _group(
                spec,
                raw,
                path=path,
                outer=outer,
                outer_broken=broken,
                complete=complete,
                today=today,
                errors=errors,
            )
        else:
            scope[spec["key"]] = _clean(spec, raw, today)
    except _Invalid as invalid:
        errors[path] = [invalid.message]
        broken.add(spec["key"])


def _required(spec: Mapping[str, Any]) -> bool:
    return bool(spec.get("required")) or (spec["type"] == "group" and _min_items(spec) > 0)


def _at_least(count: int) -> str:
    return ngettext("Add at least %(count)d entry.", "Add at least %(count)d entries.", count) % {
        "count": count
    }


def _min_items(spec: Mapping[str, Any]) -> int:
    return max(int(spec.get("min_items", 0)), 1 if spec.get("required") else 0)


def _group(
    spec: Mapping[str, Any],
    raw: Any,
    *,
    path: str,
    outer: Mapping[str, Any],
    outer_broken: set[str],
    complete: bool,
    today: datetime.date,
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise _Invalid(_("Send the entries as a list of JSON objects."))
    # An entry left wholly empty is no entry (the form always offers one blank).
    items = [item for item in raw if not all(is_empty(v) for v in item.values())]
    most = int(spec.get("max_items", 20))
    if len(items) > most:
        raise _Invalid(
            ngettext("Give at most %(count)d entry.", "Give at most %(count)d entries.", most)
            % {"count": most}
        )
    if complete and len(items) < _min_items(spec):
        errors[path] = [_at_least(_min_items(spec))]
    subfields = spec["fields"]
    known = frozenset(sub["key"] for sub in subfields)
    cleaned_items: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        for name in item:
            if name not in known:
                errors[f"{path}.{index}.{name}"] = [_("This form has no such question.")]
        cleaned: dict[str, Any] = {}
        broken = {key for key in outer_broken if key not in known}
        for sub in subfields:
            _check(
                sub,
                item.get(sub["key"]),
                path=f"{path}.{index}.{sub['key']}",
                scope=cleaned,
                siblings=known,
                outer=outer,
                broken=broken,
                complete=complete,
                today=today,
                errors=errors,
            )
        cleaned_items.append(cleaned)
    return cleaned_items


def _clean(spec: Mapping[str, Any], raw: Any, today: datetime.date) -> Any:
    kind = spec["type"]
    if kind == "text":
        return _text(spec, raw)
    if kind == "number":
        return _number(spec, raw)
    if kind == "scale":
        return _scale(spec, raw)
    if kind == "date":
        return _date(spec, raw, today)
    if kind == "yesno":
        return _yesno(raw)
    if kind == "choice":
        if not isinstance(raw, str) or raw not in option_values(spec):
            raise _Invalid(_("Choose one of the options."))
        return raw
    if kind == "multichoice":
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise _Invalid(_("Choose from the options (send a list)."))
        allowed = option_values(spec)
        if any(v not in allowed for v in raw):
            raise _Invalid(_("Choose only from the options."))
        return [v for v in allowed if v in raw]  # the form's order, each once
    raise _Invalid(_("This form has no such question."))


def _text(spec: Mapping[str, Any], raw: Any) -> str:
    if not isinstance(raw, str):
        raise _Invalid(_("Enter text."))
    value = raw.strip()
    multiline = bool(spec.get("multiline"))
    limit = int(spec.get("max_length", MULTILINE_MAX_LENGTH if multiline else TEXT_MAX_LENGTH))
    if len(value) > limit:
        raise _Invalid(_("Shorten this to at most %(count)d characters.") % {"count": limit})
    try:
        (reject_control_characters if multiline else reject_control_characters_single_line)(value)
    except ValidationError as error:
        raise _Invalid(error.messages[0]) from error
    return value


def _to_number(raw: Any) -> float | int:
    if is_number(raw):
        value: float | int = raw
    elif isinstance(raw, str):
        # People type "2,5" and "12 500" as often as "2.5" and "12500".
        text = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            value = int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError as error:
            raise _Invalid(_("Enter a number.")) from error
    else:
        raise _Invalid(_("Enter a number."))
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise _Invalid(_("Enter a number."))
    if abs(value) > NUMBER_LIMIT:
        raise _Invalid(_("This number is too large."))
    return value


def _number(spec: Mapping[str, Any], raw: Any) -> int | float:
    value = _to_number(raw)
    if float(value).is_integer():
        value = int(value)
    elif spec.get("integer"):
        raise _Invalid(_("Enter a whole number."))
    low, high = spec.get("min"), spec.get("max")
    if low is not None and high is not None and not low <= value <= high:
        raise _Invalid(_("Enter a number from %(min)s to %(max)s.") % {"min": low, "max": high})
    if low is not None and value < low:
        raise _Invalid(_("Enter a number of at least %(min)s.") % {"min": low})
    if high is not None and value > high:
        raise _Invalid(_("Enter a number of at most %(max)s.") % {"max": high})
    return value


def _scale(spec: Mapping[str, Any], raw: Any) -> int:
    low, high = int(spec["min"]), int(spec["max"])
    message = _("Choose a value from %(min)d to %(max)d.") % {"min": low, "max": high}
    try:
        value = _to_number(raw)
    except _Invalid as error:
        raise _Invalid(message) from error
    if not float(value).is_integer() or not low <= value <= high:
        raise _Invalid(message)
    return int(value)


def _date(spec: Mapping[str, Any], raw: Any, today: datetime.date) -> str:
    if not isinstance(raw, str) or len(raw.strip()) != 10:
        raise _Invalid(_("Enter a valid date (YYYY-MM-DD)."))
    try:
        value = datetime.date.fromisoformat(raw.strip())
    except ValueError as error:
        raise _Invalid(_("Enter a valid date (YYYY-MM-DD).")) from error
    if value < EARLIEST_DATE:
        raise _Invalid(_("The date cannot be before 1900."))
    if spec.get("not_future") and value > today:
        raise _Invalid(_("The date cannot be in the future."))
    return value.isoformat()


def _yesno(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"yes", "true"}:
        return True
    if isinstance(raw, str) and raw.strip().lower() in {"no", "false"}:
        return False
    raise _Invalid(_("Answer yes or no."))
