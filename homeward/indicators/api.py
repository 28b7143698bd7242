"""GET /api/v1/indicators/{id}: value, numerator, denominator and disaggregated rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from homeward.access.permissions import Perm, has_perm
from homeward.api.common import field_error
from homeward.geo.models import Location
from homeward.indicators import catalogue
from homeward.indicators.catalogue import CATALOGUE, Computed
from homeward.indicators.engine import Row
from homeward.indicators.operational import OpRow
from homeward.indicators.population import population_import
from homeward.indicators.suppression import is_small, rows_to_hide, shown

router = Router(tags=["indicators"])


class IndicatorQuery(Schema):
    date: datetime.date | None = None
    area: str = Field("", max_length=32)
    institution: str = Field(
        "", max_length=32, description="An institution code: the figures of that institution."
    )
    baseline: datetime.date | None = Field(
        None, description="For RESCHG: the baseline date (default: a year before the date)."
    )
    by: str = Field(
        "", max_length=100, description="Comma-separated: " + ", ".join(catalogue.DIMENSION_NAMES)
    )


class IndicatorRow(Schema):
    group: dict[str, Any]
    numerator: int | str | None
    denominator: int | str | None
    value: float | None
    extra: dict[str, Any] = {}


class IndicatorOut(Schema):
    id: str
    title: str
    formula: str
    date: datetime.date
    area: str | None
    numerator: int | str | None
    denominator: int | str | None
    value: float | None
    kind: str
    institution: str | None = None
    extra: dict[str, Any] = {}
    suppressed: bool
    rows: list[IndicatorRow]


class IndicatorListItem(Schema):
    id: str
    title: str
    formula: str
    kind: str
    dimensions: list[str]


def _extra(extra: dict[str, Any], hide: bool) -> dict[str, Any]:
    """Figures beside the value (a change, a maximum): hidden with the cell they belong to."""
    return {k: (None if hide and not isinstance(v, datetime.date) else v) for k, v in extra.items()}


def present(result: Computed, suppress: bool) -> dict[str, Any]:
    """The result as published: with small cells hidden when the reader sees aggregates only."""
    counted = result.indicator.kind not in {"rate"}
    hide_total = suppress and (
        is_small(result.numerator) or (counted and is_small(result.denominator))
    )
    all_rows: list[Row | OpRow] = list(result.rows)
    pairs = [(r.numerator, r.denominator if counted else None) for r in all_rows]
    hidden = rows_to_hide(pairs) if suppress else set()
    rows = []
    for index, row in enumerate(all_rows):
        hide = index in hidden
        rows.append(
            {
                "group": row.group,
                "numerator": shown(row.numerator, hide),
                "denominator": shown(row.denominator, hide and counted),
                "value": None if hide else row.value,
                "extra": _extra(getattr(row, "extra", {}), hide),
            }
        )
    return {
        "id": result.indicator.id,
        "title": str(result.indicator.title),
        "formula": str(result.indicator.formula),
        "date": result.day,
        "area": result.area.code if result.area else None,
        "numerator": shown(result.numerator, hide_total),
        "denominator": shown(result.denominator, hide_total and counted),
        "value": None if hide_total else result.value,
        "kind": result.indicator.kind,
        "institution": getattr(getattr(result, "institution", None), "code", None),
        "extra": _extra(getattr(result, "extra", {}), hide_total),
        "suppressed": suppress,
        "rows": rows,
    }


def needs_suppression(user: Any) -> bool:
    """Analysts and anyone without access to records see suppressed figures."""
    return not has_perm(user, Perm.CHILD_VIEW)


@router.get("/indicators", response=list[IndicatorListItem], url_name="indicator_list")
def indicator_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "title": str(i.title),
            "formula": str(i.formula),
            "kind": i.kind,
            "dimensions": catalogue.dimensions(i.id),
        }
        for i in CATALOGUE.values()
    ]


def _where(indicator_id: str, area_code: str, institution_code: str) -> tuple[str, Any, Any]:
    """The indicator, area and institution asked for, or a 422 naming the wrong field."""
    entry = catalogue.get(indicator_id)
    if entry is None:
        raise field_error("id", _("Unknown indicator."))
    area = None
    if area_code:
        area = Location.objects.filter(code=area_code).first()
        if area is None:
            raise field_error("area", _("Unknown location code."))
    institution = None
    if institution_code:
        from homeward.institutions.models import Institution

        institution = Institution.objects.filter(code=institution_code).first()
        if institution is None:
            raise field_error("institution", _("Unknown institution code."))
        if not catalogue.by_institution(entry.id):
            raise field_error(
                "institution", _("This indicator cannot be computed for one institution.")
            )
    return entry.id, area, institution


@router.get("/indicators/{indicator_id}", response=IndicatorOut, url_name="indicator_detail")
def indicator_detail(
    request: HttpRequest, indicator_id: str, query: Query[IndicatorQuery]
) -> dict[str, Any]:
    ident, area, institution = _where(indicator_id, query.area, query.institution)
    dims = [d.strip() for d in query.by.split(",") if d.strip()]
    unknown = [d for d in dims if d not in catalogue.dimensions(ident)]
    if unknown:
        raise field_error(
            "by", _("Unknown disaggregation: %(names)s.") % {"names": ", ".join(unknown)}
        )
    day = query.date or timezone.localdate()
    result = catalogue.compute(
        ident, day, area, dims, institution=institution, baseline=query.baseline
    )
    return present(result, needs_suppression(request.user))


MAX_POINTS = 60


class SeriesQuery(Schema):
    area: str = Field("", max_length=32)
    institution: str = Field("", max_length=32)
    from_: datetime.date | None = Field(None, alias="from")
    to: datetime.date | None = None
    months: int = Field(12, ge=1, le=MAX_POINTS, description="Points when `from` is not given.")
    baseline: datetime.date | None = None


class SeriesPoint(Schema):
    date: datetime.date
    numerator: int | str | None
    denominator: int | str | None
    value: float | None
    extra: dict[str, Any] = {}


class SeriesOut(Schema):
    id: str
    title: str
    formula: str
    kind: str
    area: str | None
    institution: str | None
    suppressed: bool
    points: list[SeriesPoint]


@router.get("/indicators/{indicator_id}/series", response=SeriesOut, url_name="indicator_series")
def indicator_series(
    request: HttpRequest, indicator_id: str, query: Query[SeriesQuery]
) -> dict[str, Any]:
    """The indicator at each month end from `from` to `to` (default: the last `months`)."""
    ident, area, institution = _where(indicator_id, query.area, query.institution)
    end = query.to or timezone.localdate()
    if query.from_ is not None:
        if query.from_ > end:
            raise field_error("from", _("The start must not be after the end."))
        days = catalogue.month_ends_between(query.from_, end)
        if len(days) > MAX_POINTS:
            raise field_error("from", _("At most %(n)s month ends at a time.") % {"n": MAX_POINTS})
    else:
        days = catalogue.month_ends(end, query.months)
    return series_out(request.user, ident, days, area, institution, query.baseline)


def series_out(
    user: Any,
    ident: str,
    days: list[datetime.date],
    area: Any,
    institution: Any,
    baseline: datetime.date | None = None,
) -> dict[str, Any]:
    """The series as published (each point suppressed as a total is), for the API and pages."""
    suppress = needs_suppression(user)
    points = []
    for result in catalogue.series(ident, days, area, institution=institution, baseline=baseline):
        shown = present(result, suppress)
        points.append({k: shown[k] for k in ("numerator", "denominator", "value", "extra")})
        points[-1]["date"] = result.day
    entry = CATALOGUE[ident]
    return {
        "id": ident,
        "title": str(entry.title),
        "formula": str(entry.formula),
        "kind": entry.kind,
        "area": area.code if area else None,
        "institution": institution.code if institution else None,
        "suppressed": suppress,
        "points": points,
    }


class PopulationError(Schema):
    line: int
    column: str
    message: str


class PopulationReportOut(Schema):
    rows: int
    created: int
    updated: int
    committed: bool
    errors: list[PopulationError]


@router.post("/population", response=PopulationReportOut, url_name="population_import")
def population_upload(
    request: HttpRequest, file: File[UploadedFile], commit: Form[bool] = False
) -> dict[str, Any]:
    """Upload population figures (CSV: location_code,year,children); a dry run unless commit."""
    if (file.size or 0) > 5 * 1024 * 1024:
        raise field_error("file", _("The file is larger than 5 MB."))
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise field_error("file", _("The file must be CSV in UTF-8.")) from None
    report = population_import(text, commit=commit)
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "committed": commit and not report.errors,
        "errors": report.errors,
    }
