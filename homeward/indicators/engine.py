"""The indicators of DOMAIN §9, each defined once and computed by aggregate queries.

Conventions (DOMAIN §9): a placement covers [start, end); a child is in care on D when a
placement has start ≤ D and (no end or end > D); the period P is the year ending on D, both ends
included; the prior year is the year ending the day before P. An episode is a run of placements
each starting no later than one day after the previous one ended; an entry is an episode's first
placement, an exit the end of its last. Only children aged 0–17 count: age on D for stocks, on
the event's date for flows.

The queries read ``PlacementFact`` (see ``indicators.facts``), where each placement's episode
rules are already worked out, so that every indicator is a scan with plain predicates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from homeward.care.models import FAMILY_BASED, RESIDENTIAL, ExitDestination
from homeward.geo.models import Level, Location
from homeward.indicators.models import PlacementFact

ONE_DAY = datetime.timedelta(days=1)
AGE_BANDS = [("0-2", 0, 2), ("3-6", 3, 6), ("7-13", 7, 13), ("14-17", 14, 17)]
DIMENSIONS = {
    "age_band": "age_band",
    "sex": "sex",
    "disability": "disability",
    "care_type": "care_type",
    "region": "region__code",
    "district": "district__code",
    "institution": "institution__code",
}


# --- dates ---------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def period_ending(day: datetime.date) -> Period:
    """The year ending on ``day``, both ends included (2025-12-31 → 2025-01-01 … 2025-12-31)."""
    return Period(years_before(day, 1) + ONE_DAY, day)


def prior_year(day: datetime.date) -> Period:
    return period_ending(period_ending(day).start - ONE_DAY)


# --- ages ----------------------------------------------------------------------------------


def age_band_of(age: str) -> Case:
    """The age band of a whole-years age column."""
    return Case(
        *[When(**{f"{age}__gte": low, f"{age}__lte": high}, then=Value(name))
          for name, low, high in AGE_BANDS],
        default=Value("18+"),
        output_field=CharField(),
    )  # fmt: skip


def with_age(qs: QuerySet[PlacementFact], event: str | datetime.date) -> QuerySet[PlacementFact]:
    """Annotate ``age_band`` at the event (``"start"``, ``"end"`` or a day) and keep children
    aged 0–17 then."""
    at, day = (event, None) if isinstance(event, str) else ("day", event)
    return qs.annotate(age_band=age_band_at(at, day)).filter(aged(at, day))


def age_band_on(day: datetime.date) -> Case:
    """The age band on ``day``, from the date of birth."""
    return Case(
        *[When(born__gt=years_before(day, high + 1), then=Value(name))
          for name, _low, high in AGE_BANDS],
        default=Value("18+"),
        output_field=CharField(),
    )  # fmt: skip


# --- episodes ------------------------------------------------------------------------------


def facts() -> QuerySet[PlacementFact]:
    return PlacementFact.objects.all()


def open_on(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def in_care_on(day: datetime.date) -> Q:
    """Open on ``day`` for a child aged 0–17 then."""
    return open_on(day) & aged("day", day)


def aged(event: str, day: datetime.date | None = None) -> Q:
    """Aged 0–17 at the event: the ``"start"`` or ``"end"`` of the placement, or on ``day``
    (``"day"``). On a fixed day that is a range of birth dates: plain ranges the planner can
    estimate, and no arithmetic per row."""
    if event != "day":
        return Q(**{f"age_at_{event}__gte": 0, f"age_at_{event}__lte": 17})
    if day is None:
        raise ValueError("an age on a day needs the day")
    return Q(born__lte=day, born__gt=years_before(day, 18))


def age_band_at(event: str, day: datetime.date | None = None) -> Case:
    if event != "day":
        return age_band_of(f"age_at_{event}")
    if day is None:
        raise ValueError("an age band on a day needs the day")
    return age_band_on(day)


# --- areas ---------------------------------------------------------------------------------


def area_condition(area: Location | None) -> Q:
    if area is None:
        return Q()
    if area.level == Level.COUNTRY:
        return Q(region__parent=area)
    if area.level == Level.REGION:
        return Q(region=area)
    return Q(district=area)


def in_area(qs: QuerySet[PlacementFact], area: Location | None) -> QuerySet[PlacementFact]:
    return qs.filter(area_condition(area))


def population(area: Location | None, year: int) -> int | None:
    from homeward.indicators.models import Population

    rows = Population.objects.filter(year=year)
    if area is None:
        rows = rows.filter(location__level=Level.COUNTRY)
    else:
        rows = rows.filter(location=area)
    total = rows.aggregate(total=Sum("children"))["total"]
    return int(total) if total is not None else None


# --- definitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    day: datetime.date
    area: Location | None
    institution: Any = None  # one institution's placements only (the area is then ignored)


Condition = Callable[[Context], Q]
EVERY_ROW: Condition = lambda ctx: Q()  # noqa: E731


@dataclass(frozen=True)
class Rows:
    """The facts an indicator reads on a day: a condition (area and age included), the event
    at which a child's age counts (``"start"``, ``"end"`` or ``"day"``, for the age bands),
    and a coarse condition holding the rows of every day from ``first`` to ``last`` (``span``),
    with which a series reads the table once."""

    condition: Callable[[Context], Q]
    age_at: str
    span: Callable[[datetime.date, datetime.date], Q]


@dataclass(frozen=True)
class Indicator:
    """Rows (one per child or per placement, see ``counts``) and the conditions that make a
    row count in the numerator and in the denominator: both are counted in one scan."""

    id: str
    title: Any
    kind: str  # "rate" (per 100,000 of population), "proportion", "ratio", "median_days"
    reads: Rows
    numerator_if: Condition | None = EVERY_ROW  # None: only ``joined`` rows count
    denominator_if: Condition | None = None  # proportions and ratios; rates divide by population
    counts: str = "child"  # what a row stands for: a child, or a placement
    formula: Any = ""
    # more numerator rows, none of them counted by ``numerator_if``, found in another table:
    # counted in a query of their own, where the database joins that table once instead of
    # asking it row by row
    joined: Condition | None = None

    def where(self, ctx: Context) -> Q:
        """The rows' condition in the context: an area, or one institution's placements."""
        if ctx.institution is None:
            return self.reads.condition(ctx)
        return self.reads.condition(Context(ctx.day, None)) & Q(institution=ctx.institution)

    def rows_in(self, ctx: Context) -> QuerySet[PlacementFact]:
        rows = facts().filter(self.where(ctx))
        return rows.annotate(age_band=age_band_at(self.reads.age_at, ctx.day))

    def numerator(self, ctx: Context) -> QuerySet[PlacementFact]:
        parts = [c(ctx) for c in (self.numerator_if, self.joined) if c is not None]
        either = parts[0]
        for part in parts[1:]:
            either |= part
        return self.rows_in(ctx).filter(either)

    def denominator(self, ctx: Context) -> QuerySet[PlacementFact] | None:
        if self.denominator_if is None:
            return None
        return self.rows_in(ctx).filter(self.denominator_if(ctx))


def _entries_in_period(ctx: Context) -> Q:
    p = period_ending(ctx.day)
    return Q(is_entry=True, start__range=(p.start, p.end)) & _aged_in_area(ctx, "start")


def _aged_in_area(ctx: Context, event: str) -> Q:
    return aged(event, ctx.day) & area_condition(ctx.area)


def starting_in_periods(first: datetime.date, last: datetime.date) -> Q:
    return Q(start__range=(period_ending(first).start, last))


def ending_in_periods(first: datetime.date, last: datetime.date) -> Q:
    return Q(end__range=(period_ending(first).start, last))


def open_on_one_of(first: datetime.date, last: datetime.date) -> Q:
    return Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=first))


def _in_care(ctx: Context) -> Q:
    return open_on(ctx.day) & _aged_in_area(ctx, "day")


def _residential_endings(ctx: Context) -> Q:
    p = period_ending(ctx.day)
    return Q(care_type__in=RESIDENTIAL, end__range=(p.start, p.end)) & _aged_in_area(ctx, "end")


ENTRIES = Rows(_entries_in_period, "start", starting_in_periods)
IN_CARE = Rows(_in_care, "day", open_on_one_of)
RESIDENTIAL_ENDINGS = Rows(_residential_endings, "end", ending_in_periods)


def _to_family(ctx: Context) -> Q:
    # followed in the episode by a family-based placement, or ending it reunified or adopted
    return Q(moved_to_family=True)


def _not_to_residential(ctx: Context) -> Q:
    return Q(next_residential=False)


def _residential(ctx: Context) -> Q:
    return Q(care_type__in=RESIDENTIAL)


def _family_based(ctx: Context) -> Q:
    return Q(care_type__in=FAMILY_BASED)


def _plan_up_to_date(ctx: Context) -> Q:
    # the case's approved plan was decided on or before D and is not overdue for review on D
    return Q(plan_decided_on__lte=ctx.day, plan_review_due__gte=ctx.day)


def _starting(ctx: Context) -> Q:
    p = period_ending(ctx.day)
    return Q(start__range=(p.start, p.end)) & _aged_in_area(ctx, "start")


STARTING = Rows(_starting, "start", starting_in_periods)


def _gatekept_before(ctx: Context) -> Q:
    return Q(days_to_placement__gte=0)


# FC9: the latest review on or before D (or the start, if none) is within the interval before
# D. Reviews come after the start, so a placement started within the interval counts; one
# started earlier counts when its latest review is in the interval, or — on a past D, when it
# has been reviewed since — when one of its reviews is.


def _review_interval_start(ctx: Context) -> datetime.date:
    return ctx.day - datetime.timedelta(days=settings.PLACEMENT_REVIEW_INTERVAL_DAYS)


def _reviewed_on_time(ctx: Context) -> Q:
    since = _review_interval_start(ctx)
    return Q(start__gte=since) | Q(last_review_on__range=(since, ctx.day))


def _reviewed_on_time_before_later_reviews(ctx: Context) -> Q:
    from homeward.care.models import PlacementReview

    since = _review_interval_start(ctx)
    reviewed = PlacementReview.objects.filter(reviewed_on__range=(since, ctx.day))
    return Q(start__lt=since, last_review_on__gt=ctx.day, pk__in=reviewed.values("placement_id"))


def _first_entries_prior_year(ctx: Context) -> Q:
    # a child counts once, by their first entry of the prior year
    prior = prior_year(ctx.day)
    return (
        Q(is_entry=True, start__range=(prior.start, prior.end))
        & (Q(previous_entry__isnull=True) | Q(previous_entry__lt=prior.start))
        & _aged_in_area(ctx, "start")
    )


def _starting_in_prior_years(first: datetime.date, last: datetime.date) -> Q:
    return Q(start__range=(prior_year(first).start, prior_year(last).end))


def _ending_in_prior_years(first: datetime.date, last: datetime.date) -> Q:
    return Q(end__range=(prior_year(first).start, prior_year(last).end))


def _reunified_within_a_year(ctx: Context) -> Q:
    return Q(reunified_within_a_year=True)


def _first_reunified_exits_prior_year(ctx: Context) -> Q:
    # a child counts once, by their first exit as reunified of the prior year
    prior = prior_year(ctx.day)
    return (
        Q(is_exit=True, exit_destination=ExitDestination.REUNIFIED)
        & Q(end__range=(prior.start, prior.end))
        & (Q(previous_reunified_exit__isnull=True) | Q(previous_reunified_exit__lt=prior.start))
        & _aged_in_area(ctx, "end")
    )


def _reentered_within_a_year(ctx: Context) -> Q:
    return Q(reentered_within_a_year=True)


def _ttp(ctx: Context) -> Q:
    return _starting(ctx) & Q(days_to_placement__isnull=False)


FIRST_ENTRIES_PRIOR_YEAR = Rows(_first_entries_prior_year, "start", _starting_in_prior_years)
FIRST_REUNIFIED_EXITS_PRIOR_YEAR = Rows(
    _first_reunified_exits_prior_year, "end", _ending_in_prior_years
)
DECIDED_STARTS = Rows(_ttp, "start", starting_in_periods)


def _stable(ctx: Context) -> Q:
    # The placements of the current episode started on or before D, counted up to the one
    # open on D (a child's placements never overlap: placement_start and the census import
    # refuse it).
    return Q(episode_order__lte=2)


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator("FC1", _("Entries into formal care, per 100,000 children"), "rate",
                  ENTRIES, counts="placement",
                  formula=_("entries with a start in P ÷ population × 100,000")),
        Indicator("FC2", _("Children in formal care, per 100,000 children"), "rate", IN_CARE,
                  formula=_("children in formal care on D ÷ population × 100,000")),
        Indicator("FC3", _("Residential placements ending in family-based care"), "proportion",
                  RESIDENTIAL_ENDINGS, _to_family, _not_to_residential, counts="placement",
                  formula=_("residential placements ending in P to family-based care, or ending "
                            "the episode reunified or adopted ÷ residential placements ending in "
                            "P not followed by another residential placement")),
        Indicator("FC4", _("Children in residential care for each child in family-based care"),
                  "ratio", IN_CARE, _residential, _family_based,
                  formula=_("children in residential care on D ÷ children in family-based care "
                            "on D")),
        Indicator("FC7", _("Children in care with an up-to-date care plan"), "proportion",
                  IN_CARE, _plan_up_to_date, EVERY_ROW,
                  formula=_("children in formal care on D with an approved care plan whose next "
                            "review is not overdue ÷ children in formal care on D")),
        Indicator("FC8", _("Placements with a prior gatekeeping decision"), "proportion",
                  STARTING, _gatekept_before, EVERY_ROW, counts="placement",
                  formula=_("placements starting in P with a gatekeeping decision dated on or "
                            "before the start ÷ placements starting in P")),
        Indicator("FC9", _("Placements reviewed on time"), "proportion", IN_CARE,
                  _reviewed_on_time, EVERY_ROW, counts="placement",
                  joined=_reviewed_on_time_before_later_reviews,
                  formula=_("placements open on D reviewed within the review interval before D "
                            "÷ placements open on D")),
        Indicator("RU12", _("Reunified within 12 months of entry"), "proportion",
                  FIRST_ENTRIES_PRIOR_YEAR, _reunified_within_a_year, EVERY_ROW,
                  formula=_("children entering in the prior year whose episode ended reunified "
                            "within 12 months ÷ children entering in the prior year")),
        Indicator("RE12", _("Re-entry within 12 months of reunification"), "proportion",
                  FIRST_REUNIFIED_EXITS_PRIOR_YEAR, _reentered_within_a_year, EVERY_ROW,
                  formula=_("children reunified in the prior year who entered care again within "
                            "12 months ÷ children reunified in the prior year")),
        Indicator("TTP", _("Days from gatekeeping decision to placement (median)"),
                  "median_days", DECIDED_STARTS, counts="placement",
                  formula=_("median days from the gatekeeping decision to the start, placements "
                            "starting in P")),
        Indicator("STAB", _("Children with at most 2 placements in the current episode"),
                  "proportion", IN_CARE, _stable, EVERY_ROW,
                  formula=_("children in formal care on D whose current episode has at most 2 "
                            "placements started on or before D ÷ children in formal care on D")),
    ]
}  # fmt: skip


# --- computing -----------------------------------------------------------------------------


@dataclass
class Row:
    group: dict[str, Any]
    numerator: int
    denominator: int | None
    value: float | None


@dataclass
class Result:
    indicator: Indicator
    day: datetime.date
    area: Location | None
    numerator: int
    denominator: int | None
    value: float | None
    rows: list[Row] = field(default_factory=list)


Counts = dict[tuple[Any, ...], int]


def _count(qs: QuerySet[PlacementFact], dims: list[str], **conditions: Q) -> dict[str, Counts]:
    """Rows counted by the values of ``dims`` (one group, ``()``, without any), once for each
    condition, in one query.

    Rows, not distinct children, even where an indicator counts children: each child has one
    row there — stocks read the placement open on D and a child's placements never overlap;
    RU12 and RE12 keep each child's first entry or exit. So the counts of a breakdown add up
    to the total, and one query gives both."""
    fields = [DIMENSIONS[d] for d in dims]
    return count_rows(qs, {name: (condition, fields) for name, condition in conditions.items()})


def count_rows(qs: QuerySet[Any], counts: dict[str, tuple[Q, list[str]]]) -> dict[str, Counts]:
    """For each name, the rows meeting its condition (an empty Q: every row) grouped by its
    fields (one group, ``()``, without any), all in one query."""
    measures = {
        name: Count("pk", filter=condition) if condition else Count("*")
        for name, (condition, _fields) in counts.items()
    }
    wanted = list(dict.fromkeys(f for _condition, fields in counts.values() for f in fields))
    if not wanted:
        totals = qs.aggregate(**measures)
        return {name: {(): int(totals[name] or 0)} for name in counts}
    grouping = {f: _grouped_by_key(qs.model, f) for f in wanted}
    rows = list(qs.order_by().values(*{g for g, _model in grouping.values()}).annotate(**measures))
    codes = _codes_of_keys(rows, grouping)
    counted: dict[str, Counts] = {name: {} for name in counts}
    for row in rows:
        values = {f: codes.get((f, row[c]), row[c]) for f, (c, _model) in grouping.items()}
        for name, (_condition, fields) in counts.items():
            if row[name]:
                key = tuple(values[f] for f in fields)
                counted[name][key] = counted[name].get(key, 0) + int(row[name])
    return counted


def _grouped_by_key(model: Any, wanted: str) -> tuple[str, Any]:
    """What to group by for ``wanted``: a foreign key's code (``region__code``) is grouped by
    the key column itself and translated afterwards (no join of every counted row to the
    related table); anything else as it is."""
    name, _sep, rest = wanted.partition("__")
    if rest == "code":
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return wanted, None
        if field.many_to_one:
            return field.attname, field.related_model
    return wanted, None


def _codes_of_keys(
    rows: list[dict[str, Any]], grouping: dict[str, tuple[str, Any]]
) -> dict[tuple[str, Any], Any]:
    """(wanted field, key) → code, with one query per related table."""
    codes: dict[tuple[str, Any], Any] = {}
    for wanted, (column, related) in grouping.items():
        if related is None:
            continue
        keys = {row[column] for row in rows} - {None}
        found = related._default_manager.filter(pk__in=keys).values_list("pk", "code")
        codes.update({(wanted, pk): code for pk, code in found})
    return codes


def _value(indicator: Indicator, numerator: int, denominator: int | None) -> float | None:
    if not denominator:
        return None
    if indicator.kind == "rate":
        return numerator * 100_000 / denominator
    return numerator / denominator


def _median_days(qs: QuerySet[PlacementFact]) -> tuple[int, float | None]:
    """The median wait, exactly, from the database's count of placements per wait: a few
    hundred distinct waits however many placements."""
    waits = qs.order_by().values("days_to_placement").annotate(n=Count("*"))
    histogram = sorted((row["days_to_placement"], row["n"]) for row in waits)
    total = sum(n for _wait, n in histogram)
    if total == 0:
        return 0, None
    middle = [(total - 1) // 2, total // 2]  # positions of the middle one or two
    values, seen = [], 0
    for wait, n in histogram:
        values += [wait] * sum(1 for m in middle if seen <= m < seen + n)
        seen += n
    return total, sum(values) / len(values)


def compute(
    indicator_id: str,
    day: datetime.date,
    area: Location | None = None,
    by: list[str] | None = None,
    institution: Any = None,
) -> Result:
    """One indicator on ``day`` in ``area`` (None: everywhere) or for one institution's
    placements, whole and by the disaggregations in ``by``."""
    indicator = INDICATORS[indicator_id]
    dims = [d for d in (by or []) if d in DIMENSIONS]
    ctx = Context(day, area if institution is None else None, institution)
    if indicator.kind == "median_days":
        n, median = _median_days(indicator.numerator(ctx))
        return Result(indicator, day, area, n, None, median)
    conditions = {
        name: condition(ctx)
        for name, condition in (("n", indicator.numerator_if), ("d", indicator.denominator_if))
        if condition is not None
    }
    counted = _count(indicator.rows_in(ctx), dims, **conditions)
    top = counted.get("n", {})
    bottom = counted.get("d")
    if indicator.joined is not None:
        more = _count(indicator.rows_in(ctx).filter(indicator.joined(ctx)), dims, n=Q())["n"]
        top = {key: top.get(key, 0) + more.get(key, 0) for key in set(top) | set(more)}
    # population is known by area, not by institution
    by_area = institution is None
    if indicator.kind == "rate":
        denominator: int | None = population(area, day.year) if by_area else None
    elif bottom is not None:
        denominator = sum(bottom.values())
    else:
        denominator = None
    numerator = sum(top.values())
    result = Result(
        indicator, day, ctx.area, numerator, denominator, _value(indicator, numerator, denominator)
    )
    if dims:
        keys = sorted(set(top) | set(bottom or {}), key=lambda k: tuple(_order(x) for x in k))
        groups = [dict(zip(dims, key, strict=True)) for key in keys]
        codes = {code for group in groups if (code := _area_code(group))}
        known = populations(codes, day.year) if bottom is None and by_area and codes else {}
        for key, group in zip(keys, groups, strict=True):
            num = top.get(key, 0)
            if bottom is not None:
                den = bottom.get(key)
            else:
                code = _area_code(group)
                den = known.get(code) if code else None
            result.rows.append(Row(group, num, den, _value(indicator, num, den)))
    return result


def series(
    indicator_id: str,
    days: list[datetime.date],
    area: Location | None = None,
    institution: Any = None,
) -> list[Result]:
    """The indicator's totals on each day, counted in one reading of the facts: a pair of
    conditional counts per day over the rows of every day (``Rows.span``), where one
    computation per day reads the table once for each. A median is computed day by day."""
    indicator = INDICATORS[indicator_id]
    if indicator.kind == "median_days" or len(days) < 2:
        return [compute(indicator_id, day, area, institution=institution) for day in days]
    contexts = [Context(day, area if institution is None else None, institution) for day in days]
    counts: dict[str, tuple[Q, list[str]]] = {}
    for index, ctx in enumerate(contexts):
        where = indicator.where(ctx)
        for name, condition in (("n", indicator.numerator_if), ("d", indicator.denominator_if)):
            if condition is not None:
                counts[f"{name}{index}"] = (where & condition(ctx), [])
    reach = indicator.reads.span(min(days), max(days))
    if institution is not None:
        reach &= Q(institution=institution)
    else:
        reach &= area_condition(area)
    counted = count_rows(facts().filter(reach), counts)
    known: dict[int, int | None] = {}
    results = []
    for index, ctx in enumerate(contexts):

        def total(name: str, index: int = index) -> int | None:
            found = counted.get(f"{name}{index}")
            return found[()] if found is not None else None

        numerator = total("n") or 0
        if indicator.joined is not None:
            # its own query per day, as in ``compute``: as a conditional count of the one
            # reading, each day's subquery would be asked again for every row
            more = indicator.rows_in(ctx).filter(indicator.joined(ctx))
            numerator += more.order_by().count()
        if indicator.kind == "rate":
            year = ctx.day.year
            if year not in known:
                known[year] = population(area, year) if institution is None else None
            denominator = known[year]
        else:
            denominator = total("d")
        value = _value(indicator, numerator, denominator)
        results.append(Result(indicator, ctx.day, ctx.area, numerator, denominator, value))
    return results


BAND_ORDER = {name: index for index, (name, _low, _high) in enumerate(AGE_BANDS)}


def _order(value: Any) -> tuple[int, str]:
    """Age bands in age order, everything else alphabetically."""
    return (BAND_ORDER.get(value, len(BAND_ORDER)), str(value))


def _area_code(group: dict[str, Any]) -> str | None:
    """Population exists by area only: rates by region or district, not by sex or age."""
    if set(group) - {"region", "district"}:
        return None
    return group.get("district") or group.get("region")


def populations(codes: set[str], year: int) -> dict[str, int]:
    """The population of each area (by location code) in one query."""
    from homeward.indicators.models import Population

    rows = Population.objects.filter(year=year, location__code__in=codes)
    return {code: int(total) for code, total in rows.values_list("location__code", "children")}
