"""Operational indicators: what programmes report month by month (docs/indicators.md).

Each is defined once here: the rows it counts (the numerator), its denominator where it has one,
its disaggregations, its reference date or period and its area, all computed in the database by
aggregate queries. The conventions are those of DOMAIN §9 (engine.py): a placement covers
[start, end); the period P is the year ending on the reference date D, both ends included; only
children aged 0–17 count, on D for stocks and on the event's date for flows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.care.models import FAMILY_BASED, RESIDENTIAL, ExitDestination
from homeward.geo.models import Level, Location
from homeward.indicators import engine
from homeward.indicators.engine import ONE_DAY, in_area, period_ending, with_age
from homeward.indicators.models import PlacementFact

# Placement rows: the standard disaggregations of DOMAIN §9 (engine.DIMENSIONS).
PLACEMENT_DIMENSIONS = dict(engine.DIMENSIONS)


def _agency_area_dimensions(prefix: str) -> dict[str, str]:
    """Rows reached through an agency: grouped by the agency and the region and district of its
    area (annotated by ``_with_agency_area``)."""
    return {"region": "_region", "district": "_district", "agency": f"{prefix}agency__code"}


def _with_agency_area(qs: QuerySet[Any], prefix: str) -> QuerySet[Any]:
    """Annotate ``_region`` and ``_district``: the codes of the region and district of the
    agency's area (an agency may work at country, region, district or locality level)."""
    return _with_area_codes(qs, f"{prefix}agency__area")


def _with_area_codes(qs: QuerySet[Any], area: str) -> QuerySet[Any]:
    """Annotate ``_region`` and ``_district``: the codes of the region and district of the
    location at ``area`` (the region or district itself, or the one it lies in)."""
    annotated: QuerySet[Any] = qs.annotate(
        _region=Case(
            When(**{f"{area}__level": Level.REGION}, then=F(f"{area}__code")),
            When(**{f"{area}__level": Level.DISTRICT}, then=F(f"{area}__parent__code")),
            When(**{f"{area}__level": Level.LOCALITY}, then=F(f"{area}__parent__parent__code")),
            default=Value(None),
            output_field=CharField(),
        ),
        _district=Case(
            When(**{f"{area}__level": Level.DISTRICT}, then=F(f"{area}__code")),
            When(**{f"{area}__level": Level.LOCALITY}, then=F(f"{area}__parent__code")),
            default=Value(None),
            output_field=CharField(),
        ),
    )
    return annotated


def _in_agency_area(qs: QuerySet[Any], area: Location | None, prefix: str) -> QuerySet[Any]:
    """Rows whose agency works in ``area`` or anywhere inside it."""
    if area is None:
        return qs
    path = f"{prefix}agency__area__path"
    return qs.filter(Q(**{path: area.path}) | Q(**{f"{path}__startswith": area.path + "/"}))


# --- definitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """Rows holding a numerator's and a denominator's, the condition of each, and the fields
    that give each its age band (they differ where the two are counted on different days)."""

    rows: QuerySet[Any]
    numerator: Q
    denominator: Q
    numerator_band: str = "age_band"
    denominator_band: str = "age_band"


@dataclass(frozen=True)
class Scope:
    """Where and when: the reference date, an area (None: everywhere), an institution (for
    the institution level of the dashboards) and, for changes, a baseline date."""

    day: datetime.date
    area: Location | None = None
    institution: Any = None
    baseline: datetime.date | None = None


Rows = Callable[[Scope], QuerySet[Any]]


@dataclass(frozen=True)
class Operational:
    id: str
    title: Any
    # "count", "change" (D against a baseline), "proportion", "target" (against a configured
    # target), "median_hours" (the median of a duration), "median" (of counts per worker)
    kind: str
    numerator: Rows
    denominator: Rows | None = None
    formula: Any = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    # what is counted: distinct values of this field ("child", "case"), or "pk" for rows (a
    # stock of children counts rows too: a child has one placement open on a day)
    counts: str = "pk"
    # the path from a counted row to the child, for the drill-down to the records
    child: str = "child_id"
    # rows holding both the numerator's and the denominator's, and the condition of each: both
    # counted in one scan
    one_scan: Callable[[Scope], Scan] | None = None
    # placement-based indicators can be computed for one institution
    by_institution: bool = False
    reference: str = "period"  # "date": a stock on D; "period": a flow in the year ending on D
    # a count of facts whose rows are also given as a condition (``engine.Rows``): its series
    # is then counted in one reading of the facts
    reads: engine.Rows | None = None


def _placements(scope: Scope, qs: QuerySet[PlacementFact]) -> QuerySet[PlacementFact]:
    qs = in_area(qs, scope.area)
    if scope.institution is not None:
        qs = qs.filter(institution=scope.institution)
    return qs


def _read(rows: engine.Rows, day: datetime.date, scope: Scope) -> QuerySet[PlacementFact]:
    """The facts of ``rows`` on ``day`` in the scope's area (and institution), with each
    child's age band."""
    qs = engine.facts().filter(rows.condition(engine.Context(day, scope.area)))
    if scope.institution is not None:
        qs = qs.filter(institution=scope.institution)
    return qs.annotate(age_band=engine.age_band_at(rows.age_at, day))


