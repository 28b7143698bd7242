"""Helpers shared by the forms of every app."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe


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


FormT = TypeVar("FormT", bound=forms.Form)


def checked(
    form_class: type[FormT], data: Mapping[str, Any], *, aliases: Mapping[str, str] | None = None
) -> FormT:
    """``form_class`` bound to the parameters it knows and valid, or a ValidationError that
    names each wrong field: a list's filters in the API, checked as its page checks them.

    ``aliases``: the caller's names for form fields (``{"q": "search"}``), used in ``data``
    and in the errors."""
    aliases = aliases or {}
    field_of = {alias: name for name, alias in aliases.items()}
    bound = {field_of.get(key, key): value for key, value in data.items()}
    form = form_class({key: value for key, value in bound.items() if key in form_class.base_fields})
    if not form.is_valid():
        raise ValidationError(
            {aliases.get(name, name): list(errors) for name, errors in form.errors.items()}
        )
    return form


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


def _escaped(text: Any) -> str:
    return str(text) if isinstance(text, SafeData) else html.escape(str(text))


class QuickSelect(forms.Select):
    """Django's select, drawn in Python: the same markup without a template included for
    each option, which made a select of a hundred places cost about ten milliseconds of every
    page that shows it (the register's filters, every form with a location)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        wanted = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]
        chosen = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            selected = text in wanted and (not chosen or self.allow_multiple_selected)
            chosen = chosen or selected
            # escaped as format_html escapes (html.escape of what is not marked safe),
            # without its per-call formatting and lazy-string checks: hundreds of options
            # on a page
            mark = " selected" if selected else ""
            return f'<option value="{_escaped(text)}"{mark}>{_escaped(label)}</option>'

        for group, choices in self.choices:
            if isinstance(choices, list | tuple):
                parts.append(format_html('<optgroup label="{}">', group))
                parts.extend(option(v, label) for v, label in choices)
                parts.append(mark_safe("</optgroup>"))
            else:
                parts.append(option(group, choices))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # noqa: S308 (every value in the parts is escaped)


class CodeNameIterator(BaseChoiceIterator):
    """A code-keyed select's options as plain (code, name) rows, not model instances."""

    def __init__(self, field: CodeChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.queryset is not None:
            yield from self.field.queryset.values_list(self.field.to_field_name or "pk", "name")


class CodeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of records by their code, labelled with their name (institutions): the
    options are drawn from two columns, where Django builds a model instance per option."""

    iterator = CodeNameIterator  # type: ignore[assignment]
    widget = QuickSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)
