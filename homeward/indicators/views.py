"""The indicators page: one indicator at a time, with a table under every chart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.geo.forms import LocationChoiceField
from homeward.indicators.api import needs_suppression, present
from homeward.indicators.engine import DIMENSIONS, INDICATORS, compute

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
    form = IndicatorForm(request.GET or None, initial=initial)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        dims = [data["by"]] if data["by"] in DIMENSIONS else []
        computed = compute(data["indicator"], data["date"], data["area"], dims)
        result = present(computed, needs_suppression(request.user))
        result["rows"] = _bars(result["rows"])
        result["kind"] = computed.indicator.kind
        result["dimension"] = DIMENSION_LABELS.get(data["by"], "")
    elif not request.GET:
        form = IndicatorForm(initial=initial)
    return render(request, "indicators/indicator.html", {"form": form, "result": result})