def _residential_open(ctx: engine.Context) -> Q:
    return (
        engine.in_care_on(ctx.day) & Q(care_type__in=RESIDENTIAL) & engine.area_condition(ctx.area)
    )


RESIDENTIAL_OPEN = engine.Rows(_residential_open, "day", engine.open_on_one_of)


def _residential_on(day: datetime.date, scope: Scope) -> QuerySet[PlacementFact]:
    return _read(RESIDENTIAL_OPEN, day, scope)


def _res(scope: Scope) -> QuerySet[PlacementFact]:
    return _residential_on(scope.day, scope)


def baseline_of(scope: Scope) -> datetime.date:
    """The baseline date: the one asked for, or the same day a year before D."""
    return scope.baseline or engine.years_before(scope.day, 1)


def _res_baseline(scope: Scope) -> QuerySet[PlacementFact]:
    return _residential_on(baseline_of(scope), scope)


def _res_both_days(scope: Scope) -> Scan:
    """Residential placements of children in care on D or on the baseline day."""
    baseline = baseline_of(scope)
    on_d, on_baseline = engine.in_care_on(scope.day), engine.in_care_on(baseline)
    qs = engine.facts().filter(on_d | on_baseline, care_type__in=RESIDENTIAL)
    qs = qs.annotate(
        _band_on_d=engine.age_band_on(scope.day), _band_on_baseline=engine.age_band_on(baseline)
    )
    return Scan(_placements(scope, qs), on_d, on_baseline, "_band_on_d", "_band_on_baseline")


def _moved(scope: Scope) -> QuerySet[PlacementFact]:
    # FC3's numerator, a child counted once, by their first move of P: residential placements
    # ending in P whose next placement in the episode is family-based, or that end the episode
    # reunified or adopted.
    p = period_ending(scope.day)
    qs = engine.INDICATORS["FC3"].numerator(engine.Context(scope.day, scope.area))
    qs = qs.filter(Q(previous_move_end__isnull=True) | Q(previous_move_end__lt=p.start))
    if scope.institution is not None:
        qs = qs.filter(institution=scope.institution)
    return qs


def _reunified_exits(ctx: engine.Context) -> Q:
    p = period_ending(ctx.day)
    return (
        Q(is_exit=True, exit_destination=ExitDestination.REUNIFIED, end__range=(p.start, p.end))
        & engine.aged("end")
        & engine.area_condition(ctx.area)
    )


REUNIFIED_EXITS = engine.Rows(_reunified_exits, "end", engine.ending_in_periods)


def _reintegrations(scope: Scope) -> QuerySet[PlacementFact]:
    return _read(REUNIFIED_EXITS, scope.day, scope)


def _family_endings(scope: Scope) -> QuerySet[PlacementFact]:
    p = period_ending(scope.day)
    qs = engine.facts().filter(care_type__in=FAMILY_BASED, end__range=(p.start, p.end))
    return with_age(_placements(scope, qs), "end")


def _broke_down(scope: Scope) -> Q:
    # ended, not by a planned exit, and another placement follows within a day: not an exit of
    # the episode
    planned = [ExitDestination.REUNIFIED, ExitDestination.ADOPTED, ExitDestination.AGED_OUT]
    return ~Q(exit_destination__in=planned) & Q(is_exit=False)


def _breakdowns(scope: Scope) -> QuerySet[PlacementFact]:
    return _family_endings(scope).filter(_broke_down(scope))


