"""Scoring rules: sums and means of answers, thresholds to levels."""

from __future__ import annotations

import json

from homeward.assessments.loader import template_files
from homeward.assessments.scoring import compute_scores, field_points, level_for
from homeward.assessments.tests.conftest import INITIAL_OK, SMALL, SMALL_OK, wellbeing
from homeward.assessments.validation import validate_answers


def shipped(code):
    for path in template_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["code"] == code:
            return data["definition"]
    raise LookupError(code)


def test_sum_of_points_of_choices_multiple_choices_and_yes_no():
    scores = compute_scores(SMALL, {**SMALL_OK, "problems": ["damp", "cold"], "danger": True})
    assert scores["risk"] == {"value": 10.0, "level": "high"}
    assert compute_scores(SMALL, SMALL_OK)["risk"] == {"value": 2.0, "level": "medium"}
    assert compute_scores(SMALL, {**SMALL_OK, "housing": "good"})["risk"]["level"] == "low"


def test_a_score_of_nothing_answered_is_unknown_not_zero():
    assert compute_scores(SMALL, {})["risk"] == {"value": None, "level": None}


def test_mean_without_levels():
    assert compute_scores(SMALL, {"mood": 3})["mood_mean"] == {"value": 3.0, "level": None}


def test_level_thresholds_take_the_highest_reached():
    score = {"levels": [{"key": "a", "min": 0}, {"key": "b", "min": 2}, {"key": "c", "min": 5}]}
    assert [level_for(score, v) for v in (0, 1.99, 2, 4.9, 5, 50)] == ["a", "a", "b", "b", "c", "c"]
    assert level_for(score, -1) is None


def test_points_of_each_type():
    fields = {f["key"]: f for f in SMALL["sections"][0]["fields"]}
    assert field_points(fields["mood"], 3) == 3.0
    assert field_points(fields["danger"], False) == 0.0
    assert field_points(fields["problems"], ["cold"]) == 2.0
    assert field_points(fields["name"], "x") is None
    assert field_points(fields["housing"], None) is None


def test_initial_assessment_risk_levels():
    definition = shipped("initial_assessment")
    assert validate_answers(definition, INITIAL_OK, complete=True).ok
    assert compute_scores(definition, INITIAL_OK)["risk"] == {"value": 6.0, "level": "medium"}
    danger = {**INITIAL_OK, "immediate_danger": True, "danger_details": "Побои"}
    assert compute_scores(definition, danger)["risk"]["level"] == "high"
    calm = {**INITIAL_OK, "supervision": False, "caregiver_capacity": False, "basic_needs": "met"}
    assert compute_scores(definition, calm)["risk"] == {"value": 0.0, "level": "low"}


def test_wellbeing_scale_scores_each_domain_and_overall():
    definition = shipped("wellbeing_scale")
    answers = wellbeing(4, food_security=1, growth=2)
    assert validate_answers(definition, answers, complete=True).ok
    scores = compute_scores(definition, answers)
    assert scores["food"] == {"value": 1.5, "level": "poor"}
    assert scores["home"] == {"value": 4.0, "level": "good"}
    assert scores["overall"]["value"] == 3.58  # 43 / 12
    assert scores["overall"]["level"] == "good"
