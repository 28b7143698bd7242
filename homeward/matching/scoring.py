"""Scoring carers for a child or a sibling group: pure functions over plain dataclasses and
NumPy arrays, with no database access, so that one child against 50,000 carers is a few
vectorised operations and every score can be explained in words.

A child's score against a household is 0–100: the weighted mean of the criteria that apply
to that child (a child with no known school is not marked down on distance to school). A
sibling group's score is the mean over its children; in a batch, a group counts once per
child placed. Hard constraints (approved, a vacancy for the whole group, every child within
the approval terms) make a household infeasible rather than low-scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.carers.models import Language, TrainingTopic

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CRITERIA = (
    "relatives",
    "siblings",
    "home",
    "school",
    "parents",
    "language",
    "training",
    "experience",
    "preferences",
    "professional",
)
TERM_CODES = {"both": 0, "short": 1, "long": 2}
SEX_CODES = {"": 0, "F": 1, "M": 2}
EXPERIENCE_FULL = 5  # children cared for before at which experience counts in full
EARTH_RADIUS_KM = 6371.0088
TOPIC_BIT = {topic: index for index, topic in enumerate(TrainingTopic.values)}


@dataclass(frozen=True)
class Weights:
    relatives: float = 30
    siblings: float = 20
    home: float = 10
    school: float = 10
    parents: float = 5
    language: float = 10
    training: float = 10
    experience: float = 5
    preferences: float = 5
    professional: float = 5

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Weights:
        return cls(**{name: float(data[name]) for name in CRITERIA if name in data})

    def as_dict(self) -> dict[str, float]:
        return {name: float(value) for name, value in asdict(self).items()}


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class ChildNeeds:
    key: int
    age: int
    sex: str  # "F" or "M"
    has_disability: bool = False
    domains_mask: int = 0  # functional domains affected, as bits
    languages_mask: int = 0
    topics_mask: int = 0  # training topics needed beyond those age and disability imply
    term: str = ""  # "short", "long", or "" when either will do
    home: Point | None = None
    school: Point | None = None
    parents: tuple[Point, ...] = ()
    relative_households: frozenset[int] = frozenset()
    sibling_households: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SiblingGroup:
    """Children placed together, as one unit: never split, all or none."""

    children: tuple[ChildNeeds, ...]

    @property
    def size(self) -> int:
        return len(self.children)


@dataclass(frozen=True)
class CarerProfile:
    key: int
    vacancy: int
    age_min: int
    age_max: int
    accepts_female: bool = True
    accepts_male: bool = True
    sibling_groups: bool = False
    disabilities: bool = False
    domains_mask: int = 0  # 0: any domain, when disabilities are accepted
    term: str = "both"
    professional: bool = False
    languages_mask: int = 0
    training_mask: int = 0
    placements: int = 0
    location: Point | None = None
    preferred_age_min: int | None = None
    preferred_age_max: int | None = None
    preferred_sex: str = ""
    available: bool = True  # approved, not on hold, approval not lapsed


@dataclass
class CarerTable:
    """Carer profiles column-wise: one array per attribute, one position per household.

    Coordinates come from localities, so thousands of households share a few hundred
    places: each household has a place, and distances are computed per place."""

    keys: IntArray
    vacancy: IntArray
    age_min: IntArray
    age_max: IntArray
    accepts_female: BoolArray
    accepts_male: BoolArray
    sibling_groups: BoolArray
    disabilities: BoolArray
    domains_mask: IntArray
    term: IntArray
    professional: BoolArray
    languages_mask: IntArray
    training_mask: IntArray
    placements: IntArray
    preferred_age_min: IntArray  # -1 where not stated
    preferred_age_max: IntArray
    preferred_sex: IntArray  # SEX_CODES
    available: BoolArray
    place_of: IntArray  # per household: its position in place_lat / place_lon
    place_lat: FloatArray  # per place; NaN where unknown
    place_lon: FloatArray

    PER_PLACE = ("place_lat", "place_lon")

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    @classmethod
    def from_profiles(cls, profiles: Iterable[CarerProfile]) -> CarerTable:
        items = list(profiles)

        def ints(values: Iterable[int]) -> IntArray:
            return np.fromiter(values, dtype=np.int64, count=len(items))

        def flags(values: Iterable[bool]) -> BoolArray:
            return np.fromiter(values, dtype=np.bool_, count=len(items))

        places: dict[tuple[float, float], int] = {}
        nowhere = (float("nan"), float("nan"))
        place_of = [
            places.setdefault(
                (p.location.lat, p.location.lon) if p.location else nowhere, len(places)
            )
            for p in items
        ]
        coordinates = np.asarray(list(places), dtype=np.float64).reshape(-1, 2)
        return cls(
            keys=ints(p.key for p in items),
            vacancy=ints(p.vacancy for p in items),
            age_min=ints(p.age_min for p in items),
            age_max=ints(p.age_max for p in items),
            accepts_female=flags(p.accepts_female for p in items),
            accepts_male=flags(p.accepts_male for p in items),
            sibling_groups=flags(p.sibling_groups for p in items),
            disabilities=flags(p.disabilities for p in items),
            domains_mask=ints(p.domains_mask for p in items),
            term=ints(TERM_CODES.get(p.term, 0) for p in items),
            professional=flags(p.professional for p in items),
            languages_mask=ints(p.languages_mask for p in items),
            training_mask=ints(p.training_mask for p in items),
            placements=ints(p.placements for p in items),
            preferred_age_min=ints(
                -1 if p.preferred_age_min is None else p.preferred_age_min for p in items
            ),
            preferred_age_max=ints(
                -1 if p.preferred_age_max is None else p.preferred_age_max for p in items
            ),
            preferred_sex=ints(SEX_CODES.get(p.preferred_sex, 0) for p in items),
            available=flags(p.available for p in items),
            place_of=np.asarray(place_of, dtype=np.int64),
            place_lat=coordinates[:, 0].copy(),
            place_lon=coordinates[:, 1].copy(),
        )

    def take(self, indices: npt.ArrayLike) -> CarerTable:
        index = np.asarray(indices, dtype=np.int64)
        return CarerTable(
            **{
                f.name: getattr(self, f.name)
                if f.name in self.PER_PLACE
                else getattr(self, f.name)[index]
                for f in fields(self)
            }
        )

    def places(self) -> tuple[FloatArray, FloatArray, IntArray]:
        return self.place_lat, self.place_lon, self.place_of


@dataclass(frozen=True)
class Reason:
    """One line of an explanation; the words are made in the reader's language when shown."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return reason_text(self.code, self.params)

    def __str__(self) -> str:
        return self.text

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple[Reason, ...]


