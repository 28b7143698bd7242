"""From the database to the scoring arrays and back: a child's needs, the carers' table,
the ranking for one child and the batch plan for a region.

Carers are read from their ranking rows (``carers.MatchingRow``, one narrow row per
household kept by the carers' actions). The hard constraints the database can check (approved,
approval valid, the terms' ages, sexes, sibling groups, disability, term) filter them in SQL;
the rest (functional domains, vacancies) and every score are computed in NumPy.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from homeward.carers.models import (
    PACKED_LAYOUT,
    CarerHousehold,
    CarerMember,
    CarerPlacementLink,
    Language,
    MatchingRow,
    TrainingTopic,
    bits,
)
from homeward.carers.selectors import matching_rows_for_user, open_placements
from homeward.geo.models import Location
from homeward.matching.models import MatchingNeeds
from homeward.matching.scoring import (
    TERM_CODES,
    CarerTable,
    ChildNeeds,
    Point,
    Reason,
    SiblingGroup,
    Weights,
    explain,
    explain_many,
    group_scores,
    rank,
    units_scores,
)
from homeward.matching.selectors import (
    region_of,
    sibling_unit,
    units_of,
    waiting_children,
    weights_for,
)
from homeward.matching.solver import Solution, assign
from homeward.registry.models import Child, FunctionalDomain, Relationship, RelationshipKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

    AnyUser = User | AnonymousUser

PARENT_KINDS = (RelationshipKind.MOTHER, RelationshipKind.FATHER)
RELATIVE_KINDS = (
    RelationshipKind.SIBLING,
    RelationshipKind.GRANDPARENT,
    RelationshipKind.AUNT_UNCLE,
    RelationshipKind.OTHER_RELATIVE,
)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _point(location: Any) -> Point | None:
    if location is None or location.latitude is None or location.longitude is None:
        return None
    return Point(float(location.latitude), float(location.longitude))


def child_needs(children: list[Child], today: datetime.date) -> dict[int, ChildNeeds]:
    """What scoring needs of each child, read in a fixed number of queries."""
    ids = [c.pk for c in children]
    extra = {n.child_id: n for n in MatchingNeeds.objects.filter(child_id__in=ids)}
    parents: dict[int, list[Point]] = defaultdict(list)
    relative_people: dict[int, set[int]] = defaultdict(set)
    siblings: dict[int, set[int]] = defaultdict(set)
    links = Relationship.objects.filter(child_id__in=ids).select_related(
        "person__location", "person__household__location"
    )
    for link in links:
        if link.related_child_id is not None:
            if link.kind == RelationshipKind.SIBLING:
                siblings[link.child_id].add(link.related_child_id)
            continue
        person = link.person
        if person is None:
            continue
        if link.kind in PARENT_KINDS:
            home = person.location or (person.household.location if person.household else None)
            point = _point(home)
            if point is not None:
                parents[link.child_id].append(point)
        elif link.kind in RELATIVE_KINDS:
            relative_people[link.child_id].add(person.pk)
    # Sibling links recorded on the brother's or sister's side count as well.
    for a, b in Relationship.objects.filter(
        kind=RelationshipKind.SIBLING, related_child_id__in=ids
    ).values_list("child_id", "related_child_id"):
        siblings[b].add(a)
    people = {p for found in relative_people.values() for p in found}
    household_of_person: dict[int, set[int]] = defaultdict(set)
    for person_id, household_id in CarerMember.objects.filter(person_id__in=people).values_list(
        "person_id", "household_id"
    ):
        household_of_person[person_id].add(household_id)
    sibling_ids = {s for found in siblings.values() for s in found}
    placed_with: dict[int, set[int]] = defaultdict(set)
    for child_id, household_id in CarerPlacementLink.objects.filter(
        placement__child_id__in=sibling_ids, placement__end__isnull=True
    ).values_list("placement__child_id", "household_id"):
        placed_with[child_id].add(household_id)
    defaults: dict[str, list[str]] = settings.MATCHING_DEFAULT_LANGUAGES
    result: dict[int, ChildNeeds] = {}
    for child in children:
        needs = extra.get(child.pk)
        languages = list(needs.languages) if needs and needs.languages else []
        if not languages:
            languages = defaults.get(child.home_location.country_code, [])
        relatives: set[int] = set()
        for person_id in relative_people.get(child.pk, set()):
            relatives |= household_of_person.get(person_id, set())
        sibling_homes: set[int] = set()
        for sibling in siblings.get(child.pk, set()):
            sibling_homes |= placed_with.get(sibling, set())
        result[child.pk] = ChildNeeds(
            key=child.pk,
            age=_age(child.date_of_birth, today),
            sex=child.sex,
            has_disability=child.has_disability,
            domains_mask=bits(list(child.disability_domains or []), FunctionalDomain.values),
            languages_mask=bits(languages, Language.values),
            topics_mask=bits(list(needs.topics) if needs else [], TrainingTopic.values),
            term=needs.term if needs else "",
            home=_point(child.home_location),
            school=_point(child.school_location),
            parents=tuple(parents.get(child.pk, [])),
            relative_households=frozenset(relatives),
            sibling_households=frozenset(sibling_homes),
        )
    return result


def available_rows(queryset: QuerySet[MatchingRow], today: datetime.date) -> QuerySet[MatchingRow]:
    """Approved (so not on hold), with terms, the approval not lapsed."""
    return queryset.filter(available=True, approval_expires_on__gte=today)


def within_terms(queryset: QuerySet[MatchingRow], group: SiblingGroup) -> QuerySet[MatchingRow]:
    """The hard constraints of the group that the database checks itself."""
    ages = [c.age for c in group.children]
    qs = queryset.filter(
        age_min__lte=min(ages), age_max__gte=max(ages), max_children__gte=group.size
    )
    if any(c.sex == "F" for c in group.children):
        qs = qs.filter(accepts_female=True)
    if any(c.sex != "F" for c in group.children):
        qs = qs.filter(accepts_male=True)
    if group.size > 1:
        qs = qs.filter(sibling_groups=True)
    if any(c.has_disability for c in group.children):
        qs = qs.filter(disabilities=True)
    terms = {c.term for c in group.children}
    if "short" in terms:
        qs = qs.exclude(term=TERM_CODES["long"])
    if "long" in terms:
        qs = qs.exclude(term=TERM_CODES["short"])
    return qs


COLUMNS = (
    "household_id",
    "location_id",
    "packed",
    "domains_mask",
    "language_mask",
    "training_mask",
)


def _rows(queryset: QuerySet[MatchingRow]) -> npt.NDArray[np.int64]:
    """The rows as one integer array, a column per name in COLUMNS."""
    sql, params = queryset.order_by().values_list(*COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy_rows(cursor, sql, params)
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return np.array(found, dtype=np.int64).reshape(len(found), len(COLUMNS))


def _copy_rows(cursor: Any, sql: str, params: Any) -> npt.NDArray[np.int64]:
    """PostgreSQL's binary COPY read straight into NumPy: six bigints a row, so every row
    has the same width and the answer is one buffer (no Python object per value)."""
    statement = f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"
    buffer = bytearray()
    with cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            buffer += block
    header, trailer = 19, 2  # signature, flags and extension length; the end marker
    layout: list[tuple[str, str]] = [("count", ">i2")]
    for index in range(len(COLUMNS)):
        layout += [(f"n{index}", ">i4"), (f"c{index}", ">i8")]
    row = np.dtype(layout)
    count = (len(buffer) - header - trailer) // row.itemsize
    records = np.frombuffer(buffer, dtype=row, count=count, offset=header)
    return np.stack([records[f"c{i}"] for i in range(len(COLUMNS))], axis=1).astype(np.int64)


def _unpack(packed: npt.NDArray[np.int64]) -> dict[str, npt.NDArray[np.int64]]:
    fields: dict[str, npt.NDArray[np.int64]] = {}
    for name, first, width in PACKED_LAYOUT:
        value = (packed >> first) & ((1 << width) - 1)
        fields[name] = value - 1 if name.startswith("preferred_age") else value
    return fields


def _places(location_ids: npt.NDArray[np.int64]) -> tuple[Any, Any, Any]:
    """The distinct localities of the households, their coordinates, and each one's place."""
    places, place_of = np.unique(location_ids, return_inverse=True)
    found = {
        pk: (lat, lon)
        for pk, lat, lon in Location.objects.filter(pk__in=places.tolist()).values_list(
            "pk", "latitude", "longitude"
        )
    }
    coordinates = np.array(
        [found.get(int(p), (None, None)) for p in places], dtype=np.float64
    ).reshape(-1, 2)
    return place_of.reshape(-1).astype(np.int64), coordinates[:, 0].copy(), coordinates[:, 1].copy()


