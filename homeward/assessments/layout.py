"""What the pages show, built from a definition in the user's language: the fill-in form
(inputs named ``a-<key>``, ``a-<group>-<n>-<key>``), the answers read back, and the scores."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.assessments.definition import (
    condition_met,
    is_number,
    top_fields,
    tr,
)
from homeward.assessments.validation import is_empty

PREFIX = "a"
SELECT_FROM = 12  # a choice with more options than this is a drop-down, not radio buttons


def input_name(path: str) -> str:
    """The form input of a field path (``group.0.key`` → ``a-group-0-key``)."""
    return f"{PREFIX}-{path.replace('.', '-')}"


def input_value(value: Any) -> str:
    """An answer as an input's value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _comparable(spec: Mapping[str, Any], value: Any) -> Any:
    """An answer typed as the stored answers are, for conditions on unsaved input."""
    if isinstance(value, str) and spec.get("type") == "yesno":
        return {"yes": True, "no": False}.get(value)
    if isinstance(value, str) and spec.get("type") in {"number", "scale"}:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return value


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class GroupItem:
    index: int
    legend: str
    fields: list[FieldView]
    remove_name: str
    is_new: bool


@dataclass
class FieldView:
    path: str
    name: str
    id: str
    type: str
    widget: str
    label: str
    help: str
    required: bool
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    show_if: str = ""
    show_values: str = ""
    hidden: bool = False
    min: str = ""
    max: str = ""
    step: str = ""
    max_length: str = ""
    items: list[GroupItem] = field(default_factory=list)
    count_name: str = ""

    @property
    def described_by(self) -> str:
        parts = []
        if self.help:
            parts.append(f"{self.id}_help")
        if self.errors:
            parts.append(f"{self.id}_errors")
        return " ".join(parts)


@dataclass
class SectionView:
    key: str
    title: str
    help: str
    fields: list[FieldView]


def _widget(spec: Mapping[str, Any]) -> str:
    kind = spec["type"]
    if kind == "text":
        return "textarea" if spec.get("multiline") else "text"
    if kind == "number":
        return "number"
    if kind == "date":
        return "date"
    if kind == "multichoice":
        return "checkboxes"
    if kind == "choice" and len(spec.get("options", [])) > SELECT_FROM:
        return "select"
    if kind == "group":
        return "group"
    return "radios"


def _choices(spec: Mapping[str, Any], value: Any, base_id: str) -> list[Choice]:
    kind = spec["type"]
    if kind == "yesno":
        pairs = [("yes", _("Yes")), ("no", _("No"))]
    elif kind == "scale":
        labels = {o["value"]: tr(o["label"]) for o in spec.get("options", [])}
        pairs = [
            (str(n), f"{n} — {labels[n]}" if n in labels else str(n))
            for n in range(int(spec["min"]), int(spec["max"]) + 1)
        ]
    else:
        pairs = [(o["value"], tr(o["label"])) for o in spec.get("options", [])]
    chosen = {input_value(v) for v in value} if isinstance(value, list) else {input_value(value)}
    return [
        Choice(value=v, label=label, checked=v in chosen, id=f"{base_id}_{index}")
        for index, (v, label) in enumerate(pairs)
    ]


def _field_view(
    spec: Mapping[str, Any],
    value: Any,
    *,
    path: str,
    errors: Mapping[str, list[str]],
    scope: Mapping[str, Any],
    siblings: frozenset[str],
    outer: Mapping[str, Any],
    specs: Mapping[str, Mapping[str, Any]],
    group_path: str = "",
) -> FieldView:
    name = input_name(path)
    view = FieldView(
        path=path,
        name=name,
        id=f"id_{name}",
        type=spec["type"],
        widget=_widget(spec),
        label=tr(spec["label"]),
        help=tr(spec.get("help")),
        required=bool(spec.get("required")) or int(spec.get("min_items", 0)) > 0,
        errors=list(errors.get(path, [])),
    )
    condition = spec.get("show_if")
    if condition is not None:
        controller = condition["field"]
        in_item = controller in siblings
        view.show_if = input_name(f"{group_path}.{controller}" if in_item else controller)
        targets = [condition["equals"]] if "equals" in condition else condition["in"]
        view.show_values = json.dumps([input_value(t) for t in targets])
        source = scope if in_item else outer
        current = _comparable(specs.get(controller, {}), source.get(controller))
        # Shown whenever it holds an answer or an error, so that nothing is ever hidden
        # from the person who must correct it.
        view.hidden = not condition_met(condition, current) and is_empty(value) and not view.errors
    if spec["type"] in {"choice", "multichoice", "yesno", "scale"}:
        view.choices = _choices(spec, value, view.id)
    else:
        view.value = input_value(value) if not isinstance(value, list | dict) else ""
    if spec["type"] == "number":
        view.min = input_value(spec.get("min"))
        view.max = input_value(spec.get("max"))
        view.step = "1" if spec.get("integer") else "any"
    if spec["type"] == "text" and "max_length" in spec:
        view.max_length = str(spec["max_length"])
    if spec["type"] == "group":
        view.count_name = f"{name}-count"
        view.items = _items(spec, value, path=path, errors=errors, outer=outer, specs=specs)
    return view


