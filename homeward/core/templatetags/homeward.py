from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """A field's widget tied to its help text and errors for screen readers."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    attrs: dict[str, Any] = {}
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
        css = field.field.widget.attrs.get("class", "")
        if "form-control" in css or "form-select" in css:
            attrs["class"] = f"{css} is-invalid"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    rendered: SafeString = field.as_widget(attrs=attrs)
    return rendered


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], key: str) -> str:
    """The current query string with ``sort`` set to ``key`` (or its reverse when active)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "name")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return field.widget_type in {"checkboxselectmultiple", "radioselect"}
