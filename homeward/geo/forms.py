"""Form fields for choosing a place from the location tree by its code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import QuickSelect
from homeward.geo.models import Level, Location, name_for_reader
from homeward.geo.selectors import AREA_LEVELS, PLACE_LEVELS, area_choices, place_choices


class GroupedLocationIterator(BaseChoiceIterator):
    """Options grouped by region, read from the database only when the select is drawn."""

    def __init__(self, field: LocationChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.queryset is None:
            return
        # Plain rows, not model instances, and the tree read once: the options and the names
        # of their parents come from the same rows (a select of a hundred places is drawn on
        # many pages).
        columns = ("pk", "code", "level", "parent_id", "name_latin", "name_ru", "name_local")
        tree = list(Location.objects.order_by("path").values_list(*columns))
        rows = {row[0]: row for row in tree}
        language = (get_language() or "en")[:2]

        def name(pk: int) -> str:
            latin, russian, local = rows[pk][4:]
            return name_for_reader(latin, russian, local, language=language)

        groups: dict[str, list[tuple[str, str]]] = {}
        for pk, code, level, parent_id, *_names in tree:
            if level not in self.field.levels:
                continue
            if level == Level.REGION:
                region, label = name(pk), name(pk)
            elif level == Level.DISTRICT:
                region, label = name(parent_id), name(pk)
            else:
                region = name(rows[parent_id][3])
                label = f"{name(parent_id)} › {name(pk)}"
            groups.setdefault(region, []).append((code, label))
        yield from groups.items()


class LocationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of locations grouped by region; values are location codes, never ids."""

    iterator = GroupedLocationIterator  # type: ignore[assignment]
    widget = QuickSelect
    default_error_messages = {
        "invalid_choice": _("Unknown location code. Choose a place from the list."),
    }

    def __init__(self, *, areas: bool = False, **kwargs: Any) -> None:
        queryset = area_choices() if areas else place_choices()
        # the levels the queryset offers, for drawing the options from the whole tree
        self.levels = AREA_LEVELS if areas else PLACE_LEVELS
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)
