"""Helpers shared by the forms of every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its fields where they exist."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class StyledFormMixin:
    """Bootstrap classes on every widget, and aria-describedby linking help and errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs.setdefault("class", css)


class VersionField(forms.IntegerField):
    """The record version the form was loaded with, for optimistic concurrency."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, min_value=1)
