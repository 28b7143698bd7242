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
from homeward.indicators.engine import DIMENSIONS, INDICATORS, Result, compute
from homeward.indicators.population import population_import
from homeward.indicators.suppression import is_small, rows_to_hide, shown

router = Router(tags=["indicators"])


class IndicatorQuery(Schema):
    date: datetime.date | None = None
    area: str = Field("", max_length=32)
    by: str = Field("", max_length=100, description="Comma-separated: " + ", ".join(DIMENSIONS))


class IndicatorRow(Schema):
    group: dict[str, Any]
    numerator: int | str | None
    denominator: int | str | None
    value: float | None


class IndicatorOut(Schema):
    id: str
    title: str
    formula: str
    date: datetime.date
    area: str | None
    numerator: int | str | None
    denominator: int | str | None
    value: float | None
    suppressed: bool
    rows: list[IndicatorRow]


class IndicatorListItem(Schema):
    id: str
    title: str
    formula: str


def present(result: Result, suppress: bool) -> dict[str, Any]:
    """The result as published: with small cells hidden when the reader sees aggregates only."""
    counted = result.indicator.kind not in {"rate"}
    hide_total = suppress and (
        is_small(result.numerator) or (counted and is_small(result.denominator))
    )
    pairs = [(r.numerator, r.denominator if counted else None) for r in result.rows]
    hidden = rows_to_hide(pairs) if suppress else set()
    rows = []
    for index, row in enumerate(result.rows):
        hide = index in hidden
        rows.append(
            {
                "group": row.group,
                "numerator": shown(row.numerator, hide),
                "denominator": shown(row.denominator, hide and counted),
                "value": None if hide else row.value,
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
        "suppressed": suppress,
        "rows": rows,
    }


def needs_suppression(user: Any) -> bool:
    """Analysts and anyone without access to records see suppressed figures."""
    return not has_perm(user, Perm.CHILD_VIEW)


@router.get("/indicators", response=list[IndicatorListItem], url_name="indicator_list")
def indicator_list(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"id": i.id, "title": str(i.title), "formula": str(i.formula)} for i in INDICATORS.values()
    ]


@router.get("/indicators/{indicator_id}", response=IndicatorOut, url_name="indicator_detail")
def indicator_detail(
    request: HttpRequest, indicator_id: str, query: Query[IndicatorQuery]
) -> dict[str, Any]:
    if indicator_id.upper() not in INDICATORS:
        raise field_error("id", _("Unknown indicator."))
    area = None
    if query.area:
        area = Location.objects.filter(code=query.area).first()
        if area is None:
            raise field_error("area", _("Unknown location code."))
    dims = [d.strip() for d in query.by.split(",") if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise field_error(
            "by", _("Unknown disaggregation: %(names)s.") % {"names": ", ".join(unknown)}
        )
    day = query.date or timezone.localdate()
    result = compute(indicator_id.upper(), day, area, dims)
    return present(result, needs_suppression(request.user))


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
