"""The indicators page: one indicator at a time, with a table under every chart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.geo.forms import LocationChoiceField
from homeward.indicators import catalogue
from homeward.indicators.api import needs_suppression, present
from homeward.indicators.catalogue import CATALOGUE
from homeward.indicators.dashboard import DIMENSION_LABELS as ALL_DIMENSION_LABELS
from homeward.indicators.dashboard import Names, format_value
from homeward.indicators.engine import INDICATORS

DIMENSION_LABELS = {
    "age_band": _("Age band"),
    "sex": _("Sex"),
    "disability": _("Disability"),
    "care_type": _("Care type"),
    "region": _("Region"),
    "district": _("District"),
    "institution": _("Institution"),
}


class IndicatorForm(forms.Form):
    """The DOMAIN §9 indicators (the exports check their parameters with this form)."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(i.id, f"{i.id} — {i.title}") for i in INDICATORS.values()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date = forms.DateField(
        label=_("Reference date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    area = LocationChoiceField(
        areas=True,
        label=_("Area"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    by = forms.ChoiceField(
        label=_("Broken down by"),
        required=False,
        choices=[("", _("Nothing")), *DIMENSION_LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CatalogueForm(IndicatorForm):
    """The page's form: every indicator of the catalogue, and a baseline for changes."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(i.id, f"{i.id} — {i.title}") for i in CATALOGUE.values()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    by = forms.ChoiceField(
        label=_("Broken down by"),
        required=False,
        choices=[("", _("Nothing")), *ALL_DIMENSION_LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    baseline = forms.DateField(
        label=_("Baseline date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


def _bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bar lengths (0–100) for a server-drawn SVG chart; hidden cells get no bar."""
    counts = [r["numerator"] for r in rows if isinstance(r["numerator"], int)]
    top = max(counts, default=0) or 1
    return [
        {**r, "bar": round(100 * r["numerator"] / top) if isinstance(r["numerator"], int) else 0}
        for r in rows
    ]


def indicator_page(request: HttpRequest) -> HttpResponse:
    initial = {"indicator": "FC2", "date": timezone.localdate()}
    form = CatalogueForm(request.GET or None, initial=initial)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        ident = data["indicator"]
        dims = [data["by"]] if data["by"] in catalogue.dimensions(ident) else []
        computed = catalogue.compute(
            ident, data["date"], data["area"], dims, baseline=data["baseline"]
        )
        result = present(computed, needs_suppression(request.user))
        names = Names(result["rows"])
        for row in result["rows"]:
            row["label"] = " · ".join(names.label(d, v) for d, v in row["group"].items())
            row["shown_value"] = format_value(result["kind"], row["value"])
        result["rows"] = _bars(result["rows"])
        result["shown_value"] = format_value(result["kind"], result["value"])
        result["dimension"] = ALL_DIMENSION_LABELS.get(data["by"], "") if dims else ""
    elif not request.GET:
        form = CatalogueForm(initial=initial)
    return render(request, "indicators/indicator.html", {"form": form, "result": result})
