"""Scoring: hard constraints, criteria, reasons in words, and vectorised = one at a time."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from homeward.matching.scoring import (
    CarerProfile,
    CarerTable,
    ChildNeeds,
    Point,
    SiblingGroup,
    Weights,
    distance_km,
    feasible,
    group_scores,
    rank,
    score_match,
    violations,
)

VITEBSK = Point(55.1904, 30.2049)
POLOTSK = Point(55.4879, 28.7856)
SCHOOL = Point(55.2200, 30.2049)  # about 3.3 km north of Vitebsk's centre
HALF_KM = 20.0
W = Weights()


def child(**kw):
    values = {"key": 1, "age": 8, "sex": "F", "home": VITEBSK, "languages_mask": 0b1}
    values.update(kw)
    return ChildNeeds(**values)


def carer(**kw):
    values = {
        "key": 10,
        "vacancy": 2,
        "age_min": 0,
        "age_max": 17,
        "sibling_groups": True,
        "disabilities": True,
        "location": VITEBSK,
        "languages_mask": 0b1,
    }
    values.update(kw)
    return CarerProfile(**values)


def one(group, profile):
    return bool(feasible(group, CarerTable.from_profiles([profile]))[0])


def test_haversine_distances():
    d = distance_km(VITEBSK.lat, VITEBSK.lon, np.array([POLOTSK.lat]), np.array([POLOTSK.lon]))
    assert 95 < d[0] < 100  # Vitebsk–Polotsk, about 97 km as the crow flies
    unknown = distance_km(VITEBSK.lat, VITEBSK.lon, np.array([np.nan]), np.array([np.nan]))
    assert np.isnan(unknown[0])


@pytest.mark.parametrize(
    ("profile", "group", "code"),
    [
        (carer(available=False), SiblingGroup((child(),)), "not_available"),
        (carer(vacancy=1), SiblingGroup((child(), child(key=2))), "no_room"),
        (carer(sibling_groups=False), SiblingGroup((child(), child(key=2))), "no_sibling_groups"),
        (carer(age_min=10), SiblingGroup((child(),)), "age"),
        (carer(accepts_female=False), SiblingGroup((child(),)), "sex"),
        (carer(disabilities=False), SiblingGroup((child(has_disability=True),)), "disability"),
        (
            carer(domains_mask=0b01),
            SiblingGroup((child(has_disability=True, domains_mask=0b10),)),
            "disability",
        ),
        (carer(term="short"), SiblingGroup((child(term="long"),)), "term"),
    ],
)
def test_hard_constraints(profile, group, code):
    assert not one(group, profile)
    assert score_match(group, profile, W, HALF_KM) is None
    assert code in [reason.code for reason in violations(group, profile)]


def test_a_feasible_household_has_no_violations():
    group = SiblingGroup((child(has_disability=True, domains_mask=0b10), child(key=2)))
    profile = carer(domains_mask=0b11)
    assert one(group, profile)
    assert violations(group, profile) == ()


def test_reasons_in_words():
    scored = score_match(
        SiblingGroup((child(school=SCHOOL, has_disability=True), child(key=2))),
        carer(training_mask=0b1, placements=3),
        W,
        HALF_KM,
    )
    assert scored is not None
    texts = [reason.text for reason in scored.reasons]
    assert "approved for sibling groups" in texts
    assert "3 km from school" in texts
    assert "0 km from home" in texts
    assert "speaks Russian" in texts
    assert "trained in caring for children with disabilities" in texts
    assert "has cared for 3 children before" in texts
    assert "2 places free" in texts


def test_reasons_follow_the_readers_language():
    scored = score_match(SiblingGroup((child(),)), carer(), W, HALF_KM)
    assert scored is not None
    with translation.override("en"):
        english = [r.text for r in scored.reasons]
    assert "speaks Russian" in english
    # the stored form carries codes and numbers, never words
    assert scored.reasons[0].as_json()["code"]


def test_relatives_come_first():
    relative = carer(key=11, location=POLOTSK)
    stranger = carer(key=12)
    group = SiblingGroup((child(relative_households=frozenset({11})),))
    table = CarerTable.from_profiles([stranger, relative])
    ranked = rank(group, table, W, HALF_KM, 2)
    assert [int(table.keys[i]) for i, _s in ranked] == [11, 12]
    scored = score_match(group, relative, W, HALF_KM)
    assert scored is not None and scored.reasons[0].text == "relatives of the child"


def test_closer_scores_higher_and_unknown_distance_scores_nothing():
    near, far, nowhere = carer(key=1), carer(key=2, location=POLOTSK), carer(key=3, location=None)
    scores = group_scores(
        SiblingGroup((child(),)), CarerTable.from_profiles([near, far, nowhere]), W, HALF_KM
    )
    assert scores[0] > scores[1] > scores[2]


def test_criteria_that_do_not_apply_do_not_mark_a_child_down():
    # no school, no parents, no relatives: a perfect carer still reaches 100 without them
    perfect = carer(placements=5, professional=True)
    scored = score_match(SiblingGroup((child(),)), perfect, W, HALF_KM)
    assert scored is not None
    # preferences not stated count half; everything else applying is full
    assert scored.score == pytest.approx(100 * (10 + 10 + 5 + 2.5) / (10 + 10 + 5 + 5))


def test_weights_change_the_order():
    speaker = carer(key=1, location=POLOTSK)
    neighbour = carer(key=2, languages_mask=0b10)
    group = SiblingGroup((child(),))
    table = CarerTable.from_profiles([speaker, neighbour])
    by_language = Weights.from_mapping({**W.as_dict(), "language": 100, "home": 1})
    by_distance = Weights.from_mapping({**W.as_dict(), "language": 0, "home": 100})
    assert int(table.keys[rank(group, table, by_language, HALF_KM, 1)[0][0]]) == 1
    assert int(table.keys[rank(group, table, by_distance, HALF_KM, 1)[0][0]]) == 2


def test_vectorised_scores_equal_one_at_a_time():
    rng = np.random.default_rng(7)
    profiles = [
        carer(
            key=k,
            location=Point(55 + rng.random(), 29 + rng.random()),
            languages_mask=int(rng.integers(0, 4)),
            training_mask=int(rng.integers(0, 64)),
            placements=int(rng.integers(0, 8)),
            professional=bool(rng.integers(0, 2)),
            preferred_age_min=int(rng.integers(0, 10)) if rng.random() < 0.5 else None,
        )
        for k in range(200)
    ]
    group = SiblingGroup(
        (child(school=SCHOOL, parents=(POLOTSK,), age=2), child(key=2, age=13, sex="M"))
    )
    table = CarerTable.from_profiles(profiles)
    together = group_scores(group, table, W, HALF_KM)
    for index, profile in enumerate(profiles):
        scored = score_match(group, profile, W, HALF_KM)
        assert scored is not None
        assert scored.score == pytest.approx(together[index])


def test_ranking_ties_go_to_the_lower_key():
    group = SiblingGroup((child(),))
    table = CarerTable.from_profiles([carer(key=9), carer(key=3), carer(key=5)])
    assert [int(table.keys[i]) for i, _s in rank(group, table, W, HALF_KM, 3)] == [3, 5, 9]


def test_many_groups_at_once_score_as_each_alone():
    from homeward.matching.scoring import units_scores

    rng = np.random.default_rng(3)
    table = CarerTable.from_profiles(
        [
            carer(
                key=k,
                location=Point(55 + rng.random(), 29 + rng.random()) if k % 7 else None,
                age_min=int(rng.integers(0, 6)),
                vacancy=int(rng.integers(0, 4)),
                training_mask=int(rng.integers(0, 64)),
                disabilities=bool(rng.integers(0, 2)),
            )
            for k in range(60)
        ]
    )
    groups = [
        SiblingGroup(
            tuple(
                child(
                    key=10 * g + i,
                    age=int(rng.integers(0, 18)),
                    sex=str(rng.choice(["F", "M"])),
                    has_disability=bool(rng.integers(0, 2)),
                    school=SCHOOL if rng.random() < 0.5 else None,
                    parents=(POLOTSK,) if rng.random() < 0.3 else (),
                    relative_households=frozenset({int(rng.integers(0, 60))}),
                )
                for i in range(int(rng.integers(1, 4)))
            )
        )
        for g in range(25)
    ]
    together = units_scores(groups, table, W, HALF_KM, chunk=4)
    for row, group in enumerate(groups):
        np.testing.assert_allclose(together[row], group_scores(group, table, W, HALF_KM))


def test_reasons_for_many_pairs_at_once_are_those_of_each_pair():
    from homeward.matching.scoring import explain, explain_many

    table = CarerTable.from_profiles(
        [
            carer(key=1, training_mask=0b1, placements=2),
            carer(key=2, location=POLOTSK, languages_mask=0b10, preferred_age_min=10),
            carer(key=3, location=None, professional=True),
        ]
    )
    groups = [
        SiblingGroup((child(school=SCHOOL, has_disability=True),)),
        SiblingGroup((child(key=2, age=2, parents=(POLOTSK,)), child(key=3))),
        SiblingGroup((child(key=4, relative_households=frozenset({3})),)),
    ]
    pairs = [(0, 0), (1, 1), (2, 2), (0, 2), (2, 1)]
    together = explain_many(
        [groups[g] for g, _h in pairs], table, [h for _g, h in pairs], W, 20.0, chunk=2
    )
    alone = [explain(groups[g], table, h, W, 20.0) for g, h in pairs]
    assert together == alone
