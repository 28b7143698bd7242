"""Episode facts: the indicators' reading of each placement, kept in ``PlacementFact``.

DOMAIN §9 defines entries, exits and episodes by comparing a placement with the child's other
placements. Asked in every indicator query, that is a correlated subquery per placement; here
it is worked out once per child, in Python over the child's few placements, whenever they
change: the care actions, the census import and corrections of the child's date of birth, sex
or disability call ``refresh``. ``rebuild`` (``manage.py indicators_facts``) recomputes every
child, for a database filled by other means.

A child's placements never overlap (``placement_start`` and the census import refuse it), so
the episodes are ``care.episodes``: runs of placements each starting no later than a day after
the previous one ended. Within them:

- an **entry** is an episode's first placement, an **exit** its last once it has ended, and
  the placement after one in its episode is what it was **followed** by (family-based or
  residential);
- the **episode order** counts the placements of the episode up to this one (STAB);
- a residential placement followed in its episode by a family-based one, or ending it
  ``reunified`` or ``adopted``, **moved to a family**; the **previous move end** is the end
  of the child's latest such move before this placement's end (FC3, MOVED);
- an entry whose episode ended ``reunified`` within 12 months of its start is **reunified
  within a year**, an exit followed by the child's next entry within 12 months of its end
  **re-entered within a year** (RU12, RE12);
- the **previous entry** (the latest entry before the start) and **previous reunified exit**
  (the latest exit as ``reunified`` before the end) tell the first entry or exit of a child in
  a year (RU12, RE12);
- the child's date of birth, sex and disability, the placement's latest review and the dates
  of the approved care plan of the child's case are copied beside each placement (reviews
  and plans call ``refresh`` too).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from homeward.care.episodes import episodes
from homeward.care.models import FAMILY_BASED, RESIDENTIAL, ExitDestination, Placement
from homeward.core.bulk import copy_rows
from homeward.indicators.models import PlacementFact
from homeward.plans.models import PlanStatus

ONE_DAY = datetime.timedelta(days=1)
BATCH = 2000  # children per round trip when rebuilding


@dataclass(frozen=True)
class Stay:
    """One placement as the rules need it."""

    pk: int
    care_type: str
    institution_id: int | None
    region_id: int
    district_id: int
    start: datetime.date
    end: datetime.date | None
    exit_destination: str
    gatekept_on: datetime.date | None
    last_review_on: datetime.date | None = None


@dataclass(frozen=True)
class Person:
    born: datetime.date
    sex: str
    disability: bool
    plan_decided_on: datetime.date | None = None
    plan_review_due: datetime.date | None = None


def within_a_year(since: datetime.date, day: datetime.date | None) -> bool:
    """``day`` is on or before the same calendar day twelve months after ``since`` (29 February
    counts as the 29th: 1 March the next year is past it)."""
    if day is None:
        return False
    return (day.year, day.month, day.day) <= (since.year + 1, since.month, since.day)


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Whole years from ``born`` to ``day`` (negative before birth)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Models:
    """The models read and written: the current ones, or a migration's historical ones."""

    child: Any
    placement: Any
    fact: Any
    review: Any
    plan: Any


def current_models() -> Models:
    from homeward.care.models import PlacementReview
    from homeward.plans.models import CarePlan
    from homeward.registry.models import Child

    return Models(Child, Placement, PlacementFact, PlacementReview, CarePlan)


def child_facts(child_id: int, person: Person, stays: list[Stay]) -> list[Any]:
    """The facts of every placement of one child, as the fields of ``PlacementFact`` by
    attribute (plain objects: a model instance for each cost more than working them out)."""
    runs = episodes(sorted(stays, key=lambda s: (s.start, s.pk)))
    home = {ExitDestination.REUNIFIED, ExitDestination.ADOPTED}
    moves: set[int] = set()  # residential placements that ended in a family or at home
    for run in runs:
        for order, s in enumerate(run, start=1):
            following = run[order] if order < len(run) else None
            to_family = following is not None and following.care_type in FAMILY_BASED
            home_at_exit = following is None and s.end is not None and s.exit_destination in home
            if s.care_type in RESIDENTIAL and s.end is not None and (to_family or home_at_exit):
                moves.add(s.pk)
    move_ends = sorted(s.end for s in stays if s.pk in moves and s.end is not None)
    facts = []
    for number, run in enumerate(runs):
        last = run[-1]
        ended = last.end is not None
        previous_entry = runs[number - 1][0].start if number else None
        next_entry = runs[number + 1][0].start if number + 1 < len(runs) else None
        reunified_before = [
            r[-1].end
            for r in runs[:number]
            if r[-1].end is not None and r[-1].exit_destination == ExitDestination.REUNIFIED
        ]
        reunified = ended and last.exit_destination == ExitDestination.REUNIFIED
        for order, s in enumerate(run, start=1):
            following = run[order] if order < len(run) else None
            is_exit = s is last and ended
            facts.append(
                SimpleNamespace(
                    placement_id=s.pk,
                    child_id=child_id,
                    care_type=s.care_type,
                    institution_id=s.institution_id,
                    region_id=s.region_id,
                    district_id=s.district_id,
                    start=s.start,
                    end=s.end,
                    exit_destination=s.exit_destination,
                    born=person.born,
                    sex=person.sex,
                    disability=person.disability,
                    age_at_start=age_on(person.born, s.start),
                    age_at_end=age_on(person.born, s.end) if s.end is not None else None,
                    days_to_placement=(
                        (s.start - s.gatekept_on).days if s.gatekept_on is not None else None
                    ),
                    is_entry=order == 1,
                    is_exit=is_exit,
                    next_family=following is not None and following.care_type in FAMILY_BASED,
                    next_residential=following is not None and following.care_type in RESIDENTIAL,
                    episode_order=order,
                    moved_to_family=s.pk in moves,
                    previous_move_end=(
                        max((e for e in move_ends if e < s.end), default=None)
                        if s.end is not None
                        else None
                    ),
                    reunified_within_a_year=order == 1
                    and reunified
                    and within_a_year(s.start, last.end),
                    reentered_within_a_year=is_exit
                    and s.end is not None
                    and within_a_year(s.end, next_entry),
                    previous_entry=previous_entry if order == 1 else run[0].start,
                    previous_reunified_exit=max(reunified_before, default=None)
                    if s.end is not None
                    else None,
                    last_review_on=s.last_review_on,
                    plan_decided_on=person.plan_decided_on,
                    plan_review_due=person.plan_review_due,
                )
            )
    return facts


