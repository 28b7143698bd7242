from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency, User, WorkingGroup
from homeward.cases.models import (
    Case,
    CaseEventType,
    CaseStatus,
    ConsentGiver,
    ConsentKind,
    NoteKind,
    RiskLevel,
)
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.registry.forms import DATE_WIDGET


class ConsentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DATE_WIDGET)
    working_group = forms.ModelChoiceField(
        label=_("Working group (for sharing)"),
        queryset=WorkingGroup.objects.order_by("name"),
        required=False,
        to_field_name="uuid",
    )
    agency = forms.ModelChoiceField(
        label=_("Agency (for sharing)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )
    service_type = forms.CharField(
        label=_("Service type (for sharing)"), max_length=60, required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawForm(StyledFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=CaseStatus.choices)
    version = VersionField()


class RiskForm(StyledFormMixin, forms.Form):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    version = VersionField()


class NoteForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)
    text = forms.CharField(
        label=_("Note"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Do not approve"))]
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    version = VersionField()


class ReassignForm(StyledFormMixin, forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases"),
        queryset=Case.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )
    case_manager = forms.ModelChoiceField(
        label=_("New case manager"), queryset=User.objects.none(), to_field_name="username"
    )

    def __init__(self, *args: Any, cases: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case_manager"].queryset = workers  # type: ignore[attr-defined]
        self.fields["cases"].label_from_instance = (  # type: ignore[attr-defined]
            lambda case: f"{case.child.case_number} {case.child.full_name}"
        )


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ConferenceForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    participants = forms.CharField(
        label=_("Participants"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE_WIDGET, required=False)

    ITEMS = 3

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        for index in range(1, self.ITEMS + 1):
            self.fields[f"item{index}_assignee"] = forms.ModelChoiceField(
                label=_("Action item %(n)d: who") % {"n": index},
                queryset=assignees,
                to_field_name="username",
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"item{index}_text"] = forms.CharField(
                label=_("what"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"item{index}_due"] = forms.DateField(
                label=_("by"),
                required=False,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for index in range(1, self.ITEMS + 1):
            parts = [data.get(f"item{index}_{k}") for k in ("assignee", "text", "due")]
            if any(parts) and not all(parts):
                self.add_error(
                    f"item{index}_text", _("Give who, what and by when for each action item.")
                )
            elif all(parts):
                items.append(tuple(parts))
        data["action_items"] = items
        return data

    def action_data(self) -> dict[str, Any]:
        keys = ["held_on", "agencies", "participants", "decisions", "next_review_on"]
        return {
            **{k: self.cleaned_data[k] for k in keys},
            "agencies": list(self.cleaned_data["agencies"]),
            "action_items": self.cleaned_data["action_items"],
        }


class ChronologyFilter(forms.Form):
    type = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *CaseEventType.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
