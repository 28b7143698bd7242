"""Dashboards at country, region, district and institution level, and the drill-down from a
figure to the records behind it.

Headline indicators with their value on the reference date, the time series of the chosen
indicator (its value at each month end), a bar chart by a chosen disaggregation, and a
side-by-side comparison of regions, districts or agencies: each chart with its table, drawn on
the server as SVG (no scripts). Readers who see aggregates only get suppressed figures and no
links to records; the records behind a figure are the reader's own scope, nothing more.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.access.permissions import Perm, has_perm
from homeward.care.models import CareType
from homeward.core.forms import CodeChoiceField, QuickSelect
from homeward.core.models import Sex
from homeward.geo.forms import LocationChoiceField
from homeward.geo.models import Level, Location
from homeward.indicators import catalogue
from homeward.indicators.api import needs_suppression, present, series_out
from homeward.indicators.catalogue import CATALOGUE
from homeward.institutions.models import Institution

HEADLINES = ["RES", "RESCHG", "MOVED", "REINT", "BREAK", "FC4", "ASSESS", "REFOT", "CASELOAD"]

DIMENSION_LABELS = {
    "age_band": gettext_lazy("Age band"),
    "sex": gettext_lazy("Sex"),
    "disability": gettext_lazy("Disability"),
    "care_type": gettext_lazy("Care type"),
    "region": gettext_lazy("Region"),
    "district": gettext_lazy("District"),
    "institution": gettext_lazy("Institution"),
    "agency": gettext_lazy("Agency"),
    "service_type": gettext_lazy("Service type"),
    "provider_agency": gettext_lazy("Provider's agency"),
}
COMPARISONS = {
    "region": gettext_lazy("Regions"),
    "district": gettext_lazy("Districts of the region"),
    "agency": gettext_lazy("Agencies"),
}


class DashboardForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    area = LocationChoiceField(
        areas=True,
        label=gettext_lazy("Area"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    institution = CodeChoiceField(
        label=gettext_lazy("Institution"),
        required=False,
        queryset=Institution.objects.order_by("name"),
        empty_label="—",
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    indicator = forms.ChoiceField(
        label=gettext_lazy("Indicator"),
        required=False,
        choices=[(i.id, f"{i.id} — {i.title}") for i in CATALOGUE.values()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    by = forms.ChoiceField(
        label=gettext_lazy("Broken down by"),
        required=False,
        choices=[("", "—"), *DIMENSION_LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    months = forms.TypedChoiceField(
        label=gettext_lazy("Months"),
        required=False,
        coerce=int,
        choices=[(12, "12"), (24, "24")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    compare = forms.ChoiceField(
        label=gettext_lazy("Compare"),
        required=False,
        choices=[("", "—"), *COMPARISONS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    baseline = forms.DateField(
        label=gettext_lazy("Baseline date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


# --- formatting ----------------------------------------------------------------------------


def format_value(kind: str, value: float | None) -> str:
    """A value as people read it: a percentage, a rate, a ratio, hours or days."""
    if value is None:
        return "—"
    if kind in {"proportion", "target"}:
        return f"{formats.number_format(value * 100, 0)}%"
    if kind == "change":
        sign = "+" if value > 0 else ""
        return f"{sign}{formats.number_format(value * 100, 1)}%"
    if kind == "ratio":
        return formats.number_format(value, 2)
    if kind == "count":
        return formats.number_format(value, 0)
    if kind == "median_days":
        return _("%(n)s days") % {"n": formats.number_format(value, 1)}
    if kind == "median_hours":
        return _("%(n)s h") % {"n": formats.number_format(value, 1)}
    return formats.number_format(value, 1)


class Names:
    """Display names of the codes in a breakdown, one query per kind of code."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        codes: dict[str, set[str]] = {}
        for row in rows:
            for dim, value in row["group"].items():
                if value not in (None, ""):
                    codes.setdefault(dim, set()).add(str(value))
        self.names: dict[str, dict[str, str]] = {}
        places = codes.get("region", set()) | codes.get("district", set())
        if places:
            found = Location.objects.filter(code__in=places)
            self.names["place"] = {loc.code: loc.display_name for loc in found}
        if codes.get("institution"):
            self.names["institution"] = dict(
                Institution.objects.filter(code__in=codes["institution"]).values_list(
                    "code", "name"
                )
            )
        agencies = codes.get("agency", set()) | codes.get("provider_agency", set())
        if agencies:
            from homeward.accounts.models import Agency

            self.names["agency"] = dict(
                Agency.objects.filter(code__in=agencies).values_list("code", "name")
            )
        if codes.get("service_type"):
            from homeward.services.models import ServiceType

            found_types = ServiceType.objects.filter(code__in=codes["service_type"])
            self.names["service_type"] = {t.code: str(t) for t in found_types}

    def label(self, dim: str, value: Any) -> str:
        if value is None or value == "":
            return _("Not recorded")
        if dim == "sex":
            return str(dict(Sex.choices).get(value, value))
        if dim == "care_type":
            return str(dict(CareType.choices).get(value, value))
        if dim == "disability":
            return _("With a disability") if value else _("Without a disability")
        kind = {"region": "place", "district": "place", "provider_agency": "agency"}.get(dim, dim)
        return self.names.get(kind, {}).get(str(value), str(value))


