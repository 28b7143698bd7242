"""Gatekeeping decisions and placements through the API."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from homeward.api.common import field_error
from homeward.api.lookups import location_by_code
from homeward.care import actions, selectors
from homeward.care.models import Placement
from homeward.core.requests import actor_of
from homeward.institutions.models import Institution
from homeward.registry.selectors import child_get

router = Router(tags=["alternative care"])


class DecisionOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    decided_on: datetime.date
    outcome: str
    care_type: str
    necessity: str
    suitability: str
    alternatives: str
    assessment_reference: str
    decision_maker: str
    legal_basis: str


class DecisionIn(Schema):
    decided_on: datetime.date
    outcome: str = Field(max_length=20)
    care_type: str = Field("", max_length=30)
    necessity: str = Field(max_length=100_000)
    suitability: str = Field(max_length=100_000)
    alternatives: str = Field(max_length=100_000)
    assessment_reference: str = Field(max_length=100_000)
    decision_maker: str = Field(max_length=100_000)
    legal_basis: str = Field(max_length=100_000)

    model_config = {"extra": "forbid"}


class PlacementOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    child: uuid.UUID = Field(alias="child.uuid")
    care_type: str
    institution: str | None = None
    provider_name: str
    region: str = Field(alias="region.code")
    district: str = Field(alias="district.code")
    start: datetime.date
    end: datetime.date | None
    reason: str
    exit_destination: str
    emergency: bool
    gatekeeping: uuid.UUID | None = None
    warnings: list[str]
    next_review_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_institution(obj: Placement) -> str | None:
        return obj.institution.code if obj.institution else None

    @staticmethod
    def resolve_gatekeeping(obj: Placement) -> uuid.UUID | None:
        return obj.gatekeeping.uuid if obj.gatekeeping else None


class PlacementIn(Schema):
    care_type: str = Field(max_length=30)
    start: datetime.date
    district: str = Field(max_length=32)
    reason: str = Field(max_length=100_000)
    institution: str | None = None
    provider_name: str = Field("", max_length=100_000)
    emergency: bool = False

    model_config = {"extra": "forbid"}


class PlacementEndIn(Schema):
    version: int
    end: datetime.date
    exit_destination: str = Field(max_length=20)

    model_config = {"extra": "forbid"}


class ReviewIn(Schema):
    reviewed_on: datetime.date
    notes: str = Field("", max_length=100_000)
    next_review_on: datetime.date | None = None

    model_config = {"extra": "forbid"}


@router.get(
    "/children/{uuid:child_id}/gatekeeping", response=list[DecisionOut], url_name="gatekeeping_list"
)
def gatekeeping_list(request: HttpRequest, child_id: uuid.UUID) -> list[Any]:
    return list(selectors.decisions_of(child_get(request.user, child_id)))


@router.post(
    "/children/{uuid:child_id}/gatekeeping",
    response={201: DecisionOut},
    url_name="gatekeeping_list",
)
def gatekeeping_create(
    request: HttpRequest, child_id: uuid.UUID, payload: DecisionIn
) -> tuple[int, Any]:
    child = child_get(request.user, child_id)
    decision = actions.gatekeeping_record(
        actor=actor_of(request), child=child, agency=child.agency, data=payload.model_dump()
    )
    return 201, decision


@router.get(
    "/children/{uuid:child_id}/placements", response=list[PlacementOut], url_name="placement_list"
)
def placement_list(request: HttpRequest, child_id: uuid.UUID) -> list[Any]:
    return list(selectors.placements_of(child_get(request.user, child_id)))


@router.post(
    "/children/{uuid:child_id}/placements",
    response={201: PlacementOut},
    url_name="placement_list",
)
def placement_create(
    request: HttpRequest, child_id: uuid.UUID, payload: PlacementIn
) -> tuple[int, Any]:
    child = child_get(request.user, child_id)
    institution = None
    if payload.institution:
        institution = Institution.objects.filter(code=payload.institution).first()
        if institution is None:
            raise field_error("institution", _("Unknown institution code."))
    district = location_by_code("district", payload.district)
    placement = actions.placement_start(
        actor=actor_of(request),
        child=child,
        care_type=payload.care_type,
        start=payload.start,
        district=district,  # type: ignore[arg-type]
        reason=payload.reason,
        institution=institution,
        provider_name=payload.provider_name,
        emergency=payload.emergency,
    )
    return 201, placement


@router.post("/placements/{uuid:placement_id}/end", response=PlacementOut, url_name="placement_end")
def placement_end(request: HttpRequest, placement_id: uuid.UUID, payload: PlacementEndIn) -> Any:
    placement = selectors.placement_get(request.user, placement_id)
    return actions.placement_end(
        actor=actor_of(request),
        placement=placement,
        end=payload.end,
        exit_destination=payload.exit_destination,
        version=payload.version,
    )


@router.post(
    "/placements/{uuid:placement_id}/reviews",
    response={201: dict[str, str]},
    url_name="placement_reviews",
)
def placement_review(
    request: HttpRequest, placement_id: uuid.UUID, payload: ReviewIn
) -> tuple[int, dict[str, str]]:
    placement = selectors.placement_get(request.user, placement_id)
    review = actions.placement_review(
        actor=actor_of(request), placement=placement, **payload.model_dump()
    )
    return 201, {"next_review_on": review.next_review_on.isoformat()}
