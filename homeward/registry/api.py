"""The register through the API: the same selectors and actions as the web pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from homeward.access.scoping import writable_agencies
from homeward.accounts.models import Agency
from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.api.lookups import location_by_code, record_in
from homeward.core.forms import checked
from homeward.registry import actions, selectors
from homeward.registry.forms import ChildFilterForm
from homeward.registry.models import Child, Household, Person
from homeward.registry.subject_access import subject_access_export

router = Router(tags=["registry"])

NAME = Field(max_length=100_000)  # lengths are checked by the model, with translated errors


class ChildOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    case_number: str
    family_name: str
    given_name: str
    patronymic: str
    family_name_latin: str
    given_name_latin: str
    patronymic_latin: str
    sex: str
    date_of_birth: datetime.date
    date_of_birth_estimated: bool
    has_disability: bool
    disability_domains: list[str] | None = Field(
        None, description="Special-category detail: null when your role may not see it."
    )
    legal_status: str
    home_location: str = Field(alias="home_location.code")
    school_name: str
    school_location: str | None = None
    household: uuid.UUID | None = None
    agency: str = Field(alias="agency.code")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_disability_domains(obj: Child, context: Any) -> list[str] | None:
        allowed = getattr(obj, "sensitive_allowed", None)
        if allowed is None:
            allowed = selectors.can_see_sensitive(context["request"].user, obj)
        return list(obj.disability_domains) if allowed else None

    @staticmethod
    def resolve_school_location(obj: Child) -> str | None:
        return obj.school_location.code if obj.school_location_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_household(obj: Child) -> uuid.UUID | None:
        return obj.household.uuid if obj.household_id else None  # type: ignore[union-attr]


class ChildFields(Schema):
    family_name: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    family_name_latin: str | None = None
    given_name_latin: str | None = None
    patronymic_latin: str | None = None
    sex: str | None = None
    date_of_birth: datetime.date | None = None
    date_of_birth_estimated: bool | None = None
    has_disability: bool | None = None
    disability_domains: list[str] | None = None
    legal_status: str | None = None
    home_location: str | None = None
    school_name: str | None = None
    school_location: str | None = None
    household: uuid.UUID | None = None

    model_config = {"extra": "forbid"}


class ChildIn(ChildFields):
    family_name: str
    given_name: str
    sex: str
    date_of_birth: datetime.date
    home_location: str
    agency: str | None = Field(None, description="Agency code; needed when you work in several.")
    confirm_not_duplicate: bool = Field(
        False, description="Register even though similar children exist."
    )


class ChildPatch(ChildFields):
    version: int = Field(description="The version you read; a newer one refuses the change.")


class ChildQuery(Schema):
    search: str = Field("", max_length=100)
    sex: str = Field("", max_length=1)
    legal_status: str = Field("", max_length=40)
    location: str = Field("", max_length=32, description="Location code of an area.")
    disability: bool | None = None
    age_band: str = Field("", max_length=5)
    institution: str = Field("", max_length=32, description="Institution code.")
    sort: str = Field("name", max_length=12)


class DuplicateQuery(Schema):
    family_name: str = Field(max_length=100)
    given_name: str = Field(max_length=100)
    date_of_birth: datetime.date
    date_of_birth_estimated: bool = False
    sex: str = Field(max_length=1)


class DuplicateOut(Schema):
    child: ChildOut
    score: float


class DuplicatesConflict(Schema):
    detail: str
    duplicates: list[DuplicateOut]


def _child_data(user: Any, payload: ChildFields) -> dict[str, Any]:
    """Payload fields that were sent, with codes and ids turned into records."""
    data = payload.model_dump(exclude_unset=True, exclude={"agency", "confirm_not_duplicate"})
    data.pop("version", None)
    for field in ("home_location", "school_location"):
        if field in data:
            data[field] = location_by_code(field, data[field])
    for field in (
        "patronymic",
        "patronymic_latin",
        "family_name_latin",
        "given_name_latin",
        "school_name",
        "legal_status",
    ):
        if field in data and data[field] is None:
            data[field] = "" if field != "legal_status" else "unknown"
    if "household" in data:
        data["household"] = record_in(
            "household", selectors.households_for_user(user), data["household"]
        )
    if data.get("disability_domains") is None and "disability_domains" in data:
        data["disability_domains"] = []
    return data


def _agency_for(user: Any, code: str | None) -> Agency:
    agencies = writable_agencies(user)
    if code:
        agency = agencies.filter(code=code).first()
        if agency is None:
            raise field_error("agency", _("You cannot register children for this agency."))
        return agency
    if agencies.count() != 1:
        raise field_error("agency", _("Choose the agency: you work in several."))
    return agencies.get()


@router.get("/children", response=Page[ChildOut], url_name="child_list")
def child_list(
    request: HttpRequest, filters: Query[ChildQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    # checked as the list page checks them: an unknown area, institution, sex, age band or
    # order is an error naming the parameter, never an empty or unsorted list
    data = filters.model_dump()
    data["disability"] = {True: "yes", False: "no"}.get(data["disability"], "")
    criteria = checked(ChildFilterForm, data, aliases={"q": "search"}).filters()
    queryset = selectors.child_list(request.user, criteria).select_related(
        "agency", "school_location", "household"
    )
    page = page_of(queryset, paging)
    selectors.mark_sensitive_allowed(request.user, page["items"])
    return page


@router.post(
    "/children",
    response={201: ChildOut, 409: DuplicatesConflict},
    url_name="child_list",
)
def child_create(request: HttpRequest, payload: ChildIn) -> tuple[int, Any]:
    """Register a child. Similar existing children answer 409 unless confirmed."""
    agency = _agency_for(request.user, payload.agency)
    data = _child_data(request.user, payload)
    if not payload.confirm_not_duplicate:
        duplicates = selectors.child_duplicates(
            request.user,
            family_name=payload.family_name,
            given_name=payload.given_name,
            date_of_birth=payload.date_of_birth,
            date_of_birth_estimated=bool(payload.date_of_birth_estimated),
            sex=payload.sex,
        )
        if duplicates:
            return 409, {
                "detail": _(
                    "This child may already be registered. Check the candidates, then send "
                    "confirm_not_duplicate=true to register a new child."
                ),
                "duplicates": [{"child": c, "score": s} for c, s in duplicates],
            }
    child = actions.child_register(actor=request.user, agency=agency, data=data)  # type: ignore[arg-type]
    return 201, child


@router.get("/children/duplicates", response=list[DuplicateOut], url_name="child_duplicates")
def child_duplicates(request: HttpRequest, query: Query[DuplicateQuery]) -> list[dict[str, Any]]:
    """Children in your records who may be the same child as the one described."""
    found = selectors.child_duplicates(request.user, **query.model_dump())
    return [{"child": c, "score": s} for c, s in found]


@router.get(
    "/children/{uuid:child_id}/subject-access",
    url_name="child_subject_access",
    response={200: Any},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The record as a file",
                "content": {"application/json": {}, "application/pdf": {}},
            }
        }
    },
)
def child_subject_access(
    request: HttpRequest, child_id: uuid.UUID, format: str = "json"
) -> HttpResponse:
    """The child's own record (format=json or pdf) for a subject-access request."""
    child = selectors.child_get(request.user, child_id)
    body, content_type, filename = subject_access_export(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        fmt="pdf" if format == "pdf" else "json",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/children/{uuid:child_id}", response=ChildOut, url_name="child_detail")
def child_detail(request: HttpRequest, child_id: uuid.UUID) -> Child:
    return selectors.child_get(request.user, child_id)


@router.patch("/children/{uuid:child_id}", response=ChildOut, url_name="child_detail")
def child_update(request: HttpRequest, child_id: uuid.UUID, payload: ChildPatch) -> Child:
    child = selectors.child_get(request.user, child_id)
    return actions.child_update(
        actor=request.user,  # type: ignore[arg-type]
        child=child,
        version=payload.version,
        changes=_child_data(request.user, payload),
    )


# --- households ---------------------------------------------------------------------------


class HouseholdOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    name: str
    address: str
    location: str = Field(alias="location.code")
    agency: str = Field(alias="agency.code")
    notes: str
    version: int


class HouseholdFields(Schema):
    name: str | None = None
    address: str | None = None
    location: str | None = None
    notes: str | None = None

    model_config = {"extra": "forbid"}


class HouseholdIn(HouseholdFields):
    name: str
    location: str
    agency: str | None = None


class HouseholdPatch(HouseholdFields):
    version: int


class SearchQuery(Schema):
    search: str = Field("", max_length=100)


def _household_data(payload: HouseholdFields) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True, exclude={"agency", "version"})
    if "location" in data:
        data["location"] = location_by_code("location", data["location"])
    for field in ("address", "notes"):
        if field in data and data[field] is None:
            data[field] = ""
    return data


