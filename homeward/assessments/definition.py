"""What an assessment template's definition may say, and the checks an administrator's edit
must pass before it becomes a new version.

A definition is JSON::

    {"sections": [{"key", "title", "help"?, "fields": [field, ...]}, ...],
     "scores": [{"key", "label", "method": "sum"|"mean", "fields", "better"?, "levels"?}],
     "case_risk_score": "<score key>"?}

A field has ``key``, ``type``, ``label``, and as its type allows ``help``, ``required``,
``options`` (``value``, ``label``, ``score``), ``min``/``max``, ``integer``, ``multiline``,
``max_length``, ``not_future``, ``points`` (yes/no), ``better`` ("higher"/"lower", for
comparisons), ``show_if`` (``field`` with ``equals`` or ``in``) and, for a repeating group,
``fields``, ``min_items`` and ``max_items``. Every text is ``{"en", "ru", "be", "bg"}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGES = ("en", "ru", "be", "bg")
FIELD_TYPES = ("text", "number", "date", "choice", "multichoice", "yesno", "scale", "group")
SCORABLE = frozenset({"number", "scale", "choice", "multichoice", "yesno"})
KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")

TEXT_MAX_LENGTH = 2000
MULTILINE_MAX_LENGTH = 10_000
GROUP_MAX_ITEMS = 50
NUMBER_LIMIT = 10**12

_FIELD_KEYS = {
    "key",
    "type",
    "label",
    "help",
    "required",
    "options",
    "min",
    "max",
    "integer",
    "multiline",
    "max_length",
    "not_future",
    "points",
    "better",
    "show_if",
    "fields",
    "min_items",
    "max_items",
}
_SECTION_KEYS = {"key", "title", "help", "fields"}
_SCORE_KEYS = {"key", "label", "method", "fields", "better", "levels"}
_DEFINITION_KEYS = {"sections", "scores", "case_risk_score"}
RISK_LEVELS = frozenset({"high", "medium", "low"})


def language() -> str:
    return (get_language() or "en").split("-")[0].lower()


def tr(text: Any, lang: str | None = None) -> str:
    """The text in the user's language, else English, else any."""
    if isinstance(text, str):
        return text
    if not isinstance(text, Mapping) or not text:
        return ""
    lang = lang or language()
    value = text.get(lang) or text.get("en") or next(iter(text.values()), "")
    return str(value)


