from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import StyledFormMixin
from homeward.registry.forms import DATE_WIDGET


class AdmitForm(StyledFormMixin, forms.Form):
    child = forms.CharField(
        label=_("Child's case number"),
        max_length=32,
        help_text=_("For example BY-VI-2026-00042."),
    )
    admitted_on = forms.DateField(label=_("Admitted"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["admitted_on"].initial = timezone.localdate()


class DischargeForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=_("Left"), widget=DATE_WIDGET)