def _period_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """P as aware datetimes [first midnight, midnight after D) in the local time zone."""
    p = period_ending(day)
    start = timezone.make_aware(datetime.datetime.combine(p.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(p.end + ONE_DAY, datetime.time.min))
    return start, end


def _assessed(scope: Scope) -> QuerySet[Any]:
    from homeward.assessments.models import Assessment, AssessmentStatus

    start, end = _period_bounds(scope.day)
    qs = Assessment.objects.filter(
        template__code=FAMILY_NEEDS,
        status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED],
        submitted_at__gte=start,
        submitted_at__lt=end,
    )
    return _with_agency_area(_in_agency_area(qs, scope.area, "case__"), "case__")


def _referrals_sent(scope: Scope) -> QuerySet[Any]:
    from homeward.services.models import Referral

    start, end = _period_bounds(scope.day)
    qs = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    return _with_agency_area(_in_agency_area(qs, scope.area, "case__"), "case__")


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + ONE_DAY, datetime.time.min))


def _answered(scope: Scope) -> QuerySet[Any]:
    return _referrals_sent(scope).filter(answered_at__lt=_day_end(scope.day))


def _answer_due(scope: Scope) -> QuerySet[Any]:
    """Referrals sent in P whose timeliness is known at the end of D: answered by then, or
    still unanswered after their due time (and not withdrawn before it)."""
    end = _day_end(scope.day)
    return _referrals_sent(scope).filter(
        Q(answered_at__lt=end)
        | (Q(due_at__lt=end) & ~Q(withdrawn_at__lte=F("due_at")) & ~Q(answered_at__lt=end))
    )


def _answered_on_time(scope: Scope) -> QuerySet[Any]:
    return _answered(scope).filter(answered_at__lte=F("due_at"))


def _open_cases(scope: Scope) -> QuerySet[Any]:
    from homeward.cases.models import Case as CaseRecord

    qs = CaseRecord.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=scope.day),
        opened_on__lte=scope.day,
        case_manager__isnull=False,
    )
    return _with_agency_area(_in_agency_area(qs, scope.area, ""), "")


FAMILY_NEEDS = "family_needs"

OPERATIONAL: dict[str, Operational] = {
    o.id: o
    for o in [
        Operational("RES", _("Children in residential care"), "count", _res,
                    formula=_("children whose placement open on D is residential (small group "
                              "home or institution)"),
                    dimensions=PLACEMENT_DIMENSIONS, by_institution=True, reference="date",
                    reads=RESIDENTIAL_OPEN),
        Operational("RESCHG", _("Change in children in residential care since the baseline"),
                    "change", _res, _res_baseline,
                    formula=_("(children in residential care on D − children in residential "
                              "care on the baseline date B) ÷ children in residential care on B"),
                    dimensions=PLACEMENT_DIMENSIONS, by_institution=True, reference="date",
                    one_scan=_res_both_days),
        Operational("MOVED", _("Children who moved from residential care to a family or home"),
                    "count", _moved,
                    formula=_("children with a residential placement ending in P followed in "
                              "the episode by a family-based placement, or ending the episode "
                              "reunified or adopted"),
                    dimensions=PLACEMENT_DIMENSIONS, by_institution=True),
        Operational("REINT", _("Reintegrations: episodes ending with a return to parents"),
                    "count", _reintegrations,
                    formula=_("episodes of care whose last placement ends in P with the exit "
                              "destination “returned to parents”"),
                    dimensions=PLACEMENT_DIMENSIONS, by_institution=True, reads=REUNIFIED_EXITS),
        Operational("BREAK", _("Breakdowns of family-based placements"), "proportion",
                    _breakdowns, _family_endings,
                    one_scan=lambda scope: Scan(_family_endings(scope), _broke_down(scope), Q()),
                    formula=_("family-based placements ending in P, not by return to parents, "
                              "adoption or ageing out, and followed within a day by another "
                              "placement ÷ family-based placements ending in P"),
                    dimensions=PLACEMENT_DIMENSIONS, by_institution=True),
        Operational("ASSESS", _("Families assessed against the target"), "target", _assessed,
                    formula=_("cases with a family needs assessment submitted in P (submitted "
                              "or approved) ÷ the yearly target for the area"),
                    dimensions=_agency_area_dimensions("case__"), counts="case",
                    child="case__child_id"),
        Operational("REFT", _("Hours from referral to answer (median)"), "median_hours",
                    _answered,
                    formula=_("median hours from sending to answering, referrals sent in P and "
                              "answered by the end of D"),
                    dimensions={"service_type": "service_type__code",
                                "provider_agency": "provider__agency__code",
                                **_agency_area_dimensions("case__")},
                    child="case__child_id"),
        Operational("REFOT", _("Referrals answered on time"), "proportion", _answered_on_time,
                    _answer_due,
                    formula=_("referrals sent in P answered by their due time ÷ referrals sent in "
                              "P answered by the end of D or still unanswered after their due "
                              "time (not withdrawn before it)"),
                    dimensions={"service_type": "service_type__code",
                                "provider_agency": "provider__agency__code",
                                **_agency_area_dimensions("case__")},
                    child="case__child_id"),
        Operational("CASELOAD", _("Open cases per case manager (median)"), "median",
                    _open_cases,
                    formula=_("median over case managers of their open cases on D (opened on or "
                              "before D, not closed by D); the maximum beside it"),
                    dimensions=_agency_area_dimensions(""), reference="date"),
    ]
}  # fmt: skip


