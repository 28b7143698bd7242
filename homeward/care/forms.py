from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.care.models import CareType, ExitDestination, GatekeepingDecision
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.geo.forms import LocationChoiceField
from homeward.geo.selectors import area_choices
from homeward.institutions.models import Institution
from homeward.registry.forms import DATE_WIDGET


class GatekeepingForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GatekeepingDecision
        fields = [
            "decided_on",
            "outcome",
            "care_type",
            "necessity",
            "suitability",
            "alternatives",
            "assessment_reference",
            "decision_maker",
            "legal_basis",
        ]
        widgets = {
            "decided_on": DATE_WIDGET,
            "necessity": forms.Textarea(attrs={"rows": 3}),
            "suitability": forms.Textarea(attrs={"rows": 3}),
            "alternatives": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class PlacementForm(StyledFormMixin, forms.Form):
    care_type = forms.ChoiceField(label=_("Care type"), choices=CareType.choices)
    start = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    district = LocationChoiceField(areas=True, label=_("District of the placement"))
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
    )
    provider_name = forms.CharField(label=_("Carers or provider"), max_length=300, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    emergency = forms.BooleanField(
        label=_("Emergency placement (the gatekeeping decision follows)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate()
        district_field = self.fields["district"]
        district_field.queryset = area_choices().filter(level="district")  # type: ignore[attr-defined]


class PlacementEndForm(StyledFormMixin, forms.Form):
    end = forms.DateField(label=_("End"), widget=DATE_WIDGET)
    exit_destination = forms.ChoiceField(
        label=_("Where the child went"), choices=ExitDestination.choices
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end"].initial = timezone.localdate()


class PlacementReviewForm(StyledFormMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
