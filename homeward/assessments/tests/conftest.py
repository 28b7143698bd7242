"""Fixtures of the assessment tests: the shipped forms loaded, a case, and answers."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.assessments.loader import assessments_load
from homeward.assessments.models import AssessmentTemplate


def lang(text: str) -> dict[str, str]:
    return {"en": text, "ru": text, "be": text, "bg": text}


# A small form with one question of every type, a condition and a repeating group.
SMALL: dict[str, Any] = {
    "sections": [
        {
            "key": "main",
            "title": lang("Main"),
            "fields": [
                {"key": "name", "type": "text", "label": lang("Name"), "required": True},
                {
                    "key": "notes",
                    "type": "text",
                    "label": lang("Notes"),
                    "multiline": True,
                    "max_length": 50,
                },
                {
                    "key": "people",
                    "type": "number",
                    "label": lang("People"),
                    "integer": True,
                    "min": 1,
                    "max": 20,
                },
                {"key": "income", "type": "number", "label": lang("Income"), "min": 0},
                {"key": "seen_on", "type": "date", "label": lang("Seen on"), "not_future": True},
                {
                    "key": "housing",
                    "type": "choice",
                    "label": lang("Housing"),
                    "required": True,
                    "better": "lower",
                    "options": [
                        {"value": "good", "label": lang("Good"), "score": 0},
                        {"value": "poor", "label": lang("Poor"), "score": 2},
                    ],
                },
                {
                    "key": "problems",
                    "type": "multichoice",
                    "label": lang("Problems"),
                    "options": [
                        {"value": "damp", "label": lang("Damp"), "score": 1},
                        {"value": "cold", "label": lang("Cold"), "score": 2},
                    ],
                },
                {
                    "key": "danger",
                    "type": "yesno",
                    "label": lang("Danger"),
                    "required": True,
                    "points": {"yes": 5, "no": 0},
                    "better": "lower",
                },
                {
                    "key": "danger_details",
                    "type": "text",
                    "label": lang("Details"),
                    "required": True,
                    "show_if": {"field": "danger", "equals": True},
                },
                {
                    "key": "mood",
                    "type": "scale",
                    "label": lang("Mood"),
                    "required": True,
                    "min": 1,
                    "max": 4,
                    "better": "higher",
                },
                {
                    "key": "members",
                    "type": "group",
                    "label": lang("Members"),
                    "min_items": 1,
                    "max_items": 3,
                    "fields": [
                        {"key": "who", "type": "text", "label": lang("Who"), "required": True},
                        {"key": "works", "type": "yesno", "label": lang("Works")},
                        {
                            "key": "job",
                            "type": "text",
                            "label": lang("Job"),
                            "required": True,
                            "show_if": {"field": "works", "equals": True},
                        },
                    ],
                },
            ],
        }
    ],
    "scores": [
        {
            "key": "risk",
            "label": lang("Risk"),
            "method": "sum",
            "better": "lower",
            "fields": ["housing", "problems", "danger"],
            "levels": [
                {"key": "high", "min": 5, "label": lang("High")},
                {"key": "medium", "min": 2, "label": lang("Medium")},
                {"key": "low", "min": 0, "label": lang("Low")},
            ],
        },
        {"key": "mood_mean", "label": lang("Mood"), "method": "mean", "fields": ["mood"]},
    ],
    "case_risk_score": "risk",
}

SMALL_OK: dict[str, Any] = {
    "name": "Семья Ивановых",
    "housing": "poor",
    "danger": False,
    "mood": 3,
    "members": [{"who": "Мать", "works": True, "job": "продавец"}],
}

INITIAL_OK: dict[str, Any] = {
    "referral_source": "school",
    "referral_date": "2025-01-10",
    "concern": "Ребёнок приходит в школу голодным.",
    "child_seen": True,
    "child_seen_on": "2025-01-11",
    "child_location": "parents",
    "immediate_danger": False,
    "injuries": False,
    "supervision": True,
    "basic_needs": "partly",
    "caregiver_capacity": True,
    "domestic_violence": False,
    "vulnerability": False,
    "earlier_reports": False,
    "protective_adult": True,
    "actions_taken": ["safety_plan"],
    "next_steps": "Посещение семьи через три дня.",
}

WELLBEING_FACTORS = [
    "food_security",
    "growth",
    "shelter",
    "care",
    "safety",
    "legal",
    "wellness",
    "health_care",
    "emotional",
    "social",
    "learning",
    "attendance",
]


def wellbeing(score: int = 2, **overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = dict.fromkeys(WELLBEING_FACTORS, score)
    answers["sources"] = ["observation", "carer"]
    answers.update(overrides)
    return answers


@pytest.fixture
def shipped(db: None) -> dict[str, AssessmentTemplate]:
    """The four shipped forms, loaded as the demo loads them."""
    assessments_load()
    return {t.code: t for t in AssessmentTemplate.objects.all()}


@pytest.fixture
def case(cast: Any, register_child: Any) -> Any:
    return register_child().case