# --- computing -----------------------------------------------------------------------------


@dataclass
class OpRow:
    group: dict[str, Any]
    numerator: int
    denominator: int | None
    value: float | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class OpResult:
    indicator: Operational
    day: datetime.date
    area: Location | None
    numerator: int
    denominator: int | None
    value: float | None
    rows: list[OpRow] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    institution: Any = None


Key = tuple[Any, ...]


def _measure(indicator: Operational) -> Count:
    if indicator.counts == "pk":
        return Count("pk")
    return Count(indicator.counts, distinct=True)


def _counts(qs: QuerySet[Any], indicator: Operational, fields: list[str]) -> dict[Key, int]:
    """Counts by the group fields in one GROUP BY query ({(): total} without fields)."""
    measure = _measure(indicator)
    if not fields:
        return {(): int(qs.aggregate(n=measure)["n"] or 0)}
    return {
        tuple(row[f] for f in fields): int(row["n"])
        for row in qs.order_by().values(*fields).annotate(n=measure)
    }


def _counts_both(scan: Scan, fields: list[str]) -> tuple[dict[Key, int], dict[Key, int]]:
    """The rows meeting each condition of the scan, by the group fields, in one query."""
    counted = engine.count_rows(
        scan.rows,
        {
            "n": (scan.numerator, [scan.numerator_band if f == "age_band" else f for f in fields]),
            "d": (
                scan.denominator,
                [scan.denominator_band if f == "age_band" else f for f in fields],
            ),
        },
    )
    return counted["n"], counted["d"]


def medians(qs: QuerySet[Any], value: Any, fields: list[str]) -> dict[Key, Any]:
    """The median of ``value`` within each group, in one query: the database numbers the rows
    of each group in order and returns the middle one or two (window functions, in SQLite and
    PostgreSQL alike); the mean of those is the median."""
    partition = [F(f) for f in fields] or None
    ranked = (
        qs.order_by()
        .annotate(_v=value)
        .annotate(
            _rn=Window(RowNumber(), partition_by=partition, order_by=[F("_v").asc(), F("pk")]),
            _n=Window(Count("pk"), partition_by=partition),
        )
        .filter(_rn__gte=(F("_n") + 1) / 2, _rn__lte=(F("_n") + 2) / 2)
    )
    middle: dict[Key, list[Any]] = {}
    for row in ranked.values(*fields, "_v"):
        middle.setdefault(tuple(row[f] for f in fields), []).append(row["_v"])
    return middle


def _hours(value: Any) -> float:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, as some backends return durations


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def targets() -> dict[str, int]:
    """The yearly family-assessment targets by location code (settings, env-overridable)."""
    return dict(getattr(settings, "FAMILY_ASSESSMENT_TARGETS", {}))


def target_for(code: str | None, configured: dict[str, int], paths: dict[str, str]) -> int | None:
    """The target of an area: its own, or the sum of the targets of the areas inside it;
    ``code`` None is everywhere. ``paths`` maps the configured codes to their locations' paths."""
    if code is not None and code in configured:
        return configured[code]
    if code is None:
        inside = list(configured.values())
    else:
        area_path = paths.get(code) or ""
        inside = [
            target
            for other, target in configured.items()
            if area_path and paths.get(other, "").startswith(area_path + "/")
        ]
    return sum(inside) if inside else None


