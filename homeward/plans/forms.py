from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.plans.models import ActionStatus, GoalDomain, ReviewOutcome
from homeward.registry.forms import DATE_WIDGET


class PlanForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts"), widget=DATE_WIDGET)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class GoalForm(StyledFormMixin, forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=GoalDomain.choices)
    text = forms.CharField(label=_("Goal"), max_length=500)
    action_text = forms.CharField(label=_("First action"), max_length=500)
    responsible = forms.CharField(label=_("Responsible person"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE_WIDGET)
    version = VersionField()


class ActionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Action"), max_length=500)
    responsible = forms.CharField(label=_("Responsible person"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE_WIDGET)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ReviewForm(StyledFormMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE_WIDGET, required=False)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
