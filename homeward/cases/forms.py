from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency, WorkingGroup
from homeward.cases.models import ConsentGiver, ConsentKind
from homeward.core.forms import StyledFormMixin
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
