"""Gatekeeping and placement pages, reached from the child's profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.care import actions, selectors
from homeward.care.forms import (
    GatekeepingForm,
    PlacementEndForm,
    PlacementForm,
    PlacementReviewForm,
)
from homeward.core.forms import add_action_errors
from homeward.core.requests import actor_of
from homeward.registry.selectors import child_get


def _page(request: HttpRequest, form: Any, child: Any, title: str) -> HttpResponse:
    return render(
        request,
        "care/form.html",
        {"form": form, "child": child, "title": title},
        status=422 if form.errors else 200,
    )


def gatekeeping_create(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    form = GatekeepingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.gatekeeping_record(
                actor=actor_of(request), child=child, agency=child.agency, data=form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Gatekeeping decision recorded."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return _page(request, form, child, _("Gatekeeping decision"))


def placement_create(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = actions.placement_start(
                actor=actor_of(request), child=child, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if placement.warnings:
                messages.warning(request, _("The placement is recorded with warnings."))
            else:
                messages.success(request, _("The placement is recorded."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return _page(request, form, child, _("Start a placement"))


def placement_end(request: HttpRequest, placement_uuid: str) -> HttpResponse:
    placement = selectors.placement_get(request.user, placement_uuid)
    form = PlacementEndForm(request.POST or None, initial={"version": placement.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.placement_end(actor=actor_of(request), placement=placement, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The placement has ended."))
            return redirect("registry:child_detail", child_uuid=placement.child.uuid)
    return _page(request, form, placement.child, _("End the placement"))


def placement_review(request: HttpRequest, placement_uuid: str) -> HttpResponse:
    placement = selectors.placement_get(request.user, placement_uuid)
    form = PlacementReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.placement_review(
                actor=actor_of(request), placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("registry:child_detail", child_uuid=placement.child.uuid)
    return _page(request, form, placement.child, _("Review the placement"))