def carer_table(queryset: QuerySet[MatchingRow]) -> CarerTable:
    """The households of the queryset as a table of arrays (every one taken as available:
    filter with ``available_rows`` first); vacancies count the open placements now."""
    data = _rows(queryset)
    keys = data[:, 0]
    place_of, place_lat, place_lon = _places(data[:, 1])
    fields = _unpack(data[:, 2])
    placed = open_placements()
    occupied = np.zeros(len(keys), dtype=np.int64)
    if placed:
        placed_keys = np.fromiter(placed.keys(), dtype=np.int64, count=len(placed))
        placed_counts = np.fromiter(placed.values(), dtype=np.int64, count=len(placed))
        order = np.argsort(placed_keys)
        placed_keys, placed_counts = placed_keys[order], placed_counts[order]
        at = np.clip(np.searchsorted(placed_keys, keys), 0, len(placed_keys) - 1)
        occupied = np.where(placed_keys[at] == keys, placed_counts[at], 0)
    return CarerTable(
        keys=keys,
        vacancy=fields["max_children"] - occupied,
        age_min=fields["age_min"],
        age_max=fields["age_max"],
        accepts_female=fields["accepts_female"].astype(np.bool_),
        accepts_male=fields["accepts_male"].astype(np.bool_),
        sibling_groups=fields["sibling_groups"].astype(np.bool_),
        disabilities=fields["disabilities"].astype(np.bool_),
        domains_mask=data[:, 3],
        term=fields["term"],
        professional=fields["professional"].astype(np.bool_),
        languages_mask=data[:, 4],
        training_mask=data[:, 5],
        placements=fields["placements"],
        preferred_age_min=fields["preferred_age_min"],
        preferred_age_max=fields["preferred_age_max"],
        preferred_sex=fields["preferred_sex"],
        available=np.ones(len(keys), dtype=np.bool_),
        place_of=place_of,
        place_lat=place_lat,
        place_lon=place_lon,
    )