# --- geometry ------------------------------------------------------------------------------


def distance_km(
    lat: npt.ArrayLike, lon: npt.ArrayLike, lats: FloatArray, lons: FloatArray
) -> FloatArray:
    """Great-circle (haversine) distances in km, broadcasting; NaN where a point is unknown."""
    phi1 = np.radians(np.asarray(lat, dtype=np.float64))
    phi2 = np.radians(lats)
    half_dphi = (phi2 - phi1) * 0.5
    half_dlambda = np.radians(lons - np.asarray(lon, dtype=np.float64)) * 0.5
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result


def closeness(distances: FloatArray, half_km: float) -> FloatArray:
    """1 at the same place, ½ at ``half_km``, falling towards 0; 0 where the distance is
    unknown."""
    result: FloatArray = np.where(
        np.isnan(distances), 0.0, np.exp2(-np.nan_to_num(distances) / half_km)
    )
    return result


# --- constraints and criteria, for several children (rows) against every household ---------


def needed_topics(child: ChildNeeds, size: int) -> int:
    mask = child.topics_mask
    if child.has_disability:
        mask |= 1 << TOPIC_BIT[TrainingTopic.DISABILITY]
    if child.age < 3:
        mask |= 1 << TOPIC_BIT[TrainingTopic.UNDER_3]
    if child.age >= 13:
        mask |= 1 << TOPIC_BIT[TrainingTopic.TEENAGERS]
    if size > 1:
        mask |= 1 << TOPIC_BIT[TrainingTopic.SIBLING_GROUPS]
    return mask


def _column(values: Iterable[Any], dtype: Any) -> Any:
    return np.asarray(list(values), dtype=dtype)[:, None]


