"""Shared form pieces: the select drawn in Python and the location choices."""

from __future__ import annotations

import typing

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from homeward.core.forms import QuickSelect
from homeward.geo.forms import LocationChoiceField
from homeward.geo.models import Level, Location

CHOICES = [
    ("", "—"),
    ("a", "Ann & <Bob>"),
    ('Group "1"', [("b", "Boris"), ("c", "Clara")]),
    ("b", "Boris again"),
    ("d'\"", gettext_lazy("Male")),  # quotes in a value, a translated label
    ("e", mark_safe("<b>marked safe</b>")),  # a label marked safe is drawn as it is
]


@pytest.mark.parametrize("value", [None, "", "b", "c", "nothing"])
def test_the_quick_select_draws_what_django_draws(value):
    attrs = {"id": "id_who", "class": "form-select", "required": True, "aria-describedby": "x"}
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("who", value)
    quick_html = QuickSelect(attrs=attrs, choices=CHOICES).render("who", value)
    assert parse_html(quick_html) == parse_html(django_html)
    assert "Ann &amp; &lt;Bob&gt;" in quick_html


def test_the_quick_select_selects_every_value_of_a_multiple_select():
    class Multiple(QuickSelect):
        allow_multiple_selected = True

    html = Multiple(choices=CHOICES).render("who", ["a", "c"])
    expected = forms.SelectMultiple(choices=CHOICES).render("who", ["a", "c"])
    assert parse_html(html.replace("<select ", "<select multiple ")) == parse_html(expected)


@pytest.mark.django_db
def test_location_choices_are_grouped_by_region_in_the_readers_language(cast):
    field = LocationChoiceField(areas=True)
    with translation.override("en"):
        groups = dict(list(field.choices)[1:])
    with translation.override("ru"):
        groups_ru = dict(list(field.choices)[1:])
    district = cast.agency_a.area
    region = district.parent
    assert (district.code, district.name_latin) in groups[region.name_latin]
    assert (region.code, region.name_latin) in groups[region.name_latin]
    assert (district.code, district.name_ru or district.name_local) in groups_ru[
        region.name_ru or region.name_local
    ]
    locality = Location.objects.filter(level=Level.LOCALITY).select_related("parent__parent")[0]
    town, region_of_town = locality.parent, locality.parent and locality.parent.parent
    assert town is not None and region_of_town is not None
    with translation.override("en"):
        places = dict(list(LocationChoiceField().choices)[1:])
    in_region = places[region_of_town.name_latin]
    assert (locality.code, f"{town.name_latin} › {locality.name_latin}") in in_region
    offered = {code for options in places.values() for code, _label in options}
    regions = set(Location.objects.filter(level=Level.REGION).values_list("code", flat=True))
    assert offered and not offered & regions  # a child lives in a district or a locality


@pytest.mark.django_db
def test_a_location_select_reads_the_tree_once(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(LocationChoiceField(areas=True).choices)) > 1


@pytest.mark.django_db
def test_the_code_select_draws_what_a_model_select_draws_and_cleans_to_the_record(cast):
    from homeward.core.forms import CodeChoiceField
    from homeward.institutions.models import Institution

    Institution.objects.create(
        code="INST-B", name="Дом <B>", kind="childrens_home", agency=cast.region_a,
        location=cast.agency_a.area, capacity=10,
    )  # fmt: skip
    queryset = Institution.objects.order_by("name")
    quick = CodeChoiceField(queryset=queryset, empty_label="Any")
    model = forms.ModelChoiceField(queryset=queryset, to_field_name="code", empty_label="Any")
    widget = typing.cast(forms.Widget, quick.widget)  # an instance once the field is made
    for value in (None, "INST-B"):
        assert parse_html(widget.render("i", value)) == parse_html(
            forms.Select(choices=model.choices).render("i", value)
        )
    assert quick.clean("INST-A") == cast.institution
    with pytest.raises(forms.ValidationError):
        quick.clean("NO-SUCH")
