"""Services and referrals through the API: the same selectors and actions as the pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.accounts.models import Agency
from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.api.lookups import location_by_code
from homeward.cases.models import Consent
from homeward.cases.selectors import case_get
from homeward.core.requests import actor_of
from homeward.services import actions, selectors
from homeward.services.models import Provider, Referral, ServiceType
from homeward.services.pipeline import allowed_moves
from homeward.services.report import referral_report

router = Router(tags=["services"])


# --- service types ---------------------------------------------------------------------------


class ServiceTypeOut(Schema):
    code: str
    name: str = Field(alias="display_name")
    name_en: str
    name_ru: str
    name_be: str
    name_bg: str
    response_working_days: int
    is_active: bool
    version: int


class ServiceTypeFields(Schema):
    name_en: str | None = Field(None, max_length=200)
    name_ru: str | None = Field(None, max_length=200)
    name_be: str | None = Field(None, max_length=200)
    name_bg: str | None = Field(None, max_length=200)
    response_working_days: int | None = Field(None, ge=1, le=60)
    is_active: bool | None = None

    model_config = {"extra": "forbid"}


class ServiceTypeIn(ServiceTypeFields):
    code: str = Field(max_length=60)
    name_en: str = Field(max_length=200)
    name_ru: str = Field(max_length=200)
    name_be: str = Field(max_length=200)
    name_bg: str = Field(max_length=200)


class ServiceTypePatch(ServiceTypeFields):
    version: int


def _set_fields(payload: Schema) -> dict[str, Any]:
    """The fields the client sent, without nulls for fields that cannot be empty."""
    return {
        name: value
        for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items()
        if value is not None
    }


@router.get("/service-types", response=list[ServiceTypeOut], url_name="service_type_list")
def service_type_list(request: HttpRequest, include_inactive: bool = False) -> list[ServiceType]:
    return list(selectors.service_types(active_only=not include_inactive))


@router.post("/service-types", response={201: ServiceTypeOut}, url_name="service_type_list")
def service_type_create(request: HttpRequest, payload: ServiceTypeIn) -> tuple[int, ServiceType]:
    return 201, actions.service_type_create(actor=actor_of(request), data=_set_fields(payload))


@router.get("/service-types/{code}", response=ServiceTypeOut, url_name="service_type_detail")
def service_type_detail(request: HttpRequest, code: str) -> ServiceType:
    return selectors.service_type_get(code)


@router.patch("/service-types/{code}", response=ServiceTypeOut, url_name="service_type_detail")
def service_type_update(request: HttpRequest, code: str, payload: ServiceTypePatch) -> ServiceType:
    return actions.service_type_update(
        actor=actor_of(request),
        service_type=selectors.service_type_get(code),
        version=payload.version,
        changes=_set_fields(payload),
    )


# --- providers -------------------------------------------------------------------------------


class ProviderOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    name: str
    name_latin: str
    agency: str = Field(alias="agency.code")
    agency_kind: str = Field(alias="agency.kind")
    service_types: list[str]
    area: str = Field(alias="area.code")
    capacity: int | None
    address: str
    phone: str
    email: str
    description: str
    under_state_social_order: bool
    is_active: bool
    version: int

    @staticmethod
    def resolve_service_types(obj: Provider) -> list[str]:
        return sorted(t.code for t in obj.service_types.all())


class ProviderFields(Schema):
    agency: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=300)
    name_latin: str | None = Field(None, max_length=300)
    service_types: list[str] | None = Field(None, max_length=50)
    area: str | None = Field(None, max_length=32)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    description: str | None = Field(None, max_length=2000)
    under_state_social_order: bool | None = None
    is_active: bool | None = None

    model_config = {"extra": "forbid"}


class ProviderIn(ProviderFields):
    agency: str = Field(max_length=32)
    name: str = Field(max_length=300)
    service_types: list[str] = Field(max_length=50)
    area: str = Field(max_length=32)


class ProviderPatch(ProviderFields):
    version: int


class ProviderQuery(Schema):
    search: str = Field("", max_length=100)
    service_type: str = Field("", max_length=60)
    area: str = Field("", max_length=32)


def _service_types_by_code(codes: list[str]) -> list[ServiceType]:
    found = list(ServiceType.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise field_error("service_types", _("Unknown service type code."))
    return found


def _provider_data(payload: ProviderFields) -> tuple[dict[str, Any], list[ServiceType] | None]:
    sent = payload.model_dump(exclude_unset=True, exclude={"version"})
    codes = sent.pop("service_types", None)
    data: dict[str, Any] = {}
    for name, value in sent.items():
        if name == "capacity":
            data[name] = value  # null: not limited
        elif value is None:
            continue
        elif name == "agency":
            agency = Agency.objects.filter(code=value).first()
            if agency is None:
                raise field_error("agency", _("Unknown agency code."))
            data[name] = agency
        elif name == "area":
            data[name] = location_by_code("area", value)
        else:
            data[name] = value
    return data, (None if codes is None else _service_types_by_code(codes))


def _lookup_code(field: str, code: str) -> ServiceType | None:
    if not code:
        return None
    found = ServiceType.objects.filter(code=code).first()
    if found is None:
        raise field_error(field, _("Unknown service type code."))
    return found


@router.get("/providers", response=Page[ProviderOut], url_name="provider_list")
def provider_list(
    request: HttpRequest, query: Query[ProviderQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    providers = selectors.providers_list(
        request.user,
        q=query.search,
        service_type=_lookup_code("service_type", query.service_type),
        area=location_by_code("area", query.area),
    )
    return page_of(providers, paging)


@router.post("/providers", response={201: ProviderOut}, url_name="provider_list")
def provider_create(request: HttpRequest, payload: ProviderIn) -> tuple[int, Provider]:
    data, types = _provider_data(payload)
    provider = actions.provider_create(
        actor=actor_of(request), data=data, service_types=types or []
    )
    return 201, selectors.provider_get(request.user, provider.uuid)


@router.get("/providers/{uuid:provider_id}", response=ProviderOut, url_name="provider_detail")
def provider_detail(request: HttpRequest, provider_id: uuid.UUID) -> Provider:
    return selectors.provider_get(request.user, provider_id)


@router.patch("/providers/{uuid:provider_id}", response=ProviderOut, url_name="provider_detail")
def provider_update(
    request: HttpRequest, provider_id: uuid.UUID, payload: ProviderPatch
) -> Provider:
    provider = selectors.provider_get(request.user, provider_id)
    data, types = _provider_data(payload)
    actions.provider_update(
        actor=actor_of(request),
        provider=provider,
        version=payload.version,
        changes=data,
        service_types=types,
    )
    return selectors.provider_get(request.user, provider_id)


# --- referrals -------------------------------------------------------------------------------


class ReferralOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    case: uuid.UUID = Field(alias="case.uuid")
    case_number: str = Field(alias="case.child.case_number")
    referring_agency: str = Field(alias="case.agency.code")
    provider: uuid.UUID = Field(alias="provider.uuid")
    provider_name: str = Field(alias="provider.name")
    receiving_agency: str = Field(alias="provider.agency.code")
    service_type: str = Field(alias="service_type.code")
    status: str
    reason: str
    sent_at: datetime.datetime
    sent_by: str | None = None
    due_at: datetime.datetime
    answered_at: datetime.datetime | None
    decline_reason: str
    started_at: datetime.datetime | None
    outcome: str
    completed_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    withdraw_reason: str
    escalated_at: datetime.datetime | None
    overdue: bool
    allowed_moves: list[str]
    version: int

    @staticmethod
    def resolve_sent_by(obj: Referral) -> str | None:
        return obj.sent_by.username if obj.sent_by else None

    @staticmethod
    def resolve_overdue(obj: Referral) -> bool:
        return bool(getattr(obj, "is_overdue", 0))

    @staticmethod
    def resolve_allowed_moves(obj: Referral) -> list[str]:
        return sorted(allowed_moves(obj.status))


class ReferralIn(Schema):
    provider: uuid.UUID
    service_type: str = Field(max_length=60)
    reason: str = Field(max_length=2000)
    consent: uuid.UUID | None = None

    model_config = {"extra": "forbid"}


class ReferralQuery(Schema):
    status: str = Field("", max_length=20)
    overdue: bool = False


class Versioned(Schema):
    version: int

    model_config = {"extra": "forbid"}


class ReasonIn(Versioned):
    reason: str = Field(max_length=2000)


class OutcomeIn(Versioned):
    outcome: str = Field(max_length=2000)


@router.get(
    "/cases/{uuid:case_id}/referrals", response=list[ReferralOut], url_name="case_referrals"
)
def case_referral_list(request: HttpRequest, case_id: uuid.UUID) -> list[Referral]:
    case = case_get(request.user, case_id)
    return list(selectors.referrals_of_case(request.user, case))


@router.post(
    "/cases/{uuid:case_id}/referrals", response={201: ReferralOut}, url_name="case_referrals"
)
def referral_send(
    request: HttpRequest, case_id: uuid.UUID, payload: ReferralIn
) -> tuple[int, Referral]:
    case = case_get(request.user, case_id)
    service_type = selectors.service_types().filter(code=payload.service_type).first()
    if service_type is None:
        raise field_error("service_type", _("Unknown service type code."))
    provider = selectors.providers_list(request.user).filter(uuid=payload.provider).first()
    if provider is None:
        raise field_error("provider", _("No such provider in the catalogue."))
    consent = None
    if payload.consent is not None:
        consent = Consent.objects.filter(uuid=payload.consent, child_id=case.child_id).first()
        if consent is None:
            raise field_error("consent", _("No such consent for this child."))
    referral = actions.referral_send(
        actor=actor_of(request),
        case=case,
        provider=provider,
        service_type=service_type,
        reason=payload.reason,
        consent=consent,
    )
    return 201, selectors.referral_get(request.user, referral.uuid)


@router.get("/referrals/sent", response=Page[ReferralOut], url_name="referral_sent")
def referral_sent(
    request: HttpRequest, query: Query[ReferralQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    """Referrals of the cases in your own work."""
    referrals = selectors.referral_list(
        selectors.referrals_sent(request.user), status=query.status, overdue=query.overdue
    )
    return page_of(referrals, paging)


@router.get("/referrals/received", response=Page[ReferralOut], url_name="referral_received")
def referral_received(
    request: HttpRequest, query: Query[ReferralQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    """Referrals to your agencies: escalated and overdue first."""
    referrals = selectors.referral_list(
        selectors.referrals_received(request.user), status=query.status, overdue=query.overdue
    )
    return page_of(referrals, paging)


@router.get("/referrals/{uuid:referral_id}", response=ReferralOut, url_name="referral_detail")
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> Referral:
    return selectors.referral_get(request.user, referral_id)


def _after(request: HttpRequest, referral: Referral) -> Referral:
    return selectors.referral_get(request.user, referral.uuid)


@router.post(
    "/referrals/{uuid:referral_id}/accept", response=ReferralOut, url_name="referral_accept"
)
def referral_accept(request: HttpRequest, referral_id: uuid.UUID, payload: Versioned) -> Referral:
    referral = selectors.referral_get(request.user, referral_id)
    return _after(
        request,
        actions.referral_accept(
            actor=actor_of(request), referral=referral, version=payload.version
        ),
    )


@router.post(
    "/referrals/{uuid:referral_id}/decline", response=ReferralOut, url_name="referral_decline"
)
def referral_decline(request: HttpRequest, referral_id: uuid.UUID, payload: ReasonIn) -> Referral:
    referral = selectors.referral_get(request.user, referral_id)
    return _after(
        request,
        actions.referral_decline(
            actor=actor_of(request),
            referral=referral,
            reason=payload.reason,
            version=payload.version,
        ),
    )


@router.post("/referrals/{uuid:referral_id}/start", response=ReferralOut, url_name="referral_start")
def referral_start(request: HttpRequest, referral_id: uuid.UUID, payload: Versioned) -> Referral:
    referral = selectors.referral_get(request.user, referral_id)
    return _after(
        request,
        actions.referral_start(actor=actor_of(request), referral=referral, version=payload.version),
    )


@router.post(
    "/referrals/{uuid:referral_id}/complete", response=ReferralOut, url_name="referral_complete"
)
def referral_complete(request: HttpRequest, referral_id: uuid.UUID, payload: OutcomeIn) -> Referral:
    referral = selectors.referral_get(request.user, referral_id)
    return _after(
        request,
        actions.referral_complete(
            actor=actor_of(request),
            referral=referral,
            outcome=payload.outcome,
            version=payload.version,
        ),
    )


@router.post(
    "/referrals/{uuid:referral_id}/withdraw", response=ReferralOut, url_name="referral_withdraw"
)
def referral_withdraw(request: HttpRequest, referral_id: uuid.UUID, payload: ReasonIn) -> Referral:
    referral = selectors.referral_get(request.user, referral_id)
    return _after(
        request,
        actions.referral_withdraw(
            actor=actor_of(request),
            referral=referral,
            reason=payload.reason,
            version=payload.version,
        ),
    )


# --- the report ------------------------------------------------------------------------------


class ReportQuery(Schema):
    since: datetime.date | None = None
    until: datetime.date | None = None
    agency: str = Field("", max_length=32)
    service_type: str = Field("", max_length=60)


class ReportRowOut(Schema):
    agency: str
    agency_name: str
    service_type: str
    received: int
    answered: int
    median_hours_to_answer: float | None
    answered_on_time: int
    answered_on_time_of: int
    answered_on_time_share: float | None
    accepted: int
    completed: int
    completion_rate: float | None


@router.get("/reports/referrals", response=list[ReportRowOut], url_name="referral_report")
def report(request: HttpRequest, query: Query[ReportQuery]) -> list[dict[str, Any]]:
    """Per receiving agency and service type (see the report page for the definitions)."""
    if query.since and query.until and query.since > query.until:
        raise field_error("until", _("The end of the period comes before its start."))
    rows = referral_report(
        since=query.since,
        until=query.until,
        agency_code=query.agency,
        service_type=_lookup_code("service_type", query.service_type),
    )
    return [
        {
            "agency": row.agency_code,
            "agency_name": row.agency_name,
            "service_type": row.service_type.code,
            "received": row.received,
            "answered": row.answered,
            "median_hours_to_answer": row.median_hours,
            "answered_on_time": row.answered_on_time,
            "answered_on_time_of": row.judged,
            "answered_on_time_share": row.on_time_share,
            "accepted": row.accepted,
            "completed": row.completed,
            "completion_rate": row.completion_rate,
        }
        for row in rows
    ]


# --- notifications ---------------------------------------------------------------------------


class NotificationOut(Schema):
    text: str
    url: str
    source: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadIn(Schema):
    source: str | None = Field(None, max_length=80)
    all: bool = False

    model_config = {"extra": "forbid"}


@router.get("/notifications", response=Page[NotificationOut], url_name="notification_list")
def notification_list(
    request: HttpRequest, paging: Query[PageParams], unread: bool = False
) -> dict[str, Any]:
    notifications = selectors.notifications_for(request.user)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return page_of(notifications, paging)


@router.post("/notifications/read", response=dict[str, int], url_name="notification_read")
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark your notifications about one record (its source) read, or all of them."""
    if not payload.all and not payload.source:
        raise field_error("source", _("Name the notification's source, or send all: true."))
    count = actions.notifications_mark_read(
        user=actor_of(request), source=payload.source, everything=payload.all
    )
    return {"marked_read": count}
