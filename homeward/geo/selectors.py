"""Reads of the location tree (public reference data)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from homeward.geo.models import Level, Location


def location_list(*, q: str = "", level: str = "", parent: str = "") -> QuerySet[Location]:
    qs = Location.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name_local__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(name_latin__icontains=text)
            | Q(code__iexact=text)
        )
    return qs.order_by("path")


def location_get(code: str) -> Location:
    location = Location.objects.select_related("parent").filter(code=code).first()
    if location is None:
        raise Http404
    return location


PLACE_LEVELS = (Level.DISTRICT, Level.LOCALITY)
AREA_LEVELS = (Level.REGION, Level.DISTRICT)


def place_choices() -> QuerySet[Location]:
    """Districts and localities: where a child or family can live."""
    return Location.objects.filter(level__in=PLACE_LEVELS).select_related("parent").order_by("path")


def area_choices() -> QuerySet[Location]:
    """Regions and districts, for filters."""
    return Location.objects.filter(level__in=AREA_LEVELS).order_by("path")