def feasible_rows(
    children: Sequence[ChildNeeds], sizes: Sequence[int], table: CarerTable
) -> BoolArray:
    """Per child (row) and household (column): every hard constraint that concerns the child
    (its group's size included) holds."""
    age = _column((c.age for c in children), np.int64)
    size = _column(sizes, np.int64)
    female = _column((c.sex == "F" for c in children), np.bool_)
    disabled = _column((c.has_disability for c in children), np.bool_)
    domains = _column((c.domains_mask for c in children), np.int64)
    term = _column((c.term for c in children), object)
    ok = (
        table.available[None, :]
        & (table.vacancy[None, :] >= size)
        & (table.age_min[None, :] <= age)
        & (table.age_max[None, :] >= age)
        & np.where(female, table.accepts_female[None, :], table.accepts_male[None, :])
        & ((size <= 1) | table.sibling_groups[None, :])
    )
    disability_ok = table.disabilities[None, :] & (
        (table.domains_mask[None, :] == 0) | ((table.domains_mask[None, :] & domains) == domains)
    )
    ok &= ~disabled | disability_ok
    ok &= (term != "short") | (table.term[None, :] != TERM_CODES["long"])
    ok &= (term != "long") | (table.term[None, :] != TERM_CODES["short"])
    result: BoolArray = ok
    return result


def feasible(group: SiblingGroup, table: CarerTable) -> BoolArray:
    """Households that meet every hard constraint for every child of the group."""
    rows = feasible_rows(group.children, [group.size] * group.size, table)
    result: BoolArray = np.all(rows, axis=0)
    return result


@dataclass
class Criteria:
    """Each criterion's value (0–1) per child and household, whether it applies to each
    child, and the distances behind the closeness values (NaN where unknown). With
    ``by_place`` the three distance criteria are per child and *place* (see ``places``), and
    ``place_of`` maps households to places."""

    values: dict[str, FloatArray]
    applies: dict[str, BoolArray]
    distances: dict[str, FloatArray]
    place_of: IntArray | None = None


PLACE_CRITERIA = ("home", "school", "parents")


def _lat_lon(points: Iterable[Point | None]) -> tuple[FloatArray, FloatArray]:
    found = [(p.lat, p.lon) if p is not None else (np.nan, np.nan) for p in points]
    coords = np.asarray(found, dtype=np.float64).reshape(-1, 2)
    return coords[:, :1], coords[:, 1:]


def criteria(
    children: Sequence[ChildNeeds],
    sizes: Sequence[int],
    table: CarerTable,
    half_km: float,
    *,
    by_place: bool = False,
) -> Criteria:
    n_rows, n = len(children), len(table)
    values: dict[str, FloatArray] = {}
    applies: dict[str, BoolArray] = {}
    distances: dict[str, FloatArray] = {}
    nothing = np.broadcast_to(np.zeros(1), (n_rows, n))

    for name, attribute in (
        ("relatives", "relative_households"),
        ("siblings", "sibling_households"),
    ):
        flags = np.asarray([bool(getattr(c, attribute)) for c in children], dtype=np.bool_)
        found = nothing
        if flags.any():
            found = np.zeros((n_rows, n), dtype=np.float64)
            for row, child in enumerate(children):
                keys = getattr(child, attribute)
                if keys:
                    found[row] = np.isin(table.keys, list(keys))
        values[name], applies[name] = found, flags

    place_lat, place_lon, place_of = table.places()

    def to_places(points: Iterable[Point | None]) -> FloatArray:
        lat, lon = _lat_lon(points)
        return distance_km(lat, lon, place_lat[None, :], place_lon[None, :])

    per_place: dict[str, FloatArray] = {}
    for name in ("home", "school"):
        per_place[name] = to_places(getattr(c, name) for c in children)
        applies[name] = np.asarray([getattr(c, name) is not None for c in children], np.bool_)
    nearest = np.full((n_rows, place_lat.size), np.nan)
    for index in range(max((len(c.parents) for c in children), default=0)):
        points = (c.parents[index] if index < len(c.parents) else None for c in children)
        nearest = np.fmin(nearest, to_places(points))
    per_place["parents"] = nearest
    applies["parents"] = np.asarray([bool(c.parents) for c in children], dtype=np.bool_)
    for name, by_distance in per_place.items():
        if by_place:
            values[name] = closeness(by_distance, half_km)
        else:
            distances[name] = by_distance[:, place_of]
            values[name] = closeness(by_distance, half_km)[:, place_of]

    languages = _column((c.languages_mask for c in children), np.int64)
    applies["language"] = languages[:, 0] != 0
    values["language"] = ((table.languages_mask[None, :] & languages) != 0).astype(np.float64)

    needed = [needed_topics(c, size) for c, size in zip(children, sizes, strict=True)]
    counts = np.asarray([bin(mask).count("1") for mask in needed], dtype=np.float64)
    trained = nothing
    for bit in range(len(TrainingTopic.values)):
        wanted = np.asarray([mask >> bit & 1 for mask in needed], dtype=np.float64)
        if wanted.any():
            trained = trained + wanted[:, None] * ((table.training_mask >> bit) & 1)[None, :]
    applies["training"] = counts > 0
    values["training"] = trained / np.maximum(counts, 1)[:, None]

    applies["experience"] = np.ones(n_rows, dtype=np.bool_)
    experience = np.minimum(table.placements, EXPERIENCE_FULL) / EXPERIENCE_FULL
    values["experience"] = np.broadcast_to(experience[None, :], (n_rows, n))

    age = _column((c.age for c in children), np.int64)
    sex = _column((SEX_CODES.get(c.sex, 0) for c in children), np.int64)
    low, high, wish = (
        table.preferred_age_min[None, :],
        table.preferred_age_max[None, :],
        table.preferred_sex[None, :],
    )
    stated = (low >= 0) | (high >= 0) | (wish > 0)
    fits = ((low < 0) | (low <= age)) & ((high < 0) | (high >= age)) & ((wish == 0) | (wish == sex))
    applies["preferences"] = np.ones(n_rows, dtype=np.bool_)
    # Carers who stated no preference sit between those whose preference fits and not.
    values["preferences"] = np.where(stated, fits.astype(np.float64), 0.5)

    priority = np.asarray([c.age < 3 or c.has_disability for c in children], dtype=np.bool_)
    applies["professional"] = priority
    values["professional"] = (priority[:, None] & table.professional[None, :]).astype(np.float64)
    return Criteria(values, applies, distances, place_of if by_place else None)


