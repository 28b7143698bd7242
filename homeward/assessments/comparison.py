"""Two assessments of one child side by side: per question and per score, better, worse or
unchanged. "Better" follows each question's and score's ``better`` (higher or lower); an
answer without a direction can only be changed or unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.assessments.definition import same_answer, top_fields, tr
from homeward.assessments.layout import display_value, score_value
from homeward.assessments.scoring import field_points

IMPROVED = "improved"
WORSE = "worse"
UNCHANGED = "unchanged"
CHANGED = "changed"
CHANGE_LABELS = {
    IMPROVED: gettext_lazy("Better"),
    WORSE: gettext_lazy("Worse"),
    UNCHANGED: gettext_lazy("No change"),
    CHANGED: gettext_lazy("Changed"),
}


@dataclass
class Change:
    key: str
    label: str
    before: str
    after: str
    change: str

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change])


@dataclass
class ChangeSection:
    title: str
    changes: list[Change]


@dataclass
class Comparison:
    sections: list[ChangeSection] = field(default_factory=list)
    scores: list[Change] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(
            1
            for item in [*self.scores, *(c for s in self.sections for c in s.changes)]
            if item.change == change
        )

    @property
    def improved(self) -> int:
        return self.count(IMPROVED)

    @property
    def worse(self) -> int:
        return self.count(WORSE)


def direction(better: str | None, before: float | None, after: float | None) -> str | None:
    """improved / worse / unchanged from two numbers, or None when there is no direction."""
    if better not in {"higher", "lower"} or before is None or after is None:
        return None
    if after == before:
        return UNCHANGED
    rose = after > before
    return IMPROVED if rose == (better == "higher") else WORSE


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return same_answer(a, b)


def _field_change(
    spec_before: Mapping[str, Any] | None,
    spec_after: Mapping[str, Any],
    before: Any,
    after: Any,
) -> Change:
    spec_then = spec_before or spec_after
    if _same(before, after):
        change = UNCHANGED
    else:
        change = (
            direction(
                spec_after.get("better"),
                field_points(spec_then, before),
                field_points(spec_after, after),
            )
            or CHANGED
        )
        if change == UNCHANGED:
            change = CHANGED  # different answers that count the same
    return Change(
        key=spec_after["key"],
        label=tr(spec_after["label"]),
        before=display_value(spec_then, before),
        after=display_value(spec_after, after),
        change=change,
    )


def compare(
    *,
    definition_before: Mapping[str, Any],
    answers_before: Mapping[str, Any],
    scores_before: Mapping[str, Any],
    definition_after: Mapping[str, Any],
    answers_after: Mapping[str, Any],
    scores_after: Mapping[str, Any],
) -> Comparison:
    """The later assessment's form gives the order and the wording; questions of an older
    version that the newer one dropped come last."""
    before_fields = {spec["key"]: spec for spec in top_fields(definition_before)}
    result = Comparison()
    seen: set[str] = set()
    for section in definition_after.get("sections", []):
        changes = []
        for spec in section["fields"]:
            key = spec["key"]
            seen.add(key)
            old, new = answers_before.get(key), answers_after.get(key)
            if old is None and new is None:
                continue
            changes.append(_field_change(before_fields.get(key), spec, old, new))
        if changes:
            result.sections.append(ChangeSection(title=tr(section["title"]), changes=changes))
    dropped = [
        _field_change(spec, spec, answers_before.get(key), None)
        for key, spec in before_fields.items()
        if key not in seen and answers_before.get(key) is not None
    ]
    if dropped:
        result.sections.append(
            ChangeSection(title=_("Questions no longer in the form"), changes=dropped)
        )
    levels = _level_labels(definition_before) | _level_labels(definition_after)
    for score in definition_after.get("scores", []):
        key = score["key"]
        old_result = scores_before.get(key) or {}
        new_result = scores_after.get(key) or {}
        old_value, new_value = old_result.get("value"), new_result.get("value")
        change = direction(score.get("better", "higher"), old_value, new_value)
        if change is None:
            change = UNCHANGED if old_value == new_value else CHANGED
        result.scores.append(
            Change(
                key=key,
                label=tr(score["label"]),
                before=_score_text(old_value, levels.get((key, old_result.get("level")))),
                after=_score_text(new_value, levels.get((key, new_result.get("level")))),
                change=change,
            )
        )
    return result


def _level_labels(definition: Mapping[str, Any]) -> dict[tuple[str, Any], str]:
    return {
        (score["key"], level["key"]): tr(level["label"])
        for score in definition.get("scores", [])
        for level in score.get("levels", [])
    }


def _score_text(value: Any, level: str | None) -> str:
    text = score_value(value)
    return f"{text} ({level})" if level else text
