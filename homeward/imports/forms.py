"""The census upload form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.core.forms import StyledFormMixin


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Census file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    agency = forms.ModelChoiceField(
        label=_("Import for"), queryset=Agency.objects.none(), empty_label=None
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without importing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
        if len(agencies) == 1:
            field.initial = agencies[0].pk
            field.widget = forms.HiddenInput()