STAY_FIELDS = [
    "pk",
    "care_type",
    "institution_id",
    "region_id",
    "district_id",
    "start",
    "end",
    "exit_destination",
    "gatekeeping__decided_on",
]


def _facts_of(child_ids: list[int], models: Models) -> Iterator[Any]:
    plans = {
        child_id: (timezone.localtime(decided_at).date(), due)
        for child_id, decided_at, due in models.plan.objects.filter(
            case__child_id__any_of=child_ids, status=PlanStatus.APPROVED, decided_at__isnull=False
        )
        .order_by("decided_at")
        .values_list("case__child_id", "decided_at", "next_review_on")
    }  # one approved plan per case; were there more, the latest decided
    children = models.child.objects.filter(pk__any_of=child_ids)
    people = {
        pk: Person(born, sex, disability, *plans.get(pk, (None, None)))
        for pk, born, sex, disability in children.values_list(
            "pk", "date_of_birth", "sex", "has_disability"
        )
    }
    rows = list(
        models.placement.objects.filter(child_id__any_of=child_ids)
        .order_by()
        .values_list("child_id", *STAY_FIELDS)
    )
    reviewed = dict(
        models.review.objects.filter(placement_id__any_of=[row[1] for row in rows])
        .order_by()
        .values("placement_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("placement_id", "last")
    )
    stays: dict[int, list[Stay]] = {}
    for child_id, pk, *values in rows:
        stay = Stay(pk, *values, last_review_on=reviewed.get(pk))  # type: ignore[misc]
        stays.setdefault(child_id, []).append(stay)
    for child_id, child_stays in stays.items():
        yield from child_facts(child_id, people[child_id], child_stays)


def refresh(child_ids: Iterable[int], models: Models | None = None) -> int:
    """Recompute the facts of these children's placements; returns how many were written."""
    models = models or current_models()
    written = 0
    ids = sorted(set(child_ids))
    for offset in range(0, len(ids), BATCH):
        chunk = ids[offset : offset + BATCH]
        with transaction.atomic():
            models.fact.objects.filter(child_id__any_of=chunk).delete()
            written += _store(list(_facts_of(chunk, models)), models.fact)
    return written


def _store(facts: list[Any], model: Any) -> int:
    """Insert the facts: by COPY on PostgreSQL, where preparing every value of a bulk INSERT
    took most of an import's time; by ``bulk_create`` elsewhere."""
    if connections[model.objects.db].vendor != "postgresql":
        instances = [model(**vars(fact)) for fact in facts]
        return len(model.objects.bulk_create(instances, batch_size=BATCH))
    fields = model._meta.concrete_fields
    rows = ([getattr(fact, f.attname) for f in fields] for fact in facts)
    return copy_rows(model, [f.column for f in fields], rows)


def _placed_children(models: Models) -> list[int]:
    """Every child with a placement, in id order."""
    placements = models.placement.objects.order_by("child_id")
    return list(placements.values_list("child_id", flat=True).distinct())


def rebuild(progress: Callable[[int, int], Any] | None = None, models: Models | None = None) -> int:
    """Recompute the facts of every placement (children in batches); returns the count."""
    models = models or current_models()
    ids = _placed_children(models)
    written = 0
    for offset in range(0, len(ids), BATCH):
        written += refresh(ids[offset : offset + BATCH], models)
        if progress is not None:
            progress(min(offset + BATCH, len(ids)), len(ids))
    return written


def stale(child_ids: Iterable[int] | None = None) -> list[int]:
    """The children (all with placements, unless given) whose stored facts differ from what
    their placements give now: written by other means than the actions and the import."""
    models = current_models()
    names = [f.attname for f in PlacementFact._meta.concrete_fields]
    ids = _placed_children(models) if child_ids is None else sorted(set(child_ids))
    found = []
    for offset in range(0, len(ids), BATCH):
        chunk = ids[offset : offset + BATCH]
        expected: dict[int, set[tuple[Any, ...]]] = {}
        for fact in _facts_of(chunk, models):
            expected.setdefault(fact.child_id, set()).add(tuple(getattr(fact, n) for n in names))
        stored: dict[int, set[tuple[Any, ...]]] = {}
        for row in PlacementFact.objects.filter(child_id__any_of=chunk).values_list(*names):
            stored.setdefault(row[names.index("child_id")], set()).add(row)
        found += [c for c in chunk if expected.get(c, set()) != stored.get(c, set())]
    return found
