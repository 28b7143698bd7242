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
from homeward.api.lookups import location_by_code, record_in
from homeward.institutions import actions, selectors
from homeward.institutions.models import Institution, Residence
from homeward.registry.selectors import children_for_user

router = Router(tags=["institutions"])


class InstitutionOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    code: str
    name: str
    name_latin: str
    kind: str
    agency: str = Field(alias="agency.code")
    location: str = Field(alias="location.code")
    capacity: int
    is_active: bool
    current_residents: int
    version: int


class InstitutionFields(Schema):
    code: str | None = None
    name: str | None = None
    name_latin: str | None = None
    kind: str | None = None
    agency: str | None = None
    location: str | None = None
    capacity: int | None = Field(None, ge=0, le=100_000)
    is_active: bool | None = None

    model_config = {"extra": "forbid"}


class InstitutionIn(InstitutionFields):
    code: str
    name: str
    kind: str
    agency: str
    location: str
    capacity: int = Field(ge=0, le=100_000)


class InstitutionPatch(InstitutionFields):
    version: int


class InstitutionQuery(Schema):
    search: str = Field("", max_length=100)
    location: str = Field("", max_length=32)


def _institution_data(payload: InstitutionFields) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "location" in data:
        data["location"] = location_by_code("location", data["location"])
    if "agency" in data:
        agency = Agency.objects.filter(code=data["agency"] or "").first()
        if agency is None:
            raise field_error("agency", _("Unknown agency code."))
        data["agency"] = agency
    if "name_latin" in data and data["name_latin"] is None:
        data["name_latin"] = ""
    return data


@router.get("/institutions", response=Page[InstitutionOut], url_name="institution_list")
def institution_list(
    request: HttpRequest, query: Query[InstitutionQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    return page_of(selectors.institution_list(request.user, query.search, query.location), paging)


@router.post("/institutions", response={201: InstitutionOut}, url_name="institution_list")
def institution_create(request: HttpRequest, payload: InstitutionIn) -> tuple[int, Institution]:
    institution = actions.institution_create(
        actor=request.user,  # type: ignore[arg-type]
        data=_institution_data(payload),
    )
    return 201, selectors.institution_get(request.user, institution.uuid)


@router.get(
    "/institutions/{uuid:institution_id}", response=InstitutionOut, url_name="institution_detail"
)
def institution_detail(request: HttpRequest, institution_id: uuid.UUID) -> Institution:
    return selectors.institution_get(request.user, institution_id)


@router.patch(
    "/institutions/{uuid:institution_id}", response=InstitutionOut, url_name="institution_detail"
)
def institution_update(
    request: HttpRequest, institution_id: uuid.UUID, payload: InstitutionPatch
) -> Institution:
    institution = selectors.institution_get(request.user, institution_id)
    actions.institution_update(
        actor=request.user,  # type: ignore[arg-type]
        institution=institution,
        version=payload.version,
        changes=_institution_data(payload),
    )
    return selectors.institution_get(request.user, institution_id)


class ResidenceOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    institution: str = Field(alias="institution.code")
    child: uuid.UUID = Field(alias="child.uuid")
    case_number: str = Field(alias="child.case_number")
    admitted_on: datetime.date
    left_on: datetime.date | None
    notes: str


class AdmitIn(Schema):
    child: uuid.UUID
    admitted_on: datetime.date
    notes: str = ""

    model_config = {"extra": "forbid"}


class DischargeIn(Schema):
    left_on: datetime.date

    model_config = {"extra": "forbid"}


class ResidentQuery(Schema):
    current: bool = True


@router.get(
    "/institutions/{uuid:institution_id}/residents",
    response=Page[ResidenceOut],
    url_name="resident_list",
)
def resident_list(
    request: HttpRequest,
    institution_id: uuid.UUID,
    query: Query[ResidentQuery],
    paging: Query[PageParams],
) -> dict[str, Any]:
    """Residents in your records (a child outside your scope is not listed)."""
    institution = selectors.institution_get(request.user, institution_id)
    residents = selectors.institution_residents(
        request.user, institution, current_only=query.current
    ).select_related("institution")
    return page_of(residents, paging)


@router.post(
    "/institutions/{uuid:institution_id}/residents",
    response={201: ResidenceOut},
    url_name="resident_list",
)
def resident_admit(
    request: HttpRequest, institution_id: uuid.UUID, payload: AdmitIn
) -> tuple[int, Residence]:
    institution = selectors.institution_get(request.user, institution_id)
    child = record_in("child", children_for_user(request.user), payload.child)
    residence = actions.resident_admit(
        actor=request.user,  # type: ignore[arg-type]
        institution=institution,
        child=child,  # type: ignore[arg-type]
        admitted_on=payload.admitted_on,
        notes=payload.notes,
    )
    return 201, residence


@router.patch("/residences/{uuid:residence_id}", response=ResidenceOut, url_name="residence_detail")
def resident_discharge(
    request: HttpRequest, residence_id: uuid.UUID, payload: DischargeIn
) -> Residence:
    """Record the day a child left the institution."""
    residence = selectors.residence_get(request.user, residence_id)
    return actions.resident_discharge(
        actor=request.user,  # type: ignore[arg-type]
        residence=residence,
        left_on=payload.left_on,
    )
