"""Comparing two assessments: better and worse follow each question's direction."""

from __future__ import annotations

import copy

from homeward.assessments.comparison import compare
from homeward.assessments.scoring import compute_scores
from homeward.assessments.tests.conftest import SMALL, SMALL_OK


def run(before, after, definition_before=SMALL, definition_after=SMALL):
    return compare(
        definition_before=definition_before,
        answers_before=before,
        scores_before=compute_scores(definition_before, before),
        definition_after=definition_after,
        answers_after=after,
        scores_after=compute_scores(definition_after, after),
    )


def changes(result):
    return {c.key: c.change for s in result.sections for c in s.changes}


def test_better_and_worse_follow_the_direction_of_each_question_and_score():
    before = {**SMALL_OK, "mood": 2, "housing": "poor", "danger": False}
    after = {**SMALL_OK, "mood": 4, "housing": "good", "danger": True, "danger_details": "x"}
    result = run(before, after)
    found = changes(result)
    assert found["mood"] == "improved"  # higher is better
    assert found["housing"] == "improved"  # lower score is better
    assert found["danger"] == "worse"
    assert found["name"] == "unchanged"
    assert found["danger_details"] == "changed"  # no direction for text
    scores = {c.key: c for c in result.scores}
    assert scores["risk"].change == "worse"  # 2 → 5, lower is better
    assert scores["risk"].before == "2 (Medium)"
    assert scores["mood_mean"].change == "improved"
    assert result.improved == 3
    assert result.worse == 2


def test_unanswered_on_both_sides_is_left_out_and_new_versions_compare_by_key():
    newer = copy.deepcopy(SMALL)
    newer["sections"][0]["fields"] = [
        f for f in newer["sections"][0]["fields"] if f["key"] != "name"
    ]
    result = run(SMALL_OK, {k: v for k, v in SMALL_OK.items() if k != "name"}, SMALL, newer)
    assert "income" not in changes(result)
    dropped = result.sections[-1]
    assert dropped.title == "Questions no longer in the form"
    assert [(c.key, c.before, c.after) for c in dropped.changes] == [
        ("name", "Семья Ивановых", "—")
    ]