# --- charts --------------------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 56, 28, 12, 36


def line_chart(points: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """Coordinates of a line chart of the values (gaps where a value is hidden or missing)."""
    values = [p["value"] for p in points if p["value"] is not None]
    top = max([*values, 0.0])
    bottom = min([*values, 0.0])
    span = (top - bottom) or 1.0
    inner_w = CHART_WIDTH - LEFT - RIGHT
    inner_h = CHART_HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)
    segments: list[list[str]] = [[]]
    dots = []
    for index, point in enumerate(points):
        x = LEFT + index * step
        label = (
            formats.date_format(point["date"], "M y") if index % 2 == 0 or len(points) <= 12 else ""
        )
        if point["value"] is None:
            if segments[-1]:
                segments.append([])
            dots.append({"x": round(x, 1), "y": None, "label": label})
            continue
        y = TOP + inner_h * (top - point["value"]) / span
        segments[-1].append(f"{x:.1f},{y:.1f}")
        dots.append({"x": round(x, 1), "y": round(y, 1), "label": label})
    ticks = [
        {"y": round(TOP + inner_h * (top - v) / span, 1), "text": format_value(kind, v)}
        for v in sorted({top, bottom, (top + bottom) / 2}, reverse=True)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "base": CHART_HEIGHT - BOTTOM,
        "label_y": CHART_HEIGHT - BOTTOM + 18,
        "lines": [" ".join(s) for s in segments if len(s) > 1],
        "dots": dots,
        "ticks": ticks,
    }


def bars(rows: list[dict[str, Any]], key: str) -> tuple[list[dict[str, Any]], int]:
    """Bar lengths (0–400 of a 640-wide chart) on ``key``; hidden cells get no bar."""
    numbers = [abs(r[key]) for r in rows if isinstance(r[key], int | float)]
    top = max(numbers, default=0) or 1
    drawn = []
    for index, row in enumerate(rows):
        value = row[key]
        length = round(400 * abs(value) / top) if isinstance(value, int | float) else 0
        drawn.append({**row, "bar": length, "y": index * 28, "text_x": 206 + length})
    return drawn, max(len(rows), 1) * 28


# --- the page ------------------------------------------------------------------------------


