"""Forms of the foster carer pages. They check the input's shape; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.carers.models import (
    CarerHousehold,
    CarerMember,
    CheckKind,
    CheckResult,
    DocumentKind,
    Language,
    MemberRole,
    ReviewOutcome,
    Stage,
    Term,
    TrainingCourse,
    TrainingTopic,
    VisitKind,
)
from homeward.core.forms import QuickSelect, StyledFormMixin, VersionField
from homeward.core.models import Sex
from homeward.geo.forms import LocationChoiceField
from homeward.registry.forms import DATE_WIDGET
from homeward.registry.models import FunctionalDomain

NOTES = forms.Textarea(attrs={"rows": 3})


class CarerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or address"), max_length=100, required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    location = LocationChoiceField(
        areas=True,
        label=_("Area"),
        required=False,
        widget=QuickSelect(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict[str, str]:
        """``carers.selectors.carer_list``'s keyword arguments from a valid form."""
        location = self.cleaned_data.get("location")
        return {
            "q": self.cleaned_data.get("q") or "",
            "stage": self.cleaned_data.get("stage") or "",
            "location": location.code if location else "",
        }


class HouseholdForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Household name"), max_length=200)
    location = LocationChoiceField(label=_("Locality"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken at home"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    professional = forms.BooleanField(
        label=_("Professional (salaried) foster family"), required=False
    )
    enquiry_on = forms.DateField(label=_("Enquiry received"), widget=DATE_WIDGET)
    preferred_age_min = forms.IntegerField(
        label=_("Preferred youngest age"), min_value=0, max_value=17, required=False
    )
    preferred_age_max = forms.IntegerField(
        label=_("Preferred oldest age"), min_value=0, max_value=17, required=False
    )
    preferred_sex = forms.ChoiceField(
        label=_("Preferred sex"), choices=[("", _("No preference")), *Sex.choices], required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=NOTES)
    version = VersionField()

    def __init__(self, *args: Any, agencies: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enquiry_on"].initial = timezone.localdate()
        if agencies is not None and len(agencies) > 1:
            self.fields["agency"] = forms.ChoiceField(
                label=_("Foster-care service"),
                choices=[(a.code, a.name) for a in agencies],
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    @staticmethod
    def initial_from(household: CarerHousehold) -> dict[str, Any]:
        return {
            "name": household.name,
            "location": household.location.code,
            "address": household.address,
            "phone": household.phone,
            "languages": household.languages,
            "professional": household.professional,
            "enquiry_on": household.enquiry_on,
            "preferred_age_min": household.preferred_age_min,
            "preferred_age_max": household.preferred_age_max,
            "preferred_sex": household.preferred_sex,
            "notes": household.notes,
            "version": household.version,
        }

    def household_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("agency", None)
        return data


class MoveForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=NOTES)
    version = VersionField()

    def __init__(self, *args: Any, moves: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["to"].choices = [(code, labels[code]) for code in moves]  # type: ignore[attr-defined]


class TermsForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    panel = forms.CharField(label=_("Panel"), max_length=200)
    max_children = forms.IntegerField(label=_("Number of children"), min_value=1, max_value=12)
    age_min = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=17)
    age_max = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=17)
    sexes = forms.MultipleChoiceField(
        label=_("Girls or boys"),
        choices=[("F", _("Girls")), ("M", _("Boys"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["F", "M"],
    )
    sibling_groups = forms.BooleanField(label=_("Sibling groups"), required=False)
    disabilities = forms.BooleanField(label=_("Children with disabilities"), required=False)
    disability_domains = forms.MultipleChoiceField(
        label=_("Functional domains accepted (none ticked: any)"),
        choices=FunctionalDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices, initial=Term.BOTH)
    professional = forms.BooleanField(label=_("Professional foster family"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=NOTES)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def terms(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("decided_on", "version"):
            data.pop(name, None)
        return data


class MemberForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CarerMember
        fields = ["family_name", "given_name", "patronymic", "sex", "date_of_birth", "role"]
        widgets = {"date_of_birth": DATE_WIDGET}


class _MemberChoiceMixin:
    fields: dict[str, forms.Field]

    def _members(self, household: CarerHousehold, adults_only: bool = False) -> None:
        members = household.members.order_by("role", "id")
        if adults_only:
            members = members.exclude(role=MemberRole.OWN_CHILD)
        self.fields["member"] = forms.ModelChoiceField(
            label=_("Household member"),
            queryset=members,
            to_field_name="uuid",
            required=False,
            empty_label=_("The household"),
            widget=forms.Select(attrs={"class": "form-select"}),
        )


class CheckForm(_MemberChoiceMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Check"), choices=CheckKind.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET, required=False)
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices)
    reference = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False, widget=NOTES)

    def __init__(self, *args: Any, household: CarerHousehold, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members(household, adults_only=True)
        self.fields["done_on"].initial = timezone.localdate()


class DocumentForm(_MemberChoiceMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title or number"), max_length=200)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET, required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, household: CarerHousehold, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members(household)


class TrainingForm(_MemberChoiceMixin, StyledFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=TrainingCourse.objects.filter(is_active=True).order_by("name"),
        to_field_name="uuid",
    )
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Hours (empty: the course's hours)"),
        min_value=0,
        max_value=1000,
        decimal_places=1,
        required=False,
    )

    def __init__(self, *args: Any, household: CarerHousehold, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members(household)
        self.fields["completed_on"].initial = timezone.localdate()


class CourseForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Course"), max_length=200)
    topics = forms.MultipleChoiceField(
        label=_("Prepares for"),
        choices=TrainingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=1000, decimal_places=1)


class VisitForm(StyledFormMixin, forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    visitor = forms.CharField(label=_("Visited by"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=NOTES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class ReviewForm(StyledFormMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=NOTES)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()


class HomeStudyForm(StyledFormMixin, forms.Form):
    completed_on = forms.DateField(
        label=_("Date of the home study"), widget=DATE_WIDGET, required=False
    )
    version = VersionField()
