from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from homeward.access.permissions import Perm, has_perm
from homeward.audit import selectors
from homeward.audit.models import AuditAction
from homeward.core.paging import paginate, query_without_page

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
TEXT = forms.TextInput(attrs={"class": "form-control form-control-sm"})


class EventFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150, widget=TEXT)
    record = forms.CharField(
        label=_("Record (case number or identifier)"), required=False, max_length=64, widget=TEXT
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any")), *AuditAction.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = selectors.EventFilters(**form.cleaned_data) if form.is_valid() else None
    events = selectors.event_list(request.user, filters or selectors.EventFilters())
    page = paginate(request, events.select_related(None), per_page=50)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            # Administrators without a data role see which fields changed, not the values.
            "show_values": has_perm(request.user, Perm.CHILD_VIEW),
        },
    )