def child_scores(
    children: Sequence[ChildNeeds],
    sizes: Sequence[int],
    table: CarerTable,
    weights: Weights,
    half_km: float,
) -> FloatArray:
    """Each child's 0–100 score against every household (hard constraints not applied): the
    weighted mean of the criteria that apply to that child."""
    found = criteria(children, sizes, table, half_km, by_place=True)
    place_of = found.place_of
    if place_of is None:  # by_place always gives it
        raise ValueError(place_of)
    weight_of = weights.as_dict()
    n_rows = len(children)
    weight_sum = np.zeros(n_rows, dtype=np.float64)
    coefficient: dict[str, FloatArray] = {}
    for name in CRITERIA:
        coefficient[name] = max(weight_of[name], 0.0) * found.applies[name].astype(np.float64)
        weight_sum += coefficient[name]
    # Closeness is per place: add the three distance criteria there, spread them out once.
    near = np.zeros((n_rows, found.values["home"].shape[1]), dtype=np.float64)
    for name in PLACE_CRITERIA:
        near += coefficient[name][:, None] * found.values[name]
    total = near[:, place_of]
    for name in CRITERIA:
        if name not in PLACE_CRITERIA and np.any(coefficient[name]):
            total += coefficient[name][:, None] * found.values[name]
    ratio = np.divide(
        total, weight_sum[:, None], out=np.zeros_like(total), where=weight_sum[:, None] > 0
    )
    result: FloatArray = 100.0 * ratio
    return result


def units_scores(
    groups: Sequence[SiblingGroup],
    table: CarerTable,
    weights: Weights,
    half_km: float,
    *,
    chunk: int = 128,
    dtype: Any = np.float64,
) -> npt.NDArray[Any]:
    """Each group's 0–100 score (the mean over its children) against every household, −inf
    where a hard constraint fails; many children at once, in chunks that bound memory."""
    result = np.empty((len(groups), len(table)), dtype=dtype)
    children = [
        (u, child, group.size) for u, group in enumerate(groups) for child in group.children
    ]
    for start in range(0, len(children), chunk):
        part = children[start : start + chunk]
        kids = [child for _u, child, _size in part]
        sizes = [size for _u, _child, size in part]
        scores = child_scores(kids, sizes, table, weights, half_km)
        scores[~feasible_rows(kids, sizes, table)] = -np.inf
        for row, (u, _child, size) in enumerate(part):
            first = start + row == 0 or children[start + row - 1][0] != u
            if first:
                result[u] = scores[row] / size
            else:
                result[u] += scores[row] / size
    return result


