from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import Consent
from homeward.core.forms import StyledFormMixin


class BreakGlassForm(StyledFormMixin, forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=32)
    reason = forms.CharField(
        label=_("Why you need this record now"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason is recorded and shown to supervisors."),
    )


class ShareForm(StyledFormMixin, forms.Form):
    consent: forms.ModelChoiceField[Consent] = forms.ModelChoiceField(
        label=_("Consent to sharing"), queryset=Consent.objects.none(), to_field_name="uuid"
    )
    until = forms.DateField(
        label=_("Shared until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to share until the consent is withdrawn or you stop sharing."),
    )

    def __init__(self, *args: Any, consents: QuerySet[Consent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        field.queryset = consents  # type: ignore[attr-defined]
        field.label_from_instance = _consent_label  # type: ignore[attr-defined]


def _consent_label(consent: Any) -> str:
    recipient = consent.working_group or consent.agency or consent.service_type
    return f"{recipient} — {consent.get_given_by_display()}, {consent.given_on:%d.%m.%Y}"