@router.get("/households", response=Page[HouseholdOut], url_name="household_list")
def household_list(
    request: HttpRequest, query: Query[SearchQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    queryset = selectors.household_list(request.user, query.search).select_related("agency")
    return page_of(queryset, paging)


@router.post("/households", response={201: HouseholdOut}, url_name="household_list")
def household_create(request: HttpRequest, payload: HouseholdIn) -> tuple[int, Household]:
    agency = _agency_for(request.user, payload.agency)
    household = actions.household_create(
        actor=request.user,  # type: ignore[arg-type]
        agency=agency,
        data=_household_data(payload),
    )
    return 201, household


@router.get("/households/{uuid:household_id}", response=HouseholdOut, url_name="household_detail")
def household_detail(request: HttpRequest, household_id: uuid.UUID) -> Household:
    return selectors.household_get(request.user, household_id)


@router.patch("/households/{uuid:household_id}", response=HouseholdOut, url_name="household_detail")
def household_update(
    request: HttpRequest, household_id: uuid.UUID, payload: HouseholdPatch
) -> Household:
    household = selectors.household_get(request.user, household_id)
    return actions.household_update(
        actor=request.user,  # type: ignore[arg-type]
        household=household,
        version=payload.version,
        changes=_household_data(payload),
    )


# --- persons -------------------------------------------------------------------------------


class PersonOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    family_name: str
    given_name: str
    patronymic: str
    family_name_latin: str
    given_name_latin: str
    patronymic_latin: str
    sex: str
    date_of_birth: datetime.date | None
    phone: str
    location: str | None = None
    household: uuid.UUID | None = None
    notes: str
    version: int

    @staticmethod
    def resolve_location(obj: Person) -> str | None:
        return obj.location.code if obj.location_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_household(obj: Person) -> uuid.UUID | None:
        return obj.household.uuid if obj.household_id else None  # type: ignore[union-attr]


class PersonFields(Schema):
    family_name: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    family_name_latin: str | None = None
    given_name_latin: str | None = None
    patronymic_latin: str | None = None
    sex: str | None = None
    date_of_birth: datetime.date | None = None
    phone: str | None = None
    location: str | None = None
    household: uuid.UUID | None = None
    notes: str | None = None

    model_config = {"extra": "forbid"}


class PersonIn(PersonFields):
    family_name: str
    given_name: str
    sex: str
    agency: str | None = None


class PersonPatch(PersonFields):
    version: int


def _person_data(user: Any, payload: PersonFields) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True, exclude={"agency", "version"})
    if "location" in data:
        data["location"] = location_by_code("location", data["location"])
    if "household" in data:
        data["household"] = record_in(
            "household", selectors.households_for_user(user), data["household"]
        )
    for field in (
        "patronymic",
        "family_name_latin",
        "given_name_latin",
        "patronymic_latin",
        "phone",
        "notes",
    ):
        if field in data and data[field] is None:
            data[field] = ""
    return data


@router.get("/persons", response=Page[PersonOut], url_name="person_list")
def person_list(
    request: HttpRequest, query: Query[SearchQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    queryset = selectors.person_list(request.user, query.search).select_related(
        "location", "household"
    )
    return page_of(queryset, paging)


@router.post("/persons", response={201: PersonOut}, url_name="person_list")
def person_create(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    agency = _agency_for(request.user, payload.agency)
    person = actions.person_create(
        actor=request.user,  # type: ignore[arg-type]
        agency=agency,
        data=_person_data(request.user, payload),
    )
    return 201, person


@router.get("/persons/{uuid:person_id}", response=PersonOut, url_name="person_detail")
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> Person:
    return selectors.person_get(request.user, person_id)


@router.patch("/persons/{uuid:person_id}", response=PersonOut, url_name="person_detail")
def person_update(request: HttpRequest, person_id: uuid.UUID, payload: PersonPatch) -> Person:
    person = selectors.person_get(request.user, person_id)
    return actions.person_update(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        version=payload.version,
        changes=_person_data(request.user, payload),
    )


# --- relationships -------------------------------------------------------------------------


class RelationshipIn(Schema):
    child: uuid.UUID
    kind: str = Field(max_length=20)
    person: uuid.UUID | None = None
    related_child: uuid.UUID | None = None
    lives_with_child: bool = False
    notes: str = ""

    model_config = {"extra": "forbid"}


class RelationshipOut(Schema):
    child: uuid.UUID = Field(alias="child.uuid")
    kind: str
    person: uuid.UUID | None = None
    related_child: uuid.UUID | None = None
    lives_with_child: bool
    notes: str

    @staticmethod
    def resolve_person(obj: Any) -> uuid.UUID | None:
        return obj.person.uuid if obj.person_id else None

    @staticmethod
    def resolve_related_child(obj: Any) -> uuid.UUID | None:
        return obj.related_child.uuid if obj.related_child_id else None


@router.post("/relationships", response={201: RelationshipOut}, url_name="relationship_list")
def relationship_create(request: HttpRequest, payload: RelationshipIn) -> tuple[int, Any]:
    children = selectors.children_for_user(request.user)
    child = record_in("child", children, payload.child)
    person = record_in("person", selectors.persons_for_user(request.user), payload.person)
    related = record_in("related_child", children, payload.related_child)
    if (person is None) == (related is None):
        raise HttpError(422, _("Give either a person or a related child."))
    relationship = actions.relationship_add(
        actor=request.user,  # type: ignore[arg-type]
        child=child,  # type: ignore[arg-type]
        kind=payload.kind,
        person=person,  # type: ignore[arg-type]
        related_child=related,  # type: ignore[arg-type]
        lives_with_child=payload.lives_with_child,
        notes=payload.notes,
    )
    return 201, relationship
