"""Consent, sharing, emergency access and the audit trail through the API."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.access import actions as access_actions
from homeward.access import selectors as access_selectors
from homeward.accounts.models import Agency, WorkingGroup
from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.audit import selectors as audit_selectors
from homeward.cases import actions as case_actions
from homeward.cases import selectors as case_selectors
from homeward.registry.selectors import child_get

router = Router(tags=["consent, sharing and audit"])


class ConsentOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    child: uuid.UUID = Field(alias="child.uuid")
    kind: str
    given_by: str
    given_on: datetime.date
    agency: str | None = None
    working_group: str | None = None
    service_type: str
    notes: str
    withdrawn_on: datetime.date | None

    @staticmethod
    def resolve_agency(obj: Any) -> str | None:
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_working_group(obj: Any) -> str | None:
        return str(obj.working_group.uuid) if obj.working_group_id else None


class ConsentIn(Schema):
    kind: str = Field(max_length=20)
    given_by: str = Field(max_length=10)
    given_on: datetime.date
    agency: str | None = Field(None, description="Agency code, for consent to sharing.")
    working_group: uuid.UUID | None = None
    service_type: str = Field("", max_length=60)
    notes: str = Field("", max_length=100_000)

    model_config = {"extra": "forbid"}


class WithdrawIn(Schema):
    withdrawn_on: datetime.date

    model_config = {"extra": "forbid"}


@router.get(
    "/children/{uuid:child_id}/consents", response=list[ConsentOut], url_name="consent_list"
)
def consent_list(request: HttpRequest, child_id: uuid.UUID) -> Any:
    return list(case_selectors.consents_of(child_get(request.user, child_id)))


@router.post(
    "/children/{uuid:child_id}/consents", response={201: ConsentOut}, url_name="consent_list"
)
def consent_create(request: HttpRequest, child_id: uuid.UUID, payload: ConsentIn) -> Any:
    child = child_get(request.user, child_id)
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(code=payload.agency).first()
        if agency is None:
            raise field_error("agency", _("Unknown agency code."))
    group = None
    if payload.working_group:
        group = WorkingGroup.objects.filter(uuid=payload.working_group).first()
        if group is None:
            raise field_error("working_group", _("Unknown working group."))
    consent = case_actions.consent_record(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        kind=payload.kind,
        given_by=payload.given_by,
        given_on=payload.given_on,
        agency=agency,
        working_group=group,
        service_type=payload.service_type,
        notes=payload.notes,
    )
    return 201, consent


@router.post(
    "/consents/{uuid:consent_id}/withdraw", response=ConsentOut, url_name="consent_withdraw"
)
def consent_withdraw(request: HttpRequest, consent_id: uuid.UUID, payload: WithdrawIn) -> Any:
    consent = case_selectors.consent_get(request.user, consent_id)
    return case_actions.consent_withdraw(
        actor=request.user,  # type: ignore[arg-type]
        consent=consent,
        withdrawn_on=payload.withdrawn_on,
    )


class ShareOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    child: uuid.UUID = Field(alias="child.uuid")
    consent: uuid.UUID = Field(alias="consent.uuid")
    source: str
    shared_on: datetime.date
    until: datetime.date | None
    revoked_at: datetime.datetime | None


class ShareIn(Schema):
    consent: uuid.UUID
    until: datetime.date | None = None

    model_config = {"extra": "forbid"}


@router.post("/children/{uuid:child_id}/shares", response={201: ShareOut}, url_name="share_list")
def share_create(request: HttpRequest, child_id: uuid.UUID, payload: ShareIn) -> Any:
    child = child_get(request.user, child_id)
    consent = case_selectors.active_sharing_consents(child).filter(uuid=payload.consent).first()
    if consent is None:
        raise field_error("consent", _("Choose a standing consent to sharing for this child."))
    share = access_actions.share_create(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        consent=consent,
        until=payload.until,
    )
    return 201, share


@router.post("/shares/{uuid:share_id}/revoke", response=ShareOut, url_name="share_revoke")
def share_revoke(request: HttpRequest, share_id: uuid.UUID) -> Any:
    share = access_selectors.share_get(request.user, share_id)
    return access_actions.share_revoke(actor=request.user, share=share)  # type: ignore[arg-type]


class BreakGlassIn(Schema):
    case_number: str = Field(max_length=32)
    reason: str = Field(max_length=500)

    model_config = {"extra": "forbid"}


class BreakGlassOut(Schema):
    child: uuid.UUID = Field(alias="child.uuid")
    expires_at: datetime.datetime


@router.post("/break-glass", response={201: BreakGlassOut}, url_name="break_glass")
def break_glass(request: HttpRequest, payload: BreakGlassIn) -> Any:
    """Emergency access to one record outside your scope, for a few hours, with a reason."""
    try:
        child = access_selectors.child_by_case_number_unscoped(payload.case_number)
    except Http404:
        raise field_error("case_number", _("No child has this case number.")) from None
    grant = access_actions.break_glass_open(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        reason=payload.reason,
    )
    return 201, grant


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime.datetime
    user: str = Field(alias="actor_username")
    action: str
    object_type: str
    object_uuid: uuid.UUID | None
    object_label: str
    changes: dict[str, Any]
    detail: str
    ip_address: str | None


class AuditQuery(Schema):
    user: str = Field("", max_length=150)
    record: str = Field("", max_length=64)
    action: str = Field("", max_length=20)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@router.get("/audit", response=Page[AuditEventOut], url_name="audit_list")
def audit_list(
    request: HttpRequest, query: Query[AuditQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    filters = audit_selectors.EventFilters(**query.model_dump())
    return page_of(audit_selectors.event_list(request.user, filters), paging)
