"""Scores and levels computed from valid answers by a definition's scoring rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeward.assessments.definition import fields_by_key


def field_points(field: Mapping[str, Any], value: Any) -> float | None:
    """What an answer counts for in a score (None: it does not count)."""
    if value is None:
        return None
    kind = field["type"]
    if kind in {"number", "scale"}:
        return float(value)
    if kind == "yesno":
        points = field.get("points")
        return float(points["yes" if value else "no"]) if points else None
    scores = {o["value"]: o["score"] for o in field.get("options", []) if "score" in o}
    if kind == "choice":
        return float(scores[value]) if value in scores else None
    if kind == "multichoice":
        counted = [float(scores[v]) for v in value if v in scores]
        return sum(counted) if counted else None
    return None


def level_for(score: Mapping[str, Any], value: float) -> str | None:
    """The level whose threshold is the highest one the value reaches."""
    reached = [level for level in score.get("levels", []) if value >= level["min"]]
    if not reached:
        return None
    return str(max(reached, key=lambda level: level["min"])["key"])


def compute_scores(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each score as {"value": number or None, "level": key or None}.

    A score of unanswered (or not applicable) questions only is None, never zero: nothing
    known is not the same as nothing wrong.
    """
    fields = fields_by_key(definition)
    results: dict[str, dict[str, Any]] = {}
    for score in definition.get("scores", []):
        points = [
            p
            for key in score["fields"]
            if (p := field_points(fields[key], answers.get(key))) is not None
        ]
        if not points:
            results[score["key"]] = {"value": None, "level": None}
            continue
        total = sum(points) if score["method"] == "sum" else sum(points) / len(points)
        value = round(total, 2)
        results[score["key"]] = {"value": value, "level": level_for(score, value)}
    return results


def score_level_label(definition: Mapping[str, Any], score_key: str, level: str | None) -> Any:
    """The label texts of a score's level, for display."""
    for score in definition.get("scores", []):
        if score["key"] == score_key:
            for item in score.get("levels", []):
                if item["key"] == level:
                    return item["label"]
    return None