def _target_paths(configured: dict[str, int], extra: Iterable[str]) -> dict[str, str]:
    codes = set(configured) | {c for c in extra if c}
    return dict(Location.objects.filter(code__in=codes).values_list("code", "path"))


def compute(
    indicator_id: str,
    day: datetime.date,
    area: Location | None = None,
    by: list[str] | None = None,
    *,
    institution: Any = None,
    baseline: datetime.date | None = None,
) -> OpResult:
    indicator = OPERATIONAL[indicator_id]
    dims = [d for d in (by or []) if d in indicator.dimensions]
    fields = [indicator.dimensions[d] for d in dims]
    scope = Scope(day, area, institution if indicator.by_institution else None, baseline)
    result = OpResult(indicator, day, area, 0, None, None, institution=institution)
    if indicator.kind == "change":
        result.extra["baseline"] = baseline_of(scope)
    top_qs = indicator.numerator(scope)
    bottom_qs = indicator.denominator(scope) if indicator.denominator else None

    if indicator.kind == "median":
        _caseloads(result, top_qs, fields, dims)
        return result

    top, bottom, top_rows, bottom_rows = _tallies(indicator, scope, top_qs, bottom_qs, fields)
    wait = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())
    middle = medians(top_qs, wait, []) if indicator.kind == "median_hours" else {}
    middle_rows = medians(top_qs, wait, fields) if indicator.kind == "median_hours" and dims else {}

    configured: dict[str, int] = {}
    paths: dict[str, str] = {}
    if indicator.kind == "target":
        configured = targets()
        paths = _target_paths(
            configured, [area.code if area else ""] + [v for k in top_rows for v in k if v]
        )

    def figures(key: Key | None, group: dict[str, Any]) -> tuple[int, int | None, float | None]:
        source_top, source_bottom = (top, bottom) if key is None else (top_rows, bottom_rows)
        k = () if key is None else key
        numerator = source_top.get(k, 0)
        denominator: int | None = None
        if indicator.kind == "target":
            code = (area.code if area else None) if key is None else _target_code(group)
            denominator = target_for(code, configured, paths) if code or key is None else None
        elif bottom_qs is not None:
            denominator = source_bottom.get(k, 0)
        if indicator.kind == "median_hours":
            waits = (middle if key is None else middle_rows).get(k, [])
            return numerator, None, _mean(_hours(w) for w in waits)
        if indicator.kind == "count":
            return numerator, None, float(numerator)
        if not denominator:
            return numerator, denominator, None
        if indicator.kind == "change":
            return numerator, denominator, (numerator - denominator) / denominator
        return numerator, denominator, numerator / denominator

    result.numerator, result.denominator, result.value = figures(None, {})
    if indicator.kind == "change":
        result.extra["change"] = result.numerator - (result.denominator or 0)
    keys = sorted(set(top_rows) | set(bottom_rows), key=lambda k: tuple(_order(x) for x in k))
    for key in keys:
        group = dict(zip(dims, key, strict=True))
        numerator, denominator, value = figures(key, group)
        row = OpRow(group, numerator, denominator, value)
        if indicator.kind == "change":
            row.extra["change"] = numerator - (denominator or 0)
        result.rows.append(row)
    return result


Tally = dict[Key, int]


def _tallies(
    indicator: Operational,
    scope: Scope,
    top_qs: QuerySet[Any],
    bottom_qs: QuerySet[Any] | None,
    fields: list[str],
) -> tuple[Tally, Tally, Tally, Tally]:
    """The numerator's and the denominator's totals and counts by group, in as few queries as
    the counting allows: rows (not distinct values) are in exactly one group each, so their
    totals are the sums of the groups; a numerator that is the denominator's rows meeting a
    condition, or both from rows holding the two, are counted in the same scan."""
    rows = indicator.counts == "pk"
    if rows and bottom_qs is not None and indicator.one_scan is not None:
        met, every = _counts_both(indicator.one_scan(scope), fields)
        totals = {(): sum(met.values())}, {(): sum(every.values())}
        return (*totals, met, every) if fields else (*totals, {}, {})
    top_rows = _counts(top_qs, indicator, fields) if fields else {}
    bottom_rows = _counts(bottom_qs, indicator, fields) if fields and bottom_qs is not None else {}
    if fields and rows:
        top = {(): sum(top_rows.values())}
        bottom = {(): sum(bottom_rows.values())} if bottom_qs is not None else {}
    else:
        top = _counts(top_qs, indicator, [])
        bottom = _counts(bottom_qs, indicator, []) if bottom_qs is not None else {}
    return top, bottom, top_rows, bottom_rows


