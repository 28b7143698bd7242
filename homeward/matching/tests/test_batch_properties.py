"""Properties of the batch assignment, on random regions of children and carers: it never
breaks a hard constraint, never splits a sibling group, never exceeds a vacancy, no single
swap of two assignments beats its total, and on small cases it is the true optimum."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.matching.scoring import (
    CarerProfile,
    CarerTable,
    ChildNeeds,
    Point,
    SiblingGroup,
    Weights,
    feasible,
    group_scores,
)
from homeward.matching.solver import EXACT_EDGES, TOLERANCE, assign, total_of

HALF_KM = 20.0

points = st.builds(
    Point,
    lat=st.floats(min_value=52.0, max_value=56.0),
    lon=st.floats(min_value=26.0, max_value=31.0),
)
children = st.builds(
    ChildNeeds,
    key=st.just(0),
    age=st.integers(min_value=0, max_value=17),
    sex=st.sampled_from(["F", "M"]),
    has_disability=st.booleans(),
    domains_mask=st.integers(min_value=0, max_value=3),
    languages_mask=st.integers(min_value=0, max_value=3),
    topics_mask=st.integers(min_value=0, max_value=7),
    term=st.sampled_from(["", "short", "long"]),
    home=st.one_of(st.none(), points),
    school=st.one_of(st.none(), points),
)


@st.composite
def carers(draw, key):
    age_min = draw(st.integers(min_value=0, max_value=17))
    return CarerProfile(
        key=key,
        vacancy=draw(st.integers(min_value=0, max_value=4)),
        age_min=age_min,
        age_max=draw(st.integers(min_value=age_min, max_value=17)),
        accepts_female=draw(st.booleans()),
        accepts_male=draw(st.booleans()),
        sibling_groups=draw(st.booleans()),
        disabilities=draw(st.booleans()),
        domains_mask=draw(st.integers(min_value=0, max_value=3)),
        term=draw(st.sampled_from(["both", "short", "long"])),
        professional=draw(st.booleans()),
        languages_mask=draw(st.integers(min_value=0, max_value=3)),
        training_mask=draw(st.integers(min_value=0, max_value=63)),
        placements=draw(st.integers(min_value=0, max_value=6)),
        location=draw(st.one_of(st.none(), points)),
        available=draw(st.booleans()) or draw(st.booleans()),
    )


@st.composite
def regions(draw, max_units=8, max_households=6):
    units = [
        draw(st.lists(children, min_size=1, max_size=3))
        for _ in range(draw(st.integers(min_value=0, max_value=max_units)))
    ]
    groups = []
    key = 0
    for unit in units:
        members = []
        for member in unit:
            key += 1
            members.append(ChildNeeds(**{**member.__dict__, "key": key}))
        groups.append(SiblingGroup(tuple(members)))
    households = [
        draw(carers(100 + i))
        for i in range(draw(st.integers(min_value=1, max_value=max_households)))
    ]
    weights = Weights(
        **{name: draw(st.floats(min_value=0, max_value=50)) for name in Weights().as_dict()}
    )
    return groups, CarerTable.from_profiles(households), weights


def values_of(groups, table, weights):
    values = np.full((len(groups), len(table)), -np.inf)
    for row, group in enumerate(groups):
        values[row] = group_scores(group, table, weights, HALF_KM) * group.size
    return values


def solve(groups, table, weights, exact_edges=EXACT_EDGES):
    values = values_of(groups, table, weights)
    sizes = np.array([g.size for g in groups], dtype=np.int64)
    solution = assign(values, sizes, table.vacancy, exact_edges=exact_edges, time_limit=30)
    if solution.bound is not None:
        assert solution.total <= solution.bound + 1e-6
    return values, sizes, solution.household_of


# exact_edges=0 takes the large-region path (column generation, rounding) on small cases too
PATHS = st.sampled_from([EXACT_EDGES, 0])


@settings(max_examples=150, deadline=None)
@given(regions(), PATHS)
def test_a_proposal_keeps_every_hard_constraint_and_capacity(region, exact_edges):
    groups, table, weights = region
    _values, sizes, household_of = solve(groups, table, weights, exact_edges)
    used = np.zeros(len(table), dtype=np.int64)
    for unit, h in enumerate(household_of):
        if h < 0:
            continue
        # one household for the whole group: the unit is assigned as one, never split
        assert feasible(groups[unit], table)[h], "a hard constraint is broken"
        used[h] += sizes[unit]
    assert np.all(used <= table.vacancy), "a vacancy is exceeded"


@settings(max_examples=150, deadline=None)
@given(regions(), PATHS)
def test_no_single_swap_of_two_assignments_improves_the_total(region, exact_edges):
    groups, table, weights = region
    values, sizes, household_of = solve(groups, table, weights, exact_edges)
    total = total_of(values, household_of)
    used = np.zeros(len(table), dtype=np.int64)
    for unit, h in enumerate(household_of):
        if h >= 0:
            used[h] += sizes[unit]
    placed = [u for u in range(len(groups)) if household_of[u] >= 0]
    for a, b in itertools.combinations(placed, 2):
        ha, hb = household_of[a], household_of[b]
        if ha == hb:
            continue
        if not (np.isfinite(values[a, hb]) and np.isfinite(values[b, ha])):
            continue
        if used[ha] - sizes[a] + sizes[b] > table.vacancy[ha]:
            continue
        if used[hb] - sizes[b] + sizes[a] > table.vacancy[hb]:
            continue
        swapped = total - values[a, ha] - values[b, hb] + values[a, hb] + values[b, ha]
        assert swapped <= total + TOLERANCE, (a, b)


def brute_force(values, sizes, vacancies):
    """The best total over every assignment (small cases only)."""
    options = [
        [-1, *[h for h in range(values.shape[1]) if np.isfinite(values[u, h])]]
        for u in range(values.shape[0])
    ]
    best = 0.0
    for choice in itertools.product(*options):
        used = np.zeros(values.shape[1], dtype=np.int64)
        total = 0.0
        for u, h in enumerate(choice):
            if h >= 0:
                used[h] += sizes[u]
                total += values[u, h]
        if np.all(used <= vacancies):
            best = max(best, total)
    return best


@settings(max_examples=80, deadline=None)
@given(regions(max_units=5, max_households=4))
def test_the_total_is_the_true_optimum_on_small_regions(region):
    groups, table, weights = region
    values, sizes, household_of = solve(groups, table, weights)
    assert total_of(values, household_of) >= brute_force(values, sizes, table.vacancy) - 1e-6


def test_a_sibling_group_is_placed_whole_or_not_at_all():
    # two places in one household: the pair of siblings takes both, the single child waits
    here = Point(55.0, 30.0)
    siblings = SiblingGroup(
        (ChildNeeds(key=1, age=5, sex="F", home=here), ChildNeeds(key=2, age=7, sex="M", home=here))
    )
    single = SiblingGroup((ChildNeeds(key=3, age=6, sex="F"),))
    table = CarerTable.from_profiles(
        [
            CarerProfile(
                key=1,
                vacancy=2,
                age_min=0,
                age_max=17,
                sibling_groups=True,
                location=Point(55.0, 30.0),
            )
        ]
    )
    values, _sizes, household_of = solve([siblings, single], table, Weights())
    assert household_of.tolist() == [0, -1]
    assert total_of(values, household_of) == values[0, 0]
    # with the single child scoring more than the pair together, the pair waits whole
    values, _sizes, household_of = solve([single, siblings], table, Weights(home=0))
    assert sorted(household_of.tolist()) == [-1, 0]