def _items(
    spec: Mapping[str, Any],
    value: Any,
    *,
    path: str,
    errors: Mapping[str, list[str]],
    outer: Mapping[str, Any],
    specs: Mapping[str, Mapping[str, Any]],
) -> list[GroupItem]:
    entries = [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
    most = int(spec.get("max_items", 20))
    least = max(int(spec.get("min_items", 0)), 1 if spec.get("required") else 0)
    blanks = max(least - len(entries), 1 if len(entries) < most else 0)
    subfields = spec["fields"]
    siblings = frozenset(sub["key"] for sub in subfields)
    inner_specs = {**specs, **{sub["key"]: sub for sub in subfields}}
    items: list[GroupItem] = []
    for index, entry in enumerate([*entries, *([{}] * blanks)]):
        item_path = f"{path}.{index}"
        is_new = index >= len(entries)
        items.append(
            GroupItem(
                index=index,
                legend=(
                    _("New entry") if is_new else _("Entry %(number)d") % {"number": index + 1}
                ),
                fields=[
                    _field_view(
                        sub,
                        entry.get(sub["key"]),
                        path=f"{item_path}.{sub['key']}",
                        errors=errors,
                        scope=entry,
                        siblings=siblings,
                        outer=outer,
                        specs=inner_specs,
                        group_path=item_path,
                    )
                    for sub in subfields
                ],
                remove_name=f"{input_name(item_path)}-remove",
                is_new=is_new,
            )
        )
    return items


def form_sections(
    definition: Mapping[str, Any],
    answers: Mapping[str, Any],
    errors: Mapping[str, list[str]] | None = None,
) -> list[SectionView]:
    """The fill-in form, with the given answers (saved or just typed) and errors."""
    errors = errors or {}
    specs = {spec["key"]: spec for spec in top_fields(definition)}
    outer = dict(answers)
    sections = []
    for section in definition.get("sections", []):
        views = [
            _field_view(
                spec,
                answers.get(spec["key"]),
                path=spec["key"],
                errors=errors,
                scope=outer,
                siblings=frozenset(),
                outer=outer,
                specs=specs,
            )
            for spec in section["fields"]
        ]
        sections.append(
            SectionView(
                key=section["key"],
                title=tr(section["title"]),
                help=tr(section.get("help")),
                fields=views,
            )
        )
    return sections


def error_summary(sections: list[SectionView]) -> list[tuple[str, str, str]]:
    """(anchor, question, message) for every error on the form, in the form's order."""
    found: list[tuple[str, str, str]] = []

    def visit(view: FieldView, prefix: str) -> None:
        for message in view.errors:
            found.append((f"q-{view.name}", f"{prefix}{view.label}", message))
        for item in view.items:
            for sub in item.fields:
                visit(sub, f"{view.label}, {item.legend}: ")

    for section in sections:
        for view in section.fields:
            visit(view, "")
    return found


# --- reading answers back ---------------------------------------------------------------------


def display_value(spec: Mapping[str, Any], value: Any) -> str:
    """An answer as a person reads it, in their language and number and date formats."""
    if is_empty(value):
        return "—"
    kind = spec["type"]
    labels = {o["value"]: tr(o["label"]) for o in spec.get("options", [])}
    if kind == "yesno":
        return _("Yes") if value else _("No")
    if kind == "choice":
        return labels.get(value, str(value))
    if kind == "multichoice" and isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    if kind == "scale":
        return f"{value} — {labels[value]}" if value in labels else str(value)
    if kind == "number" and is_number(value):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    if kind == "date" and isinstance(value, str):
        try:
            return str(formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT"))
        except ValueError:
            return value
    if kind == "group" and isinstance(value, list):
        return ngettext("%(count)d entry", "%(count)d entries", len(value)) % {"count": len(value)}
    return str(value)


@dataclass
class AnswerRow:
    label: str
    value: str
    entries: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass
class AnswerSection:
    title: str
    rows: list[AnswerRow]


def answer_sections(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> list[AnswerSection]:
    """The answers to read, section by section; questions that do not apply are left out."""
    sections = []
    for section in definition.get("sections", []):
        rows = []
        for spec in section["fields"]:
            value = answers.get(spec["key"])
            condition = spec.get("show_if")
            if condition is not None and not condition_met(
                condition, answers.get(condition["field"])
            ):
                continue
            row = AnswerRow(label=tr(spec["label"]), value=display_value(spec, value))
            if spec["type"] == "group" and isinstance(value, list):
                row.entries = [
                    [
                        (tr(sub["label"]), display_value(sub, entry.get(sub["key"])))
                        for sub in spec["fields"]
                        if not is_empty(entry.get(sub["key"]))
                    ]
                    for entry in value
                ]
            rows.append(row)
        sections.append(AnswerSection(title=tr(section["title"]), rows=rows))
    return sections


@dataclass
class ScoreRow:
    key: str
    label: str
    value: str
    level: str
    tone: str  # a Bootstrap colour: success (best level) … danger (worst)


def score_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(formats.number_format(value, use_l10n=True))


def score_rows(definition: Mapping[str, Any], scores: Mapping[str, Any]) -> list[ScoreRow]:
    rows = []
    for score in definition.get("scores", []):
        result = scores.get(score["key"]) or {}
        levels = sorted(score.get("levels", []), key=lambda level: level["min"])
        if score.get("better", "higher") == "lower":
            levels.reverse()
        keys = [level["key"] for level in levels]  # worst first
        level = result.get("level")
        label = next((tr(x["label"]) for x in levels if x["key"] == level), "")
        tone = "secondary"
        if level in keys and len(keys) > 1:
            position = keys.index(level)
            tone = (
                "danger" if position == 0 else "success" if position == len(keys) - 1 else "warning"
            )
        rows.append(
            ScoreRow(
                key=score["key"],
                label=tr(score["label"]),
                value=score_value(result.get("value")),
                level=label,
                tone=tone,
            )
        )
    return rows
