"""Forms of the assessment pages. The answers themselves are read from the posted data by
``answers_from_post`` and checked by the one validation function, as in the API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from homeward.assessments.definition import GROUP_MAX_ITEMS, top_fields
from homeward.assessments.layout import input_name
from homeward.assessments.models import Assessment, AssessmentTemplate
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.registry.forms import DATE_WIDGET

DEFINITION_MAX_CHARS = 1_000_000


def _posted(spec: Mapping[str, Any], data: QueryDict, name: str) -> Any:
    if spec["type"] == "multichoice":
        return [v for v in data.getlist(name) if v] or None
    raw = data.get(name, "")
    if not raw:
        return None
    if spec["type"] == "yesno" and raw in {"yes", "no"}:
        return raw == "yes"
    return raw  # the validator parses and judges it


def answers_from_post(definition: Mapping[str, Any], data: QueryDict) -> dict[str, Any]:
    """The answers as posted by the fill-in form (unchecked: validation decides)."""
    answers: dict[str, Any] = {}
    for spec in top_fields(definition):
        name = input_name(spec["key"])
        if spec["type"] != "group":
            value = _posted(spec, data, name)
            if value is not None:
                answers[spec["key"]] = value
            continue
        try:
            slots = int(data.get(f"{name}-count", "0"))
        except ValueError:
            slots = 0
        slots = max(0, min(slots, int(spec.get("max_items", 20)) + 1, GROUP_MAX_ITEMS + 1))
        items = []
        for index in range(slots):
            prefix = f"{name}-{index}"
            if data.get(f"{prefix}-remove"):
                continue
            item = {
                sub["key"]: value
                for sub in spec["fields"]
                if (value := _posted(sub, data, f"{prefix}-{sub['key']}")) is not None
            }
            if item:
                items.append(item)
        if items:
            answers[spec["key"]] = items
    return answers


class AssessmentForm(StyledFormMixin, forms.Form):
    """What the fill-in form posts beside the answers."""

    completed_on = forms.DateField(
        label=_("Date of the assessment"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Left empty, it is the day the assessment is submitted."),
    )
    version = VersionField()


class StartForm(StyledFormMixin, forms.Form):
    template = forms.ChoiceField(label=_("Form"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, templates: list[AssessmentTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["template"])
        field.choices = [(t.code, t.display_title) for t in templates]


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When you return an assessment, say what needs to change."),
    )
    version = VersionField()


class CompareForm(forms.Form):
    first = forms.ChoiceField(label=_("Earlier assessment"))
    second = forms.ChoiceField(label=_("Later assessment"))

    def __init__(self, *args: Any, assessments: list[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(a.uuid),
                f"{a.template.display_title} · "
                + (
                    formats.date_format(a.completed_on, "SHORT_DATE_FORMAT")
                    if a.completed_on
                    else "—"
                ),
            )
            for a in assessments
        ]
        for name in ("first", "second"):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = choices
            field.widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different assessments."))
        return data


class TemplateVersionForm(StyledFormMixin, forms.Form):
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=200)
    title_be = forms.CharField(label=_("Title in Belarusian"), max_length=200)
    title_bg = forms.CharField(label=_("Title in Bulgarian"), max_length=200)
    requires_approval = forms.BooleanField(
        label=_("A supervisor approves each assessment"), required=False
    )
    definition = forms.CharField(
        label=_("Definition (JSON)"),
        max_length=DEFINITION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_(
            "Sections, questions, conditions and scores. The new version is checked before it "
            "is saved; assessments already made keep the version they were made with."
        ),
        strip=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["definition"].widget.attrs["class"] = "form-control font-monospace"

    @classmethod
    def initial_for(cls, template: AssessmentTemplate) -> dict[str, Any]:
        return {
            **{f"title_{lang}": template.title.get(lang, "") for lang in ("en", "ru", "be", "bg")},
            "requires_approval": template.requires_approval,
            "definition": json.dumps(template.definition, ensure_ascii=False, indent=2),
        }

    def clean_definition(self) -> Any:
        text = self.cleaned_data["definition"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)d, column %(column)d: %(problem)s)."),
                params={"line": error.lineno, "column": error.colno, "problem": error.msg},
            ) from error

    def title(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"title_{lang}"] for lang in ("en", "ru", "be", "bg")}
