"""Matching pages: a child's ranked carers, batch proposals for a region, and the one-at-a-time
decisions on them. Nothing here places a child until a person accepts a match."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from homeward.carers.selectors import carer_get
from homeward.core.forms import add_action_errors
from homeward.core.paging import paginate
from homeward.core.requests import actor_of
from homeward.matching import actions, selectors
from homeward.matching.engine import rank_for_child
from homeward.matching.forms import (
    CRITERION_LABELS,
    AcceptForm,
    NeedsForm,
    ProposalForm,
    RejectForm,
    WeightsForm,
)
from homeward.matching.models import MatchingNeeds, MatchStatus, ProposedMatch
from homeward.matching.scoring import reasons_from_json
from homeward.registry.selectors import child_get


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for found in error.message_dict.values() for m in found]
    return list(error.messages)


def child_matches(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    if request.method == "POST":
        try:
            household = carer_get(request.user, request.POST.get("household", ""))
            match = actions.match_for_child(
                actor=actor_of(request),
                children=selectors.sibling_unit(request.user, child),
                household=household,
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            return redirect("matching:match_accept", match_uuid=match.uuid)
    ranking = rank_for_child(request.user, child)
    needs = MatchingNeeds.objects.filter(child=child).first()
    return render(
        request,
        "matching/child_matches.html",
        {
            "child": child,
            "ranking": ranking,
            "needs": needs,
            "weights": [
                (CRITERION_LABELS[name], value) for name, value in ranking.weights.as_dict().items()
            ],
        },
    )


def needs_edit(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    needs = MatchingNeeds.objects.filter(child=child).first()
    initial = (
        {
            "languages": needs.languages,
            "topics": needs.topics,
            "term": needs.term,
            "notes": needs.notes,
        }
        if needs
        else {}
    )
    form = NeedsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.needs_set(actor=actor_of(request), child=child, data=dict(form.cleaned_data))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("matching:child_matches", child_uuid=child.uuid)
    return render(
        request,
        "matching/form.html",
        {
            "form": form,
            "title": _("What the child needs from carers"),
            "subtitle": f"{child.full_name} · {child.case_number}",
            "back": reverse("matching:child_matches", kwargs={"child_uuid": child.uuid}),
        },
        status=422 if form.errors else 200,
    )


def proposal_list(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_for_user(request.user)
    form = ProposalForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.proposal_for_region(
                actor=actor_of(request), region=form.cleaned_data["region"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The proposal is ready: confirm or change each match."))
            return redirect("matching:proposal_detail", proposal_uuid=proposal.uuid)
    page = paginate(request, selectors.proposals_for_user(request.user))
    return render(
        request,
        "matching/proposal_list.html",
        {"page": page, "form": form},
        status=422 if form.errors else 200,
    )


def _with_reasons(matches: Any) -> list[ProposedMatch]:
    found = list(matches)
    for match in found:
        match.reason_list = reasons_from_json(match.reasons)
    return found


def proposal_detail(request: HttpRequest, proposal_uuid: str) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    page = paginate(request, selectors.matches_of(request.user, proposal), per_page=50)
    return render(
        request,
        "matching/proposal_detail.html",
        {
            "proposal": proposal,
            "page": page,
            "matches": _with_reasons(page.object_list),
            "weights": [
                (CRITERION_LABELS.get(name, name), value)
                for name, value in proposal.weights.items()
            ],
        },
    )


def _match_page(
    request: HttpRequest, match: ProposedMatch, form: Any, template: str
) -> HttpResponse:
    match.reason_list = reasons_from_json(match.reasons)  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"match": match, "children": list(match.children.all()), "form": form},
        status=422 if form is not None and form.errors else 200,
    )


def match_accept(request: HttpRequest, match_uuid: str) -> HttpResponse:
    match = selectors.match_get(request.user, match_uuid)
    form = AcceptForm(request.POST or None)
    if match.status != MatchStatus.PROPOSED:
        messages.info(request, _("This match has already been decided."))
        return redirect("matching:proposal_detail", proposal_uuid=match.proposal.uuid)
    if request.method == "POST" and form.is_valid():
        try:
            placements = actions.match_accept(
                actor=actor_of(request),
                match=match,
                start=form.cleaned_data["start"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The match is accepted and the placement recorded."))
            return redirect("registry:child_detail", child_uuid=placements[0].child.uuid)
    return _match_page(request, match, form, "matching/match_accept.html")


def match_reject(request: HttpRequest, match_uuid: str) -> HttpResponse:
    match = selectors.match_get(request.user, match_uuid)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.match_reject(
                actor=actor_of(request), match=match, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The match is rejected."))
            return redirect("matching:proposal_detail", proposal_uuid=match.proposal.uuid)
    return _match_page(request, match, form, "matching/match_reject.html")


def match_change(request: HttpRequest, match_uuid: str) -> HttpResponse:
    match = selectors.match_get(request.user, match_uuid)
    children = list(match.children.select_related("home_location", "school_location"))
    if request.method == "POST":
        try:
            household = carer_get(request.user, request.POST.get("household", ""))
            new = actions.match_change(actor=actor_of(request), match=match, household=household)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The match is changed: accept it when ready."))
            return redirect("matching:match_accept", match_uuid=new.uuid)
    child = min(children, key=lambda c: (c.date_of_birth, c.pk))
    ranking = rank_for_child(request.user, child)
    match.reason_list = reasons_from_json(match.reasons)  # type: ignore[attr-defined]
    return render(
        request,
        "matching/match_change.html",
        {"match": match, "children": children, "ranking": ranking},
    )


def weights_list(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.regions_for_user(request.user))
    rows = [(region, selectors.weights_row(region)) for region in regions]
    return render(request, "matching/weights_list.html", {"rows": rows})


def weights_edit(request: HttpRequest, region_code: str) -> HttpResponse:
    region = selectors.region_get(request.user, region_code)
    row = selectors.weights_row(region)
    current = selectors.weights_for(region).as_dict()
    form = WeightsForm(
        request.POST or None, initial={**current, "version": row.version if row else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.weights_set(
                actor=actor_of(request),
                region=region,
                weights=form.weights(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The weights are saved; new proposals use them."))
            return redirect("matching:weights_list")
    return render(
        request,
        "matching/form.html",
        {
            "form": form,
            "title": _("Matching weights"),
            "subtitle": str(region),
            "back": reverse("matching:weights_list"),
        },
        status=422 if form.errors else 200,
    )