def _target_code(group: dict[str, Any]) -> str | None:
    """Targets exist by area: rows by district or region have one, rows by agency none."""
    if set(group) - {"region", "district"}:
        return None
    code = group.get("district") or group.get("region")
    return str(code) if code else None


def _agency_keys(fields: list[str]) -> dict[Any, Key]:
    """Each agency's values of the group fields of ``_agency_area_dimensions("")``."""
    from homeward.accounts.models import Agency

    columns = {"_region": "_region", "_district": "_district", "agency__code": "code"}
    rows = _with_area_codes(Agency.objects.all(), "area").values(
        "pk", "code", "_region", "_district"
    )
    return {row["pk"]: tuple(row[columns[f]] for f in fields) for row in rows}


def _caseloads(result: OpResult, cases: QuerySet[Any], fields: list[str], dims: list[str]) -> None:
    """Open cases per case manager: one GROUP BY query gives each worker's count (a row per
    worker, not per case); the median and maximum are read from those counts."""
    # Counted by agency and worker; each agency's region, district and code are read from the
    # small agency table instead of joining every case to the location tree.
    per_worker = cases.order_by().values("agency", "case_manager").annotate(n=Count("pk"))
    keys = _agency_keys(fields)
    by_group: dict[Key, dict[Any, int]] = {}
    everyone: dict[Any, int] = {}
    for row in per_worker:
        worker, n = row["case_manager"], int(row["n"])
        group = by_group.setdefault(keys[row["agency"]], {})
        group[worker] = group.get(worker, 0) + n
        everyone[worker] = everyone.get(worker, 0) + n
    loads = {key: list(workers.values()) for key, workers in by_group.items()}

    def summary(counts: list[int]) -> tuple[int, int, float | None, int | None]:
        ordered = sorted(counts)
        n = len(ordered)
        median = _mean(ordered[(n - 1) // 2 : n // 2 + 1]) if n else None
        return sum(ordered), n, median, (ordered[-1] if ordered else None)

    total, workers, median, most = summary(list(everyone.values()))
    result.numerator, result.denominator, result.value = total, workers, median
    result.extra["max"] = most
    if not dims:
        return
    for key in sorted(loads, key=lambda k: tuple(_order(x) for x in k)):
        total, workers, median, most = summary(loads[key])
        group = dict(zip(dims, key, strict=True))
        result.rows.append(OpRow(group, total, workers, median, {"max": most}))


BAND_ORDER = {name: index for index, (name, _low, _high) in enumerate(engine.AGE_BANDS)}


def _order(value: Any) -> tuple[int, str]:
    """Age bands in age order, everything else alphabetically."""
    return (BAND_ORDER.get(value, len(BAND_ORDER)), str(value))


def numerator_rows(indicator_id: str, scope: Scope) -> QuerySet[Any]:
    """The rows an indicator counts, for the drill-down to the records."""
    return OPERATIONAL[indicator_id].numerator(scope)


def series(
    indicator_id: str,
    days: list[datetime.date],
    area: Location | None = None,
    institution: Any = None,
) -> list[OpResult]:
    """A count of facts on each day in one reading of the facts (see ``engine.series``)."""
    indicator = OPERATIONAL[indicator_id]
    reads = indicator.reads
    if reads is None or indicator.kind != "count" or len(days) < 2:
        return [compute(indicator_id, day, area, institution=institution) for day in days]
    # as ``compute`` reads them: the area's facts, and of those one institution's if given
    inside = Q(institution=institution) if institution is not None else Q()
    reach = reads.span(min(days), max(days)) & inside & engine.area_condition(area)
    counted = engine.count_rows(
        engine.facts().filter(reach),
        {
            f"n{index}": (reads.condition(engine.Context(day, area)) & inside, [])
            for index, day in enumerate(days)
        },
    )
    results = []
    for index, day in enumerate(days):
        n = counted[f"n{index}"][()]
        results.append(OpResult(indicator, day, area, n, None, float(n), institution=institution))
    return results