def group_scores(
    group: SiblingGroup, table: CarerTable, weights: Weights, half_km: float
) -> FloatArray:
    """The group's 0–100 score against every household; −inf where a hard constraint fails."""
    result: FloatArray = units_scores([group], table, weights, half_km)[0]
    return result


def rank(
    group: SiblingGroup, table: CarerTable, weights: Weights, half_km: float, limit: int
) -> list[tuple[int, float]]:
    """The best ``limit`` feasible households as (position in the table, score), best first;
    ties go to the household with the lower key, so that a ranking is repeatable."""
    scores = group_scores(group, table, weights, half_km)
    candidates = np.flatnonzero(np.isfinite(scores))
    if candidates.size == 0:
        return []
    if candidates.size > limit:
        part = np.argpartition(-scores[candidates], limit - 1)[:limit]
        candidates = candidates[part]
    order = np.lexsort((table.keys[candidates], -scores[candidates]))
    return [(int(i), float(scores[i])) for i in candidates[order]]


# --- explanations --------------------------------------------------------------------------


def explain(
    group: SiblingGroup, table: CarerTable, index: int, weights: Weights, half_km: float
) -> tuple[Reason, ...]:
    """Why this household scores as it does for the group, most important first (the
    distances and language are the eldest child's)."""
    return explain_many([group], table, [index], weights, half_km)[0]


def explain_many(
    groups: Sequence[SiblingGroup],
    table: CarerTable,
    indices: Sequence[int],
    weights: Weights,
    half_km: float,
    *,
    chunk: int = 256,
) -> list[tuple[Reason, ...]]:
    """``explain`` for many (group, household) pairs at once: the criteria of a chunk of
    pairs are computed together and each pair reads its own diagonal entry."""
    weight_of = weights.as_dict()
    explained: list[tuple[Reason, ...]] = []
    for start in range(0, len(groups), chunk):
        part = list(groups[start : start + chunk])
        chosen = table.take(list(indices[start : start + chunk]))
        found = criteria([g.children[0] for g in part], [g.size for g in part], chosen, half_km)
        for row, group in enumerate(part):
            explained.append(_reasons(group, chosen, row, found, weight_of))
    return explained


def _reasons(
    group: SiblingGroup,
    chosen: CarerTable,
    row: int,
    found: Criteria,
    weight_of: dict[str, float],
) -> tuple[Reason, ...]:
    child = group.children[0]
    reasons: list[Reason] = []

    def counts(name: str) -> bool:
        return bool(found.applies[name][row]) and weight_of[name] > 0

    def value(name: str) -> float:
        return float(found.values[name][row, row])

    if counts("relatives") and value("relatives") > 0:
        reasons.append(Reason("relatives"))
    if counts("siblings") and value("siblings") > 0:
        reasons.append(Reason("siblings"))
    if group.size > 1:
        reasons.append(Reason("sibling_group", {"count": group.size}))
    for name in ("school", "home", "parents"):
        distance = float(found.distances[name][row, row])
        if counts(name) and not np.isnan(distance):
            reasons.append(Reason(name, {"km": round(distance)}))
    if counts("language"):
        shared = int(chosen.languages_mask[row]) & child.languages_mask
        if shared:
            codes = [code for bit, code in enumerate(Language.values) if shared >> bit & 1]
            reasons.append(Reason("language", {"languages": codes}))
        else:
            reasons.append(Reason("no_language"))
    if counts("training"):
        needed = 0
        for member in group.children:
            needed |= needed_topics(member, group.size)
        trained = int(chosen.training_mask[row]) & needed
        if trained:
            codes = [t for t in TrainingTopic.values if trained >> TOPIC_BIT[t] & 1]
            reasons.append(Reason("training", {"topics": codes}))
    placements = int(chosen.placements[row])
    if counts("experience") and placements > 0:
        reasons.append(Reason("experience", {"count": placements}))
    if counts("preferences"):
        if value("preferences") == 1.0:
            reasons.append(Reason("preferences"))
        elif value("preferences") == 0.0:
            reasons.append(Reason("outside_preferences"))
    if counts("professional") and value("professional") > 0:
        reasons.append(Reason("professional"))
    reasons.append(Reason("vacancy", {"count": int(chosen.vacancy[row])}))
    return tuple(reasons)


