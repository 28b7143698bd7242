"""Matching through the API: a child's ranked carers, batch proposals for a region, and the
one-at-a-time decisions that alone lead to a placement."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.api.lookups import record_in
from homeward.carers.selectors import carers_for_user
from homeward.core.requests import actor_of
from homeward.geo.models import Location
from homeward.matching import actions, selectors
from homeward.matching.engine import rank_for_child
from homeward.matching.models import MatchingNeeds, MatchProposal, ProposedMatch
from homeward.matching.scoring import Reason, reasons_from_json
from homeward.registry.selectors import child_get

router = Router(tags=["matching"])


class ReasonOut(Schema):
    code: str
    text: str
    params: dict[str, Any]


def _reasons(reasons: list[Reason] | tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [{"code": r.code, "text": r.text, "params": r.params} for r in reasons]


class RankedOut(Schema):
    household: uuid.UUID
    name: str
    location: str
    score: float
    vacancy: int
    reasons: list[ReasonOut]


class RankingOut(Schema):
    children: list[uuid.UUID]
    region: str
    weights: dict[str, float]
    considered: int
    results: list[RankedOut]


class RankingQuery(Schema):
    limit: int = Field(20, ge=1, le=100)


class ChooseIn(Schema):
    household: uuid.UUID

    model_config = {"extra": "forbid"}


class MatchOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    proposal: uuid.UUID = Field(alias="proposal.uuid")
    children: list[uuid.UUID]
    household: uuid.UUID = Field(alias="household.uuid")
    household_name: str = Field(alias="household.name")
    score: float
    reasons: list[ReasonOut]
    status: str
    note: str
    replaces: uuid.UUID | None = None

    @staticmethod
    def resolve_children(obj: ProposedMatch) -> list[uuid.UUID]:
        return [child.uuid for child in obj.children.all()]

    @staticmethod
    def resolve_reasons(obj: ProposedMatch) -> list[dict[str, Any]]:
        return _reasons(reasons_from_json(obj.reasons))

    @staticmethod
    def resolve_replaces(obj: ProposedMatch) -> uuid.UUID | None:
        return obj.replaces.uuid if obj.replaces else None


class ProposalOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    kind: str
    region: str = Field(alias="region.code")
    weights: dict[str, float]
    parameters: dict[str, Any]
    summary: dict[str, Any]
    created_at: datetime.datetime
    created_by: str | None = None

    @staticmethod
    def resolve_created_by(obj: MatchProposal) -> str | None:
        return obj.created_by.username if obj.created_by else None


class ProposalDetailOut(ProposalOut):
    matches: list[MatchOut] = Field(alias="match_list")


class ProposalIn(Schema):
    region: str = Field(max_length=32)

    model_config = {"extra": "forbid"}


class AcceptIn(Schema):
    start: datetime.date | None = None
    reason: str = Field("", max_length=100_000)

    model_config = {"extra": "forbid"}


class PlacementRef(Schema):
    id: uuid.UUID = Field(alias="uuid")
    child: uuid.UUID = Field(alias="child.uuid")
    care_type: str
    start: datetime.date
    next_review_on: datetime.date | None


class RejectIn(Schema):
    note: str = Field("", max_length=100_000)

    model_config = {"extra": "forbid"}


class NeedsIO(Schema):
    languages: list[str] = []
    topics: list[str] = []
    term: str = Field("", max_length=10)
    notes: str = Field("", max_length=100_000)

    model_config = {"extra": "forbid"}


class WeightsOut(Schema):
    region: str
    weights: dict[str, float]
    own: bool
    version: int | None


class WeightsIn(Schema):
    weights: dict[str, Any]
    version: int | None = None

    model_config = {"extra": "forbid"}


@router.get("/children/{uuid:child_id}/matches", response=RankingOut, url_name="child_matches")
def child_matches(
    request: HttpRequest, child_id: uuid.UUID, query: Query[RankingQuery]
) -> dict[str, Any]:
    child = child_get(request.user, child_id)
    ranking = rank_for_child(request.user, child, limit=query.limit)
    return {
        "children": [c.uuid for c in ranking.children],
        "region": ranking.region.code,
        "weights": ranking.weights.as_dict(),
        "considered": ranking.considered,
        "results": [
            {
                "household": r.household.uuid,
                "name": r.household.name,
                "location": r.household.location.code,
                "score": round(r.score, 2),
                "vacancy": r.vacancy,
                "reasons": _reasons(r.reasons),
            }
            for r in ranking.results
        ],
    }


@router.post(
    "/children/{uuid:child_id}/matches", response={201: MatchOut}, url_name="child_matches"
)
def child_match_choose(
    request: HttpRequest, child_id: uuid.UUID, payload: ChooseIn
) -> tuple[int, Any]:
    """Choose carers from the ranking: a proposed match that a person then accepts."""
    child = child_get(request.user, child_id)
    household = record_in("household", carers_for_user(request.user), payload.household)
    match = actions.match_for_child(
        actor=actor_of(request),
        children=selectors.sibling_unit(request.user, child),
        household=household,  # type: ignore[arg-type]
    )
    return 201, match


@router.get(
    "/children/{uuid:child_id}/matching-needs", response=NeedsIO, url_name="child_matching_needs"
)
def needs_detail(request: HttpRequest, child_id: uuid.UUID) -> Any:
    child = child_get(request.user, child_id)
    return MatchingNeeds.objects.filter(child=child).first() or NeedsIO(
        languages=[], topics=[], term="", notes=""
    )


@router.put(
    "/children/{uuid:child_id}/matching-needs", response=NeedsIO, url_name="child_matching_needs"
)
def needs_set(request: HttpRequest, child_id: uuid.UUID, payload: NeedsIO) -> Any:
    child = child_get(request.user, child_id)
    return actions.needs_set(actor=actor_of(request), child=child, data=payload.model_dump())


@router.get("/match-proposals", response=Page[ProposalOut], url_name="proposal_list")
def proposal_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    return page_of(selectors.proposals_for_user(request.user), paging)


@router.post("/match-proposals", response={201: ProposalDetailOut}, url_name="proposal_list")
def proposal_create(request: HttpRequest, payload: ProposalIn) -> tuple[int, Any]:
    region = _region_for(request, payload.region)
    proposal = actions.proposal_for_region(actor=actor_of(request), region=region)
    return 201, _detail(request, proposal)


def _region_for(request: HttpRequest, code: str) -> Location:
    region = selectors.regions_for_user(request.user).filter(code=code).first()
    if region is None:
        raise field_error("region", _("Choose a region you work in."))
    return region


def _detail(request: HttpRequest, proposal: MatchProposal) -> MatchProposal:
    proposal.match_list = list(selectors.matches_of(request.user, proposal))  # type: ignore[attr-defined]
    return proposal


@router.get(
    "/match-proposals/{uuid:proposal_id}", response=ProposalDetailOut, url_name="proposal_detail"
)
def proposal_detail(request: HttpRequest, proposal_id: uuid.UUID) -> Any:
    return _detail(request, selectors.proposal_get(request.user, proposal_id))


@router.post(
    "/matches/{uuid:match_id}/accept", response=list[PlacementRef], url_name="match_accept"
)
def match_accept(request: HttpRequest, match_id: uuid.UUID, payload: AcceptIn) -> list[Any]:
    match = selectors.match_get(request.user, match_id)
    return actions.match_accept(
        actor=actor_of(request), match=match, start=payload.start, reason=payload.reason
    )


@router.post("/matches/{uuid:match_id}/reject", response=MatchOut, url_name="match_reject")
def match_reject(request: HttpRequest, match_id: uuid.UUID, payload: RejectIn) -> Any:
    match = selectors.match_get(request.user, match_id)
    return actions.match_reject(actor=actor_of(request), match=match, note=payload.note)


@router.post("/matches/{uuid:match_id}/change", response=MatchOut, url_name="match_change")
def match_change(request: HttpRequest, match_id: uuid.UUID, payload: ChooseIn) -> Any:
    match = selectors.match_get(request.user, match_id)
    household = record_in("household", carers_for_user(request.user), payload.household)
    return actions.match_change(
        actor=actor_of(request),
        match=match,
        household=household,  # type: ignore[arg-type]
    )


def _weights(region: Any) -> dict[str, Any]:
    row = selectors.weights_row(region)
    return {
        "region": region.code,
        "weights": selectors.weights_for(region).as_dict(),
        "own": row is not None,
        "version": row.version if row else None,
    }


@router.get("/matching-weights/{region_code}", response=WeightsOut, url_name="matching_weights")
def weights_detail(request: HttpRequest, region_code: str) -> dict[str, Any]:
    return _weights(selectors.region_get(request.user, region_code))


@router.put("/matching-weights/{region_code}", response=WeightsOut, url_name="matching_weights")
def weights_set(request: HttpRequest, region_code: str, payload: WeightsIn) -> dict[str, Any]:
    region = selectors.region_get(request.user, region_code)
    actions.weights_set(
        actor=actor_of(request), region=region, weights=payload.weights, version=payload.version
    )
    return _weights(region)
