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
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
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
    if isinstance(event, str):
        age = f"age_at_{event}"
        return qs.annotate(age_band=age_band_of(age)).filter(
            **{f"{age}__gte": 0, f"{age}__lte": 17}
        )
    # A fixed day (stocks): aged 0–17 on it means born on or before it and after the same day
    # 18 years earlier, and each band a range of birth dates: plain ranges the planner can
    # estimate, and no arithmetic per row.
    band = Case(
        *[When(born__gt=years_before(event, high + 1), then=Value(name))
          for name, _low, high in AGE_BANDS],
        default=Value("18+"),
        output_field=CharField(),
    )  # fmt: skip
    return qs.annotate(age_band=band).filter(born__lte=event, born__gt=years_before(event, 18))


# --- episodes ------------------------------------------------------------------------------


def facts() -> QuerySet[PlacementFact]:
    return PlacementFact.objects.all()


def entries() -> QuerySet[PlacementFact]:
    """First placements of their episodes."""
    return facts().filter(is_entry=True)


def exits() -> QuerySet[PlacementFact]:
    """Last placements of their episodes, ended."""
    return facts().filter(is_exit=True)


def open_on(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


# --- areas ---------------------------------------------------------------------------------


def in_area(qs: QuerySet[PlacementFact], area: Location | None) -> QuerySet[PlacementFact]:
    if area is None:
        return qs
    if area.level == Level.COUNTRY:
        return qs.filter(region__parent=area)
    if area.level == Level.REGION:
        return qs.filter(region=area)
    return qs.filter(district=area)


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


@dataclass(frozen=True)
class Indicator:
    id: str
    title: Any
    kind: str  # "rate" (per 100,000 of population), "proportion", "ratio", "median_days"
    numerator: Callable[[Context], QuerySet[PlacementFact]]
    denominator: Callable[[Context], QuerySet[PlacementFact]] | None = None
    counts: str = "child"  # count distinct children, or "placement"
    formula: Any = ""


def _fc1(ctx: Context) -> QuerySet[PlacementFact]:
    p = period_ending(ctx.day)
    return with_age(in_area(entries().filter(start__range=(p.start, p.end)), ctx.area), "start")


def _in_care(ctx: Context) -> QuerySet[PlacementFact]:
    return with_age(in_area(facts().filter(open_on(ctx.day)), ctx.area), ctx.day)


def _residential_endings(ctx: Context) -> QuerySet[PlacementFact]:
    p = period_ending(ctx.day)
    qs = facts().filter(care_type__in=RESIDENTIAL, end__range=(p.start, p.end))
    return with_age(in_area(qs, ctx.area), "end")


def _fc3_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    home = [ExitDestination.REUNIFIED, ExitDestination.ADOPTED]
    return _residential_endings(ctx).filter(
        Q(next_family=True) | Q(is_exit=True, exit_destination__in=home)
    )


def _fc3_denominator(ctx: Context) -> QuerySet[PlacementFact]:
    return _residential_endings(ctx).filter(next_residential=False)


def _fc7_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    from homeward.plans.models import CarePlan, PlanStatus

    plan = CarePlan.objects.filter(
        case__child=OuterRef("child"),
        status=PlanStatus.APPROVED,
        decided_at__date__lte=ctx.day,
        next_review_on__gte=ctx.day,
    )
    return _in_care(ctx).filter(Exists(plan))


def _starting(ctx: Context) -> QuerySet[PlacementFact]:
    p = period_ending(ctx.day)
    return with_age(in_area(facts().filter(start__range=(p.start, p.end)), ctx.area), "start")


def _fc8_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    return _starting(ctx).filter(gatekept_on__lte=F("start"))


def _fc9_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    from homeward.care.models import PlacementReview

    # The latest review on or before D (or the start, if none) is within the interval before
    # D: reviews come after the start, so either the placement started within the interval
    # or a review falls in it.
    since = ctx.day - datetime.timedelta(days=settings.PLACEMENT_REVIEW_INTERVAL_DAYS)
    reviewed = PlacementReview.objects.filter(
        placement=OuterRef("pk"), reviewed_on__range=(since, ctx.day)
    )
    return _in_care(ctx).filter(Q(start__gte=since) | Exists(reviewed))


def _first_entries_prior_year(ctx: Context) -> QuerySet[PlacementFact]:
    # a child counts once, by their first entry of the prior year
    prior = prior_year(ctx.day)
    qs = entries().filter(start__range=(prior.start, prior.end))
    qs = qs.filter(Q(previous_entry__isnull=True) | Q(previous_entry__lt=prior.start))
    return with_age(in_area(qs, ctx.area), "start")


def _ru12_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    # The episode begun by this entry ends reunified within 12 months.
    return (
        _first_entries_prior_year(ctx)
        .filter(episode_exit=ExitDestination.REUNIFIED)
        .annotate(_end_key=date_key("episode_end"), _within_a_year=_plus_one_year("start"))
        .filter(_end_key__lte=F("_within_a_year"))
    )


def _first_reunified_exits_prior_year(ctx: Context) -> QuerySet[PlacementFact]:
    # a child counts once, by their first reunified exit of the prior year
    prior = prior_year(ctx.day)
    qs = exits().filter(
        exit_destination=ExitDestination.REUNIFIED, end__range=(prior.start, prior.end)
    )
    qs = qs.filter(
        Q(previous_reunified_exit__isnull=True) | Q(previous_reunified_exit__lt=prior.start)
    )
    return with_age(in_area(qs, ctx.area), "end")


def _re12_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    return (
        _first_reunified_exits_prior_year(ctx)
        .filter(next_entry__isnull=False)
        .annotate(_start_key=date_key("next_entry"), _within_a_year=_plus_one_year("end"))
        .filter(_start_key__lte=F("_within_a_year"))
    )


def date_key(column: str) -> Any:
    """A date as the integer yyyymmdd: comparable, and a year later is key + 10000 — exact
    calendar months in SQLite and PostgreSQL alike."""
    return ExpressionWrapper(
        ExtractYear(column) * 10000 + ExtractMonth(column) * 100 + ExtractDay(column),
        output_field=IntegerField(),
    )


def _plus_one_year(column: str) -> Any:
    """The key of the same calendar day twelve months after ``column``."""
    return ExpressionWrapper(date_key(column) + 10000, output_field=IntegerField())


def _ttp(ctx: Context) -> QuerySet[PlacementFact]:
    return _starting(ctx).filter(gatekept_on__isnull=False)


def _stab_numerator(ctx: Context) -> QuerySet[PlacementFact]:
    # The placements of the current episode started on or before D, counted up to the one
    # open on D (a child's placements never overlap: placement_start and the census import
    # refuse it).
    return _in_care(ctx).filter(episode_order__lte=2)


def _residential_on(ctx: Context) -> QuerySet[PlacementFact]:
    return _in_care(ctx).filter(care_type__in=RESIDENTIAL)


def _family_on(ctx: Context) -> QuerySet[PlacementFact]:
    return _in_care(ctx).filter(care_type__in=FAMILY_BASED)


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator("FC1", _("Entries into formal care, per 100,000 children"), "rate", _fc1,
                  counts="placement",
                  formula=_("entries with a start in P ÷ population × 100,000")),
        Indicator("FC2", _("Children in formal care, per 100,000 children"), "rate", _in_care,
                  formula=_("children in formal care on D ÷ population × 100,000")),
        Indicator("FC3", _("Residential placements ending in family-based care"), "proportion",
                  _fc3_numerator, _fc3_denominator, counts="placement",
                  formula=_("residential placements ending in P to family-based care, or ending "
                            "the episode reunified or adopted ÷ residential placements ending in "
                            "P not followed by another residential placement")),
        Indicator("FC4", _("Children in residential care for each child in family-based care"),
                  "ratio", _residential_on, _family_on,
                  formula=_("children in residential care on D ÷ children in family-based care "
                            "on D")),
        Indicator("FC7", _("Children in care with an up-to-date care plan"), "proportion",
                  _fc7_numerator, _in_care,
                  formula=_("children in formal care on D with an approved care plan whose next "
                            "review is not overdue ÷ children in formal care on D")),
        Indicator("FC8", _("Placements with a prior gatekeeping decision"), "proportion",
                  _fc8_numerator, _starting, counts="placement",
                  formula=_("placements starting in P with a gatekeeping decision dated on or "
                            "before the start ÷ placements starting in P")),
        Indicator("FC9", _("Placements reviewed on time"), "proportion", _fc9_numerator,
                  _in_care, counts="placement",
                  formula=_("placements open on D reviewed within the review interval before D "
                            "÷ placements open on D")),
        Indicator("RU12", _("Reunified within 12 months of entry"), "proportion",
                  _ru12_numerator, _first_entries_prior_year,
                  formula=_("children entering in the prior year whose episode ended reunified "
                            "within 12 months ÷ children entering in the prior year")),
        Indicator("RE12", _("Re-entry within 12 months of reunification"), "proportion",
                  _re12_numerator, _first_reunified_exits_prior_year,
                  formula=_("children reunified in the prior year who entered care again within "
                            "12 months ÷ children reunified in the prior year")),
        Indicator("TTP", _("Days from gatekeeping decision to placement (median)"),
                  "median_days", _ttp, counts="placement",
                  formula=_("median days from the gatekeeping decision to the start, placements "
                            "starting in P")),
        Indicator("STAB", _("Children with at most 2 placements in the current episode"),
                  "proportion", _stab_numerator, _in_care,
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


def _count(qs: QuerySet[PlacementFact], indicator: Indicator, dims: list[str]) -> Any:
    measure = Count("child", distinct=True) if indicator.counts == "child" else Count("pk")
    if not dims:
        return qs.aggregate(n=measure)["n"] or 0
    fields = [DIMENSIONS[d] for d in dims]
    return {
        tuple(row[f] for f in fields): row["n"]
        for row in qs.order_by().values(*fields).annotate(n=measure)
    }


def _value(indicator: Indicator, numerator: int, denominator: int | None) -> float | None:
    if not denominator:
        return None
    if indicator.kind == "rate":
        return numerator * 100_000 / denominator
    return numerator / denominator


def _median_days(qs: QuerySet[PlacementFact]) -> tuple[int, float | None]:
    """The median by ordering in the database and reading the middle one or two rows."""
    days = qs.annotate(
        wait=ExpressionWrapper(F("start") - F("gatekept_on"), output_field=DurationField())
    ).order_by("wait")
    n = days.count()
    if n == 0:
        return 0, None
    middle = list(days.values_list("wait", flat=True)[(n - 1) // 2 : n // 2 + 1])
    values = [m.days if isinstance(m, datetime.timedelta) else int(m) for m in middle]
    return n, sum(values) / len(values)


def compute(
    indicator_id: str, day: datetime.date, area: Location | None = None, by: list[str] | None = None
) -> Result:
    indicator = INDICATORS[indicator_id]
    dims = [d for d in (by or []) if d in DIMENSIONS]
    ctx = Context(day, area)
    numerator_qs = indicator.numerator(ctx)
    if indicator.kind == "median_days":
        n, median = _median_days(numerator_qs)
        return Result(indicator, day, area, n, None, median)
    denominator_qs: QuerySet[PlacementFact] | None = None
    if indicator.kind == "rate":
        denominator: int | None = population(area, day.year)
    elif indicator.denominator is not None:
        denominator_qs = indicator.denominator(ctx)
        denominator = _count(denominator_qs, indicator, [])
    else:
        denominator = None
    numerator = _count(numerator_qs, indicator, [])
    value = _value(indicator, numerator, denominator)
    result = Result(indicator, day, area, numerator, denominator, value)
    if dims:
        top = _count(numerator_qs, indicator, dims)
        bottom = _count(denominator_qs, indicator, dims) if denominator_qs is not None else {}
        keys = sorted(set(top) | set(bottom), key=lambda k: tuple(_order(x) for x in k))
        for key in keys:
            group = dict(zip(dims, key, strict=True))
            num = top.get(key, 0)
            den = bottom.get(key) if denominator_qs is not None else _population_for(group, day)
            result.rows.append(Row(group, num, den, _value(indicator, num, den)))
    return result


BAND_ORDER = {name: index for index, (name, _low, _high) in enumerate(AGE_BANDS)}


def _order(value: Any) -> tuple[int, str]:
    """Age bands in age order, everything else alphabetically."""
    return (BAND_ORDER.get(value, len(BAND_ORDER)), str(value))


def _population_for(group: dict[str, Any], day: datetime.date) -> int | None:
    """Population exists by area only: rates by region or district, not by sex or age."""
    if set(group) - {"region", "district"}:
        return None
    code = group.get("district") or group.get("region")
    area = Location.objects.filter(code=code).first()
    return population(area, day.year) if area else None