@dataclass(frozen=True)
class RankedCarer:
    household: CarerHousehold
    score: float
    reasons: tuple[Reason, ...]
    vacancy: int


@dataclass(frozen=True)
class Ranking:
    children: list[Child]
    group: SiblingGroup
    region: Location
    weights: Weights
    results: list[RankedCarer]
    considered: int  # households that passed the database's filters


def half_km() -> float:
    return float(settings.MATCHING_DISTANCE_HALF_KM)


def rank_for_child(
    user: AnyUser, child: Child, *, limit: int = 20, today: datetime.date | None = None
) -> Ranking:
    """The best households for the child and the siblings who wait with them."""
    today = today or timezone.localdate()
    children = sibling_unit(user, child)
    needs = child_needs(children, today)
    group = SiblingGroup(tuple(needs[c.pk] for c in children))
    region = region_of(child.home_location)
    weights = weights_for(region)
    table = carer_table(within_terms(available_rows(matching_rows_for_user(user), today), group))
    ranked = rank(group, table, weights, half_km(), limit)
    households = CarerHousehold.objects.select_related("location").in_bulk(
        [int(table.keys[i]) for i, _score in ranked]
    )
    explained = explain_many(
        [group] * len(ranked), table, [i for i, _score in ranked], weights, half_km()
    )
    results = [
        RankedCarer(
            household=households[int(table.keys[i])],
            score=score,
            reasons=reasons,
            vacancy=int(table.vacancy[i]),
        )
        for (i, score), reasons in zip(ranked, explained, strict=True)
    ]
    return Ranking(children, group, region, weights, results, len(table))


def group_for(children: list[Child], today: datetime.date) -> SiblingGroup:
    needs = child_needs(children, today)
    return SiblingGroup(tuple(needs[c.pk] for c in children))


def score_household(
    household: CarerHousehold, group: SiblingGroup, weights: Weights, today: datetime.date
) -> tuple[float, tuple[Reason, ...]] | None:
    """One household's score and reasons for the group now; None when it is not feasible."""
    table = carer_table(available_rows(MatchingRow.objects.filter(pk=household.pk), today))
    if len(table) == 0:
        return None
    score = float(group_scores(group, table, weights, half_km())[0])
    if not np.isfinite(score):
        return None
    return score, explain(group, table, 0, weights, half_km())


@dataclass
class BatchPlan:
    units: list[list[Child]]
    groups: list[SiblingGroup]
    table: CarerTable
    weights: Weights
    solution: Solution
    scores: np.ndarray[Any, np.dtype[np.float32]]  # per unit and household: the group's score
    seconds: float


def batch_plan(user: AnyUser, region: Location, *, today: datetime.date | None = None) -> BatchPlan:
    """The assignment for every child waiting in the region that maximises the total score."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    children = list(
        waiting_children(user, region, today=today).select_related(
            "home_location", "school_location"
        )
    )
    units = units_of(children)
    needs = child_needs(children, today)
    groups = [SiblingGroup(tuple(needs[c.pk] for c in unit)) for unit in units]
    weights = weights_for(region)
    table = carer_table(available_rows(matching_rows_for_user(user).filter(region=region), today))
    scores = units_scores(groups, table, weights, half_km(), dtype=np.float32)
    sizes = np.fromiter((g.size for g in groups), dtype=np.int64, count=len(groups))
    values = scores * sizes[:, None].astype(np.float32)
    solution = assign(
        values,
        sizes,
        np.maximum(table.vacancy, 0),
        exact_edges=settings.MATCHING_EXACT_PAIRS,
        time_limit=settings.MATCHING_TIME_LIMIT_SECONDS,
    )
    return BatchPlan(
        units=units,
        groups=groups,
        table=table,
        weights=weights,
        solution=solution,
        scores=scores,
        seconds=time.perf_counter() - started,
    )
