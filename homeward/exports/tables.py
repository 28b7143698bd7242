"""What an export holds, as tables: a title, notes above, column headings and lazy rows.

Each kind of export reads through the same selectors and computations as its page, with the
user who asked, so an export never shows more than the page would.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from homeward.care.models import CareType
from homeward.core.forms import checked
from homeward.core.models import Sex
from homeward.geo.models import Location
from homeward.indicators import catalogue
from homeward.indicators.api import needs_suppression, present
from homeward.indicators.engine import DIMENSIONS, INDICATORS, period_ending
from homeward.registry import selectors
from homeward.registry.models import LegalStatus

if TYPE_CHECKING:
    from homeward.accounts.models import User

CHUNK = 2000


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: Iterable[list[Any]]
    count: int
    notes: list[tuple[str, str]] = field(default_factory=list)
    name: str = ""  # a short name: the sheet's in a workbook


# --- children ------------------------------------------------------------------------------

CHILD_FILTERS = ("q", "sex", "legal_status", "age_band", "disability", "location", "institution")


CHILD_FIELDS = (
    "case_number",
    "external_id",
    "family_name",
    "given_name",
    "patronymic",
    "family_name_latin",
    "given_name_latin",
    "patronymic_latin",
    "sex",
    "date_of_birth",
    "legal_status",
    "home_location__code",
    "home_location__name_local",
    "home_location__name_ru",
    "home_location__name_latin",
    "agency__code",
)


def _place_name(local: str, russian: str, latin: str) -> str:
    """Location.display_name, from the values of one row."""
    language = (get_language() or "en")[:2]
    if language == "en":
        return latin
    if language == "ru" and russian:
        return russian
    return local


def children_table(user: Any, filters: selectors.ChildFilters) -> Table:
    """The children the user sees on the list page with these filters, in the same order."""
    queryset = selectors.child_list(user, filters)
    count = queryset.count()
    sexes = {k: str(v) for k, v in Sex.choices}
    statuses = {k: str(v) for k, v in LegalStatus.choices}

    def rows() -> Iterator[list[Any]]:
        values = queryset.values_list(*CHILD_FIELDS).iterator(chunk_size=CHUNK)
        for (
            number,
            external,
            family,
            given,
            patronymic,
            family_latin,
            given_latin,
            patronymic_latin,
            sex,
            born,
            status,
            home_code,
            home_local,
            home_ru,
            home_latin,
            agency,
        ) in values:
            yield [
                number,
                external,
                family,
                given,
                patronymic,
                family_latin,
                given_latin,
                patronymic_latin,
                sexes.get(sex, sex),
                born,
                statuses.get(status, status),
                home_code,
                _place_name(home_local, home_ru, home_latin),
                agency,
            ]

    return Table(
        title=_("Children"),
        name=_("Children"),
        columns=[
            _("Case number"),
            _("External identifier"),
            _("Family name"),
            _("Given name"),
            _("Patronymic"),
            _("Family name (Latin)"),
            _("Given name (Latin)"),
            _("Patronymic (Latin)"),
            _("Sex"),
            _("Date of birth"),
            _("Legal status"),
            _("Home (code)"),
            _("Home"),
            _("Agency"),
        ],
        rows=rows(),
        count=count,
        notes=[(_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))],
    )


# --- indicators ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorParams:
    indicator: str
    day: datetime.date
    area: Location | None
    by: str  # one dimension or ""
    baseline: datetime.date | None = None  # for the changes against a baseline date


def indicator_params(data: Mapping[str, Any]) -> IndicatorParams:
    """The indicator page's choices, checked by the page's own form."""
    from homeward.indicators.views import CatalogueForm

    names = ("indicator", "date", "area", "by", "baseline")
    cleaned = checked(CatalogueForm, {k: v for k, v in data.items() if k in names}).cleaned_data
    ident = cleaned["indicator"]
    by = cleaned["by"] if cleaned["by"] in catalogue.dimensions(ident) else ""
    return IndicatorParams(ident, cleaned["date"], cleaned["area"], by, cleaned["baseline"])


def standard_params(data: Mapping[str, Any]) -> IndicatorParams:
    """A reference date and an area (no indicator, no breakdown: the workbook has them all)."""
    return indicator_params({**data, "indicator": next(iter(INDICATORS)), "by": ""})


def _dimension_labels() -> dict[str, str]:
    from homeward.indicators.dashboard import DIMENSION_LABELS

    return {k: str(v) for k, v in DIMENSION_LABELS.items()}


def _group_value(dimension: str, value: Any) -> Any:
    if dimension == "sex":
        return str(dict(Sex.choices).get(value, value))
    if dimension == "care_type":
        return str(dict(CareType.choices).get(value, value))
    if dimension == "disability":
        return _("Yes") if value else _("No")
    return value if value is not None else "—"


def _area_label(area: Location | None) -> str:
    return f"{area.code} {area.display_name}" if area else _("All areas")


def _value(value: float | None) -> float | str:
    return "—" if value is None else round(value, 6)


def indicator_table(user: Any, params: IndicatorParams, name: str = "") -> Table:
    """One indicator on one date and area, whole and by one breakdown, as its page shows it."""
    dims = [params.by] if params.by else []
    result = catalogue.compute(
        params.indicator, params.day, params.area, dims, baseline=params.baseline
    )
    suppress = needs_suppression(user)
    shown = present(result, suppress)
    labels = _dimension_labels()
    period = period_ending(params.day)
    rows: list[list[Any]] = [
        [_("Total"), shown["numerator"], shown["denominator"], _value(shown["value"])]
    ]
    for row in shown["rows"]:
        group = " · ".join(str(_group_value(k, v)) for k, v in row["group"].items())
        rows.append([group, row["numerator"], row["denominator"], _value(row["value"])])
    indicator = result.indicator
    notes = [
        (_("Indicator"), f"{indicator.id} — {indicator.title}"),
        (_("Definition"), str(indicator.formula)),
        (_("Reference date"), params.day.isoformat()),
        (_("Period"), f"{period.start.isoformat()} – {period.end.isoformat()}"),
        (_("Area"), _area_label(params.area)),
        (_("Broken down by"), labels.get(params.by, _("Nothing"))),
    ]
    if suppress:
        notes.append(
            (
                _("Small counts"),
                _("Counts from 1 to 4 are shown as “<5”, with another cell hidden."),
            )
        )
    return Table(
        title=f"{indicator.id} — {indicator.title}",
        name=name or indicator.id,
        columns=[labels.get(params.by, _("Group")), _("Numerator"), _("Denominator"), _("Value")],
        rows=rows,
        count=len(rows),
        notes=notes,
    )


def indicator_csv_table(user: Any, params: IndicatorParams) -> Table:
    """The same figures with the indicator, date and area on every line, for machines."""
    table = indicator_table(user, params)
    area = params.area.code if params.area else ""
    return Table(
        title=table.title,
        name=table.name,
        columns=[_("Indicator"), _("Reference date"), _("Area"), *table.columns],
        rows=[[params.indicator, params.day, area, *row] for row in table.rows],
        count=table.count,
    )


def standard_sheets(params: IndicatorParams) -> list[tuple[str, str]]:
    """(indicator, breakdown) of every sheet of the standard workbook, in order."""
    sheets: list[tuple[str, str]] = []
    for indicator in INDICATORS.values():
        sheets.append((indicator.id, ""))
        if indicator.kind != "median_days":  # a median has no breakdown
            sheets.extend((indicator.id, dim) for dim in DIMENSIONS)
    return sheets


def definitions_table(params: IndicatorParams, suppress: bool) -> Table:
    period = period_ending(params.day)
    notes = [
        (_("Reference date"), params.day.isoformat()),
        (_("Period"), f"{period.start.isoformat()} – {period.end.isoformat()}"),
        (_("Area"), _area_label(params.area)),
        (_("Conventions"), _("A placement covers the days from its start up to, not including, "
                             "its end; only children aged 0–17 count.")),
    ]  # fmt: skip
    if suppress:
        notes.append(
            (
                _("Small counts"),
                _("Counts from 1 to 4 are shown as “<5”, with another cell hidden."),
            )
        )
    kinds = {
        "rate": _("per 100,000 children"),
        "proportion": _("proportion"),
        "ratio": _("ratio"),
        "median_days": _("median days"),
    }
    rows = [
        [i.id, str(i.title), str(i.formula), str(kinds.get(i.kind, i.kind))]
        for i in INDICATORS.values()
    ]
    return Table(
        title=_("Standard indicators"),
        name=_("Definitions"),
        columns=[_("Indicator"), _("Title"), _("Definition"), _("Measure")],
        rows=rows,
        count=len(rows),
        notes=notes,
    )


def standard_tables(user: User, params: IndicatorParams) -> Iterator[Table]:
    """The definitions, then one table per indicator × breakdown, computed one at a time."""
    yield definitions_table(params, needs_suppression(user))
    labels = _dimension_labels()
    for indicator_id, dim in standard_sheets(params):
        name = f"{indicator_id} {labels.get(dim, _('total')) if dim else _('total')}"
        yield indicator_table(
            user, IndicatorParams(indicator_id, params.day, params.area, dim), name=name
        )