def _query(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _drill_url(base: dict[str, Any], group: dict[str, Any]) -> str:
    params = dict(base)
    for dim, value in group.items():
        params[f"g_{dim}"] = "-" if value is None or value == "" else str(value)  # "-": none
    return reverse("indicators:records") + "?" + _query(params)


def _rows(
    shown: dict[str, Any], names: Names, drill: dict[str, Any] | None
) -> list[dict[str, Any]]:
    rows = []
    for row in shown["rows"]:
        label = " · ".join(names.label(d, v) for d, v in row["group"].items())
        hidden = row["numerator"] == "<5"
        rows.append(
            {
                **row,
                "label": label,
                "shown_value": format_value(shown["kind"], row["value"]),
                "drill": _drill_url(drill, row["group"]) if drill and not hidden else "",
            }
        )
    return rows


def _comparison_area(compare: str, area: Location | None) -> Location | None:
    """Regions side by side within the country, districts within the region."""
    if area is None:
        return None
    if compare == "region":
        return area if area.level == Level.COUNTRY else None
    if compare == "district" and area.level == Level.DISTRICT:
        return area.parent
    return area


def _default_compare(area: Location | None, ident: str) -> str:
    dims = catalogue.dimensions(ident)
    wanted = "region"
    if area is not None and area.level == Level.REGION:
        wanted = "district"
    elif area is not None and area.level in {Level.DISTRICT, Level.LOCALITY}:
        wanted = "agency"
    return wanted if wanted in dims else ""


def dashboard_page(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day: datetime.date = data.get("date") or timezone.localdate()
    area: Location | None = data.get("area")
    institution = data.get("institution")
    ident = data.get("indicator") or "RES"
    if institution is not None and not catalogue.by_institution(ident):
        ident = "RES"
    months = data.get("months") or 12
    baseline = data.get("baseline")
    dims = catalogue.dimensions(ident)
    by = (
        data.get("by")
        if data.get("by") in dims
        else (
            "institution"
            if "institution" in dims and institution is None
            else (dims[0] if dims else "")
        )
    )
    compare = data.get("compare") or _default_compare(area, ident)
    if compare not in dims or institution is not None:
        compare = ""
    suppress = needs_suppression(request.user)
    can_drill = not suppress and has_perm(request.user, Perm.CHILD_VIEW)
    level = (
        _("Institution")
        if institution is not None
        else (Level(area.level).label if area is not None else _("All areas"))
    )
    where = {
        "date": day.isoformat(),
        "area": area.code if area else "",
        "institution": institution.code if institution else "",
        "baseline": baseline.isoformat() if baseline else "",
        "months": months,
        "by": by,
        "compare": data.get("compare") or "",
    }

    headlines = []
    for hid in HEADLINES:
        if institution is not None and not catalogue.by_institution(hid):
            continue
        shown = present(
            catalogue.compute(hid, day, area, institution=institution, baseline=baseline),
            suppress,
        )
        headlines.append(
            {
                **shown,
                "shown_value": format_value(shown["kind"], shown["value"]),
                "link": "?" + _query({**where, "indicator": hid, "by": "", "compare": ""}),
                "current": hid == ident,
            }
        )

    entry = CATALOGUE[ident]
    days = catalogue.month_ends(day, months)
    series = series_out(request.user, ident, days, area, institution, baseline)
    for point in series["points"]:
        point["shown_value"] = format_value(entry.kind, point["value"])

    drill = None
    if can_drill:
        drill = {
            "indicator": ident,
            "date": day.isoformat(),
            "area": where["area"],
            "institution": where["institution"],
            "baseline": where["baseline"],
        }
    breakdown = None
    if by:
        shown = present(
            catalogue.compute(ident, day, area, [by], institution=institution, baseline=baseline),
            suppress,
        )
        rows = _rows(shown, Names(shown["rows"]), drill)
        drawn, height = bars(rows, "numerator")
        breakdown = {**shown, "rows": drawn, "height": height, "dimension": DIMENSION_LABELS[by]}

    comparison = None
    if compare:
        compare_area = _comparison_area(compare, area)
        shown = present(
            catalogue.compute(ident, day, compare_area, [compare], baseline=baseline), suppress
        )
        compare_drill = (
            dict(drill, area=compare_area.code if compare_area else "") if drill else None
        )
        rows = _rows(shown, Names(shown["rows"]), compare_drill)
        for row in rows:
            row["plot"] = row["value"] if row["value"] is not None else None
        drawn, height = bars(rows, "plot")
        comparison = {
            **shown,
            "rows": drawn,
            "height": height,
            "dimension": DIMENSION_LABELS[compare],
            "title_of": COMPARISONS[compare],
        }

    context = {
        "form": form,
        "day": day,
        "area": area,
        "institution": institution,
        "level": level,
        "entry": entry,
        "headlines": headlines,
        "series": series,
        "chart": line_chart(series["points"], entry.kind),
        "breakdown": breakdown,
        "comparison": comparison,
        "suppress": suppress,
        "can_drill": can_drill,
        "whole_drill": _drill_url(drill, {}) if drill else "",
    }
    return render(request, "indicators/dashboard.html", context)


# --- drill-down ----------------------------------------------------------------------------


class RecordsForm(forms.Form):
    indicator = forms.ChoiceField(choices=[(i, i) for i in CATALOGUE])
    date = forms.DateField()
    area = LocationChoiceField(areas=True, required=False)
    institution = forms.ModelChoiceField(
        required=False, queryset=Institution.objects.all(), to_field_name="code"
    )
    baseline = forms.DateField(required=False)


def records_page(request: HttpRequest) -> HttpResponse:
    """The children behind a figure of a dashboard, as far as the reader may see them."""
    if not has_perm(request.user, Perm.REPORT_VIEW):
        return render(request, "errors/403.html", status=403)
    from homeward.registry.selectors import children_for_user

    form = RecordsForm(request.GET or None)
    if not form.is_valid():
        return render(request, "indicators/records.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    ident = data["indicator"]
    allowed = catalogue.dimensions(ident)
    group: dict[str, str] = {
        key[2:]: ("" if value == "-" else str(value))
        for key, value in request.GET.items()
        if key.startswith("g_") and key[2:] in allowed
    }
    counted = catalogue.counted_children(
        ident,
        data["date"],
        data["area"],
        institution=data["institution"] if catalogue.by_institution(ident) else None,
        group=group,
        baseline=data["baseline"],
    )
    children = (
        children_for_user(request.user)
        .filter(pk__in=counted)
        .select_related("home_location")
        .order_by("family_name", "given_name", "pk")
    )
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    names = Names([{"group": group}])
    context = {
        "form": form,
        "page": page,
        "entry": CATALOGUE[ident],
        "day": data["date"],
        "area": data["area"],
        "institution": data["institution"],
        "group": [
            (DIMENSION_LABELS[d], names.label(d, catalogue.typed(v))) for d, v in group.items()
        ],
        "query": _query({k: v for k, v in request.GET.items() if k != "page"}),
        "back": reverse("indicators:dashboard")
        + "?"
        + _query(
            {
                "indicator": ident,
                "date": data["date"].isoformat(),
                "area": data["area"].code if data["area"] else "",
                "institution": data["institution"].code if data["institution"] else "",
            }
        ),
    }
    return render(request, "indicators/records.html", context)
