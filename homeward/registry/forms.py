from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.core.forms import CodeChoiceField, QuickSelect, StyledFormMixin, VersionField
from homeward.core.models import Sex
from homeward.geo.forms import LocationChoiceField
from homeward.institutions.models import Institution
from homeward.registry.models import (
    Child,
    FunctionalDomain,
    Household,
    LegalStatus,
    Person,
    RelationshipKind,
)
from homeward.registry.selectors import AGE_BANDS, ChildFilters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

NAME_FIELDS = [
    "family_name",
    "given_name",
    "patronymic",
    "family_name_latin",
    "given_name_latin",
    "patronymic_latin",
]


class ChildForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    home_location = LocationChoiceField(label=_("Home location"))
    school_location = LocationChoiceField(label=_("School location"), required=False)
    disability_domains = forms.MultipleChoiceField(
        label=_("Functional domains affected"),
        choices=FunctionalDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = VersionField()

    class Meta:
        model = Child
        fields = [
            *NAME_FIELDS,
            "sex",
            "date_of_birth",
            "date_of_birth_estimated",
            "legal_status",
            "has_disability",
            "disability_domains",
            "home_location",
            "school_name",
            "school_location",
        ]
        widgets = {"date_of_birth": DATE_WIDGET, "sex": forms.RadioSelect}
        help_texts = {
            "family_name_latin": _("Left empty, it is transliterated automatically."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = Sex.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def action_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}


class ChildRegisterForm(ChildForm):
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), to_field_name="code"
    )
    not_a_duplicate = forms.BooleanField(
        label=_("None of these is the same child: register a new child"), required=False
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: forms.ModelChoiceField = self.fields["agency"]  # type: ignore[type-arg,assignment]
        agency_field.queryset = agencies
        if agencies.count() == 1:
            agency_field.initial = agencies.first().code
            agency_field.widget = forms.HiddenInput()


class ChildFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, widget=QuickSelect, choices=[("", _("Any")), *Sex.choices]
    )
    legal_status = forms.ChoiceField(
        label=_("Legal status"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), *LegalStatus.choices],
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), *[(band, band) for band in AGE_BANDS]],
    )
    disability = forms.ChoiceField(
        label=_("Disability"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
    )
    location = LocationChoiceField(areas=True, label=_("Area"), required=False)
    institution = CodeChoiceField(
        label=_("Living in"),
        required=False,
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Any"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=QuickSelect,
        # every order of the selector, as the column headings toggle them
        choices=[
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("born", _("Oldest first")),
            ("-born", _("Youngest first")),
            ("case", _("Case number")),
            ("-case", _("Case number, last first")),
            ("registered", _("First registered")),
            ("-registered", _("Newest registered")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "type": "search", "autocomplete": "off"}
        )

    def filters(self) -> ChildFilters:
        """The selector's filters from a valid form."""
        data = self.cleaned_data
        location = data.get("location")
        institution = data.get("institution")
        return ChildFilters(
            q=data.get("q") or "",
            sex=data.get("sex") or "",
            legal_status=data.get("legal_status") or "",
            location=location.code if location else "",
            disability={"yes": True, "no": False}.get(data.get("disability") or ""),
            age_band=data.get("age_band") or "",
            institution=institution.code if institution else "",
            sort=data.get("sort") or "name",
        )


class PersonForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    location = LocationChoiceField(label=_("Location"), required=False)
    version = VersionField()

    class Meta:
        model = Person
        fields = [*NAME_FIELDS, "sex", "date_of_birth", "phone", "location", "notes"]
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "sex": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = Sex.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def action_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}


class RelativeForm(PersonForm):
    kind = forms.ChoiceField(label=_("Relationship to the child"), choices=RelationshipKind.choices)
    lives_with_child = forms.BooleanField(label=_("Lives with the child"), required=False)

    field_order = ["kind", "lives_with_child"]


class HouseholdForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    location = LocationChoiceField(label=_("Location"))
    version = VersionField()

    class Meta:
        model = Household
        fields = ["name", "address", "location", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def action_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