def top_fields(definition: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The top-level fields of every section, in order."""
    for section in definition.get("sections", []):
        yield from section.get("fields", [])


def fields_by_key(definition: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {field["key"]: field for field in top_fields(definition)}


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def condition_met(condition: Mapping[str, Any], value: Any) -> bool:
    """Whether a ``show_if`` holds for the controlling answer (absent answers never match).

    Against a multiple choice, the condition holds when any chosen option matches.
    """
    if value is None:
        return False
    targets = [condition["equals"]] if "equals" in condition else list(condition.get("in", []))
    chosen = value if isinstance(value, list) else [value]
    return any(same_answer(c, t) for c in chosen for t in targets)


def same_answer(a: Any, b: Any) -> bool:
    # bool is an int in Python: True must never equal 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def option_values(field: Mapping[str, Any]) -> list[Any]:
    return [option["value"] for option in field.get("options", [])]


# --- checking a definition --------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def texts(self, where: str, value: Any, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, dict) or any(
            not isinstance(value.get(lang), str) or not value[lang].strip() for lang in LANGUAGES
        ):
            self.add(where, _("give the text in English, Russian, Belarusian and Bulgarian."))
        elif set(value) - set(LANGUAGES):
            self.add(where, _("only the languages en, ru, be and bg are used."))

    def unknown(self, where: str, item: Mapping[str, Any], allowed: set[str]) -> None:
        extra = sorted(set(item) - allowed)
        if extra:
            self.add(where, _("unknown settings: %(names)s.") % {"names": ", ".join(extra)})

    def field(self, where: str, field: Any, earlier: Mapping[str, dict[str, Any]]) -> None:
        if not isinstance(field, dict):
            self.add(where, _("a question must be a JSON object."))
            return
        self.unknown(where, field, _FIELD_KEYS)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            self.add(
                where,
                _("the type must be one of: %(types)s.") % {"types": ", ".join(FIELD_TYPES)},
            )
            return
        self.texts(f"{where}.label", field.get("label"))
        self.texts(f"{where}.help", field.get("help"), optional=True)
        if not isinstance(field.get("required", False), bool):
            self.add(where, _("“required” must be true or false."))
        if kind in {"choice", "multichoice"}:
            self.options(where, field)
        if kind == "number":
            self.bounds(where, field, integers=False)
        if kind == "scale":
            self.scale(where, field)
        if kind == "text" and "max_length" in field:
            limit = field["max_length"]
            if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 20_000:
                self.add(where, _("“max_length” must be a whole number from 1 to 20000."))
        if kind == "yesno" and "points" in field:
            points = field["points"]
            if (
                not isinstance(points, dict)
                or set(points) != {"yes", "no"}
                or not all(is_number(v) for v in points.values())
            ):
                self.add(where, _("“points” must give a number for “yes” and for “no”."))
        if "better" in field:
            scorable = kind in {"number", "scale"} or (
                kind in {"choice", "yesno"}
                and (
                    "points" in field
                    or any("score" in o for o in field.get("options", []) if isinstance(o, dict))
                )
            )
            if field["better"] not in {"higher", "lower"} or not scorable:
                self.add(
                    where,
                    _("“better” is “higher” or “lower”, on a number, a scale or a scored answer."),
                )
        if "show_if" in field:
            self.show_if(where, field["show_if"], earlier)

    def options(self, where: str, field: Mapping[str, Any]) -> None:
        options = field.get("options")
        if not isinstance(options, list) or not options:
            self.add(where, _("a choice needs a list of options."))
            return
        seen: set[Any] = set()
        for index, option in enumerate(options):
            place = f"{where}.options[{index}]"
            if not isinstance(option, dict):
                self.add(place, _("an option must be a JSON object."))
                continue
            self.unknown(place, option, {"value", "label", "score"})
            value = option.get("value")
            if not isinstance(value, str) or not KEY.match(value):
                self.add(place, _("the value must be short lower-case letters, digits or _."))
            elif value in seen:
                self.add(place, _("the value “%(value)s” is repeated.") % {"value": value})
            seen.add(value)
            self.texts(f"{place}.label", option.get("label"))
            if "score" in option and not is_number(option["score"]):
                self.add(place, _("the score must be a number."))

    def bounds(self, where: str, field: Mapping[str, Any], *, integers: bool) -> None:
        low, high = field.get("min"), field.get("max")
        for name, value in (("min", low), ("max", high)):
            if value is None:
                continue
            if not is_number(value) or (integers and not isinstance(value, int)):
                self.add(where, _("“%(name)s” must be a number.") % {"name": name})
                return
            if abs(value) > NUMBER_LIMIT:
                self.add(where, _("“%(name)s” is too large.") % {"name": name})
                return
        if low is not None and high is not None and low >= high:
            self.add(where, _("“min” must be smaller than “max”."))
        if not isinstance(field.get("integer", False), bool):
            self.add(where, _("“integer” must be true or false."))

    def scale(self, where: str, field: Mapping[str, Any]) -> None:
        low, high = field.get("min"), field.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or isinstance(low, bool):
            self.add(where, _("a scale needs whole numbers “min” and “max”."))
            return
        if isinstance(high, bool) or not 0 < high - low <= 20:
            self.add(where, _("a scale runs upwards over 2 to 21 points."))
            return
        options = field.get("options", [])
        if not isinstance(options, list):
            self.add(where, _("the labels of a scale are a list."))
            return
        for index, option in enumerate(options):
            place = f"{where}.options[{index}]"
            if not isinstance(option, dict) or not isinstance(option.get("value"), int):
                self.add(place, _("each point of a scale has a whole-number value."))
                continue
            if not low <= option["value"] <= high:
                self.add(place, _("the point lies outside the scale."))
            self.texts(f"{place}.label", option.get("label"))

    def show_if(self, where: str, condition: Any, earlier: Mapping[str, dict[str, Any]]) -> None:
        place = f"{where}.show_if"
        if not isinstance(condition, dict) or ("equals" in condition) == ("in" in condition):
            self.add(place, _("give “field” and either “equals” or “in”."))
            return
        self.unknown(place, condition, {"field", "equals", "in"})
        controller = earlier.get(condition.get("field", ""))
        if controller is None:
            self.add(place, _("it must name a question that comes before it."))
            return
        if controller["type"] in {"group", "text", "date"}:
            self.add(place, _("a condition can depend on a choice, yes/no, scale or number only."))
            return
        targets = [condition["equals"]] if "equals" in condition else condition["in"]
        if not isinstance(targets, list) or not targets:
            self.add(place, _("“in” must be a list of values."))
            return
        kind = controller["type"]
        for target in targets:
            if kind == "yesno":
                fits = isinstance(target, bool)
            elif kind in {"choice", "multichoice"}:
                fits = target in option_values(controller)
            else:
                fits = is_number(target)
            if not fits:
                self.add(
                    place,
                    _("%(value)s is not a possible answer to “%(field)s”.")
                    % {"value": repr(target), "field": condition.get("field")},
                )

    def group(self, where: str, field: Mapping[str, Any], earlier: dict[str, Any]) -> None:
        subfields = field.get("fields")
        if not isinstance(subfields, list) or not subfields:
            self.add(where, _("a repeating group needs its list of questions."))
            return
        low, high = field.get("min_items", 0), field.get("max_items", 20)
        if (
            not isinstance(low, int)
            or not isinstance(high, int)
            or isinstance(low, bool)
            or isinstance(high, bool)
            or not 0 <= low <= high <= GROUP_MAX_ITEMS
            or high < 1
        ):
            self.add(
                where,
                _("“min_items” and “max_items” must satisfy 0 ≤ min ≤ max ≤ %(most)d.")
                % {"most": GROUP_MAX_ITEMS},
            )
        inner: dict[str, Any] = dict(earlier)
        seen: set[str] = set()
        for index, sub in enumerate(subfields):
            place = f"{where}.fields[{index}]"
            if isinstance(sub, dict) and sub.get("type") == "group":
                self.add(place, _("a repeating group cannot contain another group."))
                continue
            self.key(place, sub, seen)
            self.field(place, sub, inner)
            if isinstance(sub, dict) and isinstance(sub.get("key"), str):
                inner[sub["key"]] = sub

    def key(self, where: str, item: Any, seen: set[str]) -> None:
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or not KEY.match(key):
            self.add(where, _("the key must be short lower-case letters, digits or _."))
        elif key in seen:
            self.add(where, _("the key “%(key)s” is used twice.") % {"key": key})
        else:
            seen.add(key)

    def scores(self, scores: Any, fields: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if not isinstance(scores, list):
            self.add("scores", _("the scores are a list."))
            return found
        seen: set[str] = set()
        for index, score in enumerate(scores):
            where = f"scores[{index}]"
            self.key(where, score, seen)
            if not isinstance(score, dict):
                continue
            self.unknown(where, score, _SCORE_KEYS)
            self.texts(f"{where}.label", score.get("label"))
            if score.get("method") not in {"sum", "mean"}:
                self.add(where, _("the method is “sum” or “mean”."))
            if score.get("better", "higher") not in {"higher", "lower"}:
                self.add(where, _("“better” is “higher” or “lower”."))
            names = score.get("fields")
            if not isinstance(names, list) or not names:
                self.add(where, _("a score needs the list of questions it adds up."))
            else:
                for name in names:
                    field = fields.get(name) if isinstance(name, str) else None
                    if field is None or field["type"] not in SCORABLE:
                        self.add(
                            where,
                            _("“%(name)s” is not a question that can be scored.") % {"name": name},
                        )
            self.levels(where, score.get("levels", []))
            found[str(score.get("key"))] = score
        return found

    def levels(self, where: str, levels: Any) -> None:
        if not isinstance(levels, list):
            self.add(where, _("the levels are a list."))
            return
        seen: set[str] = set()
        for index, level in enumerate(levels):
            place = f"{where}.levels[{index}]"
            self.key(place, level, seen)
            if not isinstance(level, dict):
                continue
            self.unknown(place, level, {"key", "min", "label"})
            if not is_number(level.get("min")):
                self.add(place, _("a level starts at a number, “min”."))
            self.texts(f"{place}.label", level.get("label"))


def definition_errors(definition: Any) -> list[str]:
    """Everything wrong with a definition, as readable lines; empty when it may be used."""
    check = _Checker()
    if not isinstance(definition, dict):
        return [_("The definition must be a JSON object.")]
    check.unknown("", definition, _DEFINITION_KEYS)
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        return [*check.errors, _("The definition needs a list of sections.")]
    section_keys: set[str] = set()
    field_keys: set[str] = set()
    earlier: dict[str, dict[str, Any]] = {}
    for index, section in enumerate(sections):
        where = f"sections[{index}]"
        check.key(where, section, section_keys)
        if not isinstance(section, dict):
            continue
        check.unknown(where, section, _SECTION_KEYS)
        check.texts(f"{where}.title", section.get("title"))
        check.texts(f"{where}.help", section.get("help"), optional=True)
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            check.add(where, _("a section needs a list of questions."))
            continue
        for position, field in enumerate(fields):
            place = f"{where}.fields[{position}]"
            check.key(place, field, field_keys)
            check.field(place, field, earlier)
            if isinstance(field, dict) and field.get("type") == "group":
                check.group(place, field, earlier)
            if isinstance(field, dict) and isinstance(field.get("key"), str):
                earlier[field["key"]] = field
    scores = check.scores(definition.get("scores", []), earlier)
    risk = definition.get("case_risk_score")
    if risk is not None:
        levels = scores.get(risk, {}).get("levels", []) if isinstance(risk, str) else []
        keys = {level.get("key") for level in levels if isinstance(level, dict)}
        if not keys or not keys <= RISK_LEVELS:
            check.add(
                "case_risk_score",
                _("it must name a score whose levels are high, medium and low."),
            )
    return check.errors


def template_file_errors(data: Any) -> list[str]:
    """The checks of a template file: its code, version and title, then its definition."""
    if not isinstance(data, dict):
        return [_("The file must hold a JSON object.")]
    errors: list[str] = []
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        errors.append(_("code: short lower-case letters, digits or _."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append(_("version: a whole number from 1."))
    check = _Checker()
    check.texts("title", data.get("title"))
    if not isinstance(data.get("requires_approval", False), bool):
        check.add("requires_approval", _("true or false."))
    check.unknown("", data, {"code", "version", "title", "requires_approval", "definition"})
    return errors + check.errors + definition_errors(data.get("definition"))
