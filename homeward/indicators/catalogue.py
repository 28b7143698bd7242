"""One catalogue of indicators for the pages, the dashboards, the API and the drill-down: the
DOMAIN §9 indicators of ``engine`` and the operational ones of ``operational``, computed the same
way whichever door asks."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import QuerySet

from homeward.geo.models import Location
from homeward.indicators import engine, operational
from homeward.indicators.engine import Indicator, Result
from homeward.indicators.operational import Operational, OpResult, Scope

Entry = Indicator | Operational
Computed = Result | OpResult

CATALOGUE: dict[str, Entry] = {**engine.INDICATORS, **operational.OPERATIONAL}

DIMENSION_NAMES = [
    "age_band",
    "sex",
    "disability",
    "care_type",
    "region",
    "district",
    "institution",
    "agency",
    "service_type",
    "provider_agency",
]


def get(indicator_id: str) -> Entry | None:
    return CATALOGUE.get((indicator_id or "").upper())


def dimensions(indicator_id: str) -> list[str]:
    """The disaggregations an indicator offers, in the catalogue's order."""
    entry = CATALOGUE[indicator_id]
    if isinstance(entry, Operational):
        names = set(entry.dimensions)
    elif entry.kind == "median_days":
        names = set()  # a median has no breakdown
    else:
        names = set(engine.DIMENSIONS)
    return [d for d in DIMENSION_NAMES if d in names]


def by_institution(indicator_id: str) -> bool:
    """Whether the indicator can be computed for one institution (placement-based ones)."""
    entry = CATALOGUE[indicator_id]
    if isinstance(entry, Operational):
        return entry.by_institution
    return entry.kind != "median_days"


def compute(
    indicator_id: str,
    day: datetime.date,
    area: Location | None = None,
    by: list[str] | None = None,
    *,
    institution: Any = None,
    baseline: datetime.date | None = None,
) -> Computed:
    """Any indicator of the catalogue, whole and by the disaggregations asked for.

    For one institution, the DOMAIN §9 indicators are computed by institution and the
    institution's row is read (the area is then the whole country: a placement's institution
    says where it is)."""
    entry = CATALOGUE[indicator_id]
    dims = [d for d in (by or []) if d in dimensions(indicator_id)]
    if isinstance(entry, Operational):
        return operational.compute(
            indicator_id, day, area, dims, institution=institution, baseline=baseline
        )
    return engine.compute(indicator_id, day, area, dims, institution=institution)


def month_ends(day: datetime.date, months: int) -> list[datetime.date]:
    """The last days of the ``months`` months up to ``day``: ``day`` itself when it is the last
    day of its month, else the month ends before it; oldest first."""
    year, month = day.year, day.month
    if day.day != calendar.monthrange(year, month)[1]:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    ends = []
    for _ in range(months):
        ends.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def month_ends_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every month end from ``start`` to ``end``, both included."""
    ends = []
    year, month = start.year, start.month
    while True:
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            break
        if last >= start:
            ends.append(last)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return ends


def series(
    indicator_id: str,
    days: list[datetime.date],
    area: Location | None = None,
    *,
    institution: Any = None,
    baseline: datetime.date | None = None,
) -> list[Computed]:
    """The indicator on each day: the DOMAIN §9 indicators and the counts of facts (RES, REINT)
    in one reading of the facts, the other operational ones with one computation per point."""
    entry = CATALOGUE[indicator_id]
    if isinstance(entry, Indicator):
        return list(engine.series(indicator_id, days, area, institution=institution))
    if entry.reads is not None:
        return list(operational.series(indicator_id, days, area, institution=institution))
    return [
        compute(indicator_id, day, area, institution=institution, baseline=baseline) for day in days
    ]


def typed(value: str) -> Any:
    return {"True": True, "False": False}.get(value, value)


def counted_children(
    indicator_id: str,
    day: datetime.date,
    area: Location | None = None,
    *,
    institution: Any = None,
    group: dict[str, str] | None = None,
    baseline: datetime.date | None = None,
) -> QuerySet[Any]:
    """The ids of the children behind a figure (a whole indicator or one cell of a breakdown),
    for the drill-down; the caller intersects them with what the reader may see."""
    entry = CATALOGUE[indicator_id]
    if isinstance(entry, Operational):
        scope = Scope(day, area, institution if entry.by_institution else None, baseline)
        rows: QuerySet[Any] = entry.numerator(scope)
        fields = entry.dimensions
        child = entry.child
    else:
        rows = entry.numerator(engine.Context(day, area, institution))
        fields = engine.DIMENSIONS
        child = "child_id"
    for name, value in (group or {}).items():
        if name not in fields:
            continue
        if value == "":
            rows = rows.filter(**{f"{fields[name]}__isnull": True})
        else:
            rows = rows.filter(**{fields[name]: typed(value)})
    return rows.order_by().values(child)
