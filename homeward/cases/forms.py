from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency, User, WorkingGroup
from homeward.cases.models import Case, CaseStatus, ConsentGiver, ConsentKind, NoteKind, RiskLevel
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
