from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.carers.models import Language, TrainingTopic
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.geo.models import Location
from homeward.matching.models import NeedTerm
from homeward.registry.forms import DATE_WIDGET

CRITERION_LABELS = {
    "relatives": _("Relatives of the child"),
    "siblings": _("Already caring for a brother or sister"),
    "home": _("Close to the child's home"),
    "school": _("Close to the child's school"),
    "parents": _("Close to the parents"),
    "language": _("Speaks the child's language"),
    "training": _("Trained for the child's needs"),
    "experience": _("Experience of fostering"),
    "preferences": _("The carers' stated preferences"),
    "professional": _("Professional carers for under-3s and children with disabilities"),
}


class NeedsForm(StyledFormMixin, forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages the child speaks"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=_("Carers should be trained in"),
        choices=TrainingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    term = forms.ChoiceField(
        label=_("Term of care needed"), choices=NeedTerm.choices, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalForm(StyledFormMixin, forms.Form):
    region: forms.ModelChoiceField[Location] = forms.ModelChoiceField(
        label=_("Region"), queryset=Location.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class AcceptForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("Placement starts"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate()


class RejectForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Why not"), max_length=500, required=False)


class WeightsForm(StyledFormMixin, forms.Form):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in CRITERION_LABELS.items():
            self.fields[name] = forms.FloatField(label=label, min_value=0, max_value=100)

    def weights(self) -> dict[str, float]:
        return {name: self.cleaned_data[name] for name in CRITERION_LABELS}