def violations(group: SiblingGroup, carer: CarerProfile) -> tuple[Reason, ...]:
    """Which hard constraints a household fails for the group (empty: it may take them)."""
    found: list[Reason] = []
    if not carer.available:
        found.append(Reason("not_available"))
    if carer.vacancy < group.size:
        found.append(Reason("no_room", {"count": carer.vacancy, "needed": group.size}))
    if group.size > 1 and not carer.sibling_groups:
        found.append(Reason("no_sibling_groups"))
    for child in group.children:
        if not carer.age_min <= child.age <= carer.age_max:
            found.append(
                Reason("age", {"age": child.age, "min": carer.age_min, "max": carer.age_max})
            )
        if not (carer.accepts_female if child.sex == "F" else carer.accepts_male):
            found.append(Reason("sex", {"sex": child.sex}))
        if child.has_disability and not (
            carer.disabilities
            and (
                carer.domains_mask == 0
                or (carer.domains_mask & child.domains_mask) == child.domains_mask
            )
        ):
            found.append(Reason("disability"))
        if (child.term, carer.term) in {("short", "long"), ("long", "short")}:
            found.append(Reason("term"))
    unique: dict[tuple[str, str], Reason] = {}
    for reason in found:
        unique.setdefault((reason.code, repr(sorted(reason.params.items()))), reason)
    return tuple(unique.values())


def score_match(
    group: SiblingGroup, carer: CarerProfile, weights: Weights, half_km: float
) -> Scored | None:
    """One household's score for the group with its reasons; None when a hard constraint
    fails (``violations`` says which)."""
    table = CarerTable.from_profiles([carer])
    score = float(group_scores(group, table, weights, half_km)[0])
    if not np.isfinite(score):
        return None
    return Scored(score=score, reasons=explain(group, table, 0, weights, half_km))


# --- words ---------------------------------------------------------------------------------


def _join(labels: list[str]) -> str:
    return ", ".join(labels)


def reason_text(code: str, params: Mapping[str, Any]) -> str:
    """A reason in the active language."""
    count = int(params.get("count", 0) or 0)
    km = formats.number_format(int(params.get("km", 0) or 0))
    if code == "relatives":
        return _("relatives of the child")
    if code == "siblings":
        return _("already caring for a brother or sister")
    if code == "sibling_group":
        return _("approved for sibling groups")
    if code == "home":
        return _("%(km)s km from home") % {"km": km}
    if code == "school":
        return _("%(km)s km from school") % {"km": km}
    if code == "parents":
        return _("%(km)s km from the parents") % {"km": km}
    if code == "language":
        names = dict(Language.choices)
        spoken = _join([str(names.get(c, c)) for c in params.get("languages", [])])
        return _("speaks %(languages)s") % {"languages": spoken}
    if code == "no_language":
        return _("does not speak the child's language")
    if code == "training":
        topics = dict(TrainingTopic.choices)
        trained = _join([str(topics.get(t, t)) for t in params.get("topics", [])])
        return _("trained in caring for %(topics)s") % {"topics": trained}
    if code == "experience":
        return ngettext(
            "has cared for %(count)s child before", "has cared for %(count)s children before", count
        ) % {"count": count}
    if code == "preferences":
        return _("within the carers' stated preferences")
    if code == "outside_preferences":
        return _("outside the carers' stated preferences")
    if code == "professional":
        return _("a professional foster family, given priority for this child")
    if code == "vacancy":
        return ngettext("%(count)s place free", "%(count)s places free", count) % {"count": count}
    if code == "not_available":
        return _("not approved now, on hold, or the approval has lapsed")
    if code == "no_room":
        return ngettext(
            "%(count)s place free for %(needed)s children",
            "%(count)s places free for %(needed)s children",
            count,
        ) % {"count": count, "needed": int(params.get("needed", 0))}
    if code == "no_sibling_groups":
        return _("not approved for sibling groups")
    if code == "age":
        return _("approved for ages %(min)s–%(max)s; the child is %(age)s") % {
            "min": params.get("min"),
            "max": params.get("max"),
            "age": params.get("age"),
        }
    if code == "sex":
        return (
            _("not approved for girls") if params.get("sex") == "F" else _("not approved for boys")
        )
    if code == "disability":
        return _("not approved for this child's disability")
    if code == "term":
        return _("approved for another term of care")
    return code


def reasons_from_json(data: Any) -> list[Reason]:
    """Reasons stored with a proposed match, ready to be shown in the reader's language."""
    if not isinstance(data, list):
        return []
    return [
        Reason(str(item.get("code", "")), dict(item.get("params") or {}))
        for item in data
        if isinstance(item, dict)
    ]
