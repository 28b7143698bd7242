"""Form fields for choosing a place from the location tree by its code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from homeward.geo.models import Level
from homeward.geo.selectors import area_choices, place_choices


class GroupedLocationIterator(BaseChoiceIterator):
    """Options grouped by region, read from the database only when the select is drawn."""

    def __init__(self, field: LocationChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[tuple[str, str]]] = {}
        district_names: dict[int, str] = {}
        if self.field.queryset is None:
            return
        queryset = self.field.queryset.select_related("parent", "parent__parent")
        for location in queryset:
            if location.level == Level.REGION:
                region, label = location, str(location)
            elif location.level == Level.DISTRICT:
                region, label = location.parent, str(location)
                district_names[location.pk] = label
            else:
                region = location.parent.parent
                district = district_names.get(location.parent_id, str(location.parent))
                label = f"{district} › {location}"
            groups.setdefault(str(region), []).append((location.code, label))
        yield from groups.items()


class LocationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of locations grouped by region; values are location codes, never ids."""

    iterator = GroupedLocationIterator  # type: ignore[assignment]
    default_error_messages = {
        "invalid_choice": _("Unknown location code. Choose a place from the list."),
    }

    def __init__(self, *, areas: bool = False, **kwargs: Any) -> None:
        queryset = area_choices() if areas else place_choices()
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)
