"""Foster carers through the API: the same selectors and actions as the pages."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.api.lookups import location_by_code, record_in
from homeward.carers import actions, selectors
from homeward.carers.forms import CarerFilterForm
from homeward.carers.models import CarerHousehold, CarerMember
from homeward.core.forms import checked
from homeward.core.requests import actor_of
from homeward.registry.selectors import persons_for_user

router = Router(tags=["foster carers"])

TEXT = Field("", max_length=100_000)  # lengths are checked by the models, with translated errors


class TermsOut(Schema):
    decided_on: datetime.date
    panel: str
    max_children: int
    age_min: int
    age_max: int
    sexes: list[str]
    sibling_groups: bool
    disabilities: bool
    disability_domains: list[str]
    term: str
    professional: bool
    notes: str

    @staticmethod
    def resolve_sexes(obj: Any) -> list[str]:
        return [code for code, yes in (("F", obj.accepts_female), ("M", obj.accepts_male)) if yes]


class CarerOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    name: str
    agency: str = Field(alias="agency.code")
    location: str = Field(alias="location.code")
    address: str
    phone: str
    languages: list[str]
    professional: bool
    stage: str
    enquiry_on: datetime.date
    approved_on: datetime.date | None
    approval_expires_on: datetime.date | None
    terms: TermsOut | None
    vacancy: int | None = None
    training_hours: Decimal
    placements_total: int
    preferred_age_min: int | None
    preferred_age_max: int | None
    preferred_sex: str
    notes: str
    worker: str | None = None
    version: int

    @staticmethod
    def resolve_vacancy(obj: CarerHousehold) -> int | None:
        return getattr(obj, "vacancy", None) if obj.terms_id else None

    @staticmethod
    def resolve_worker(obj: CarerHousehold) -> str | None:
        return obj.worker.username if obj.worker else None


class CarerFields(Schema):
    name: str | None = Field(None, max_length=100_000)
    location: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=100_000)
    phone: str | None = Field(None, max_length=100_000)
    languages: list[str] | None = None
    professional: bool | None = None
    enquiry_on: datetime.date | None = None
    preferred_age_min: int | None = Field(None, ge=0, le=17)
    preferred_age_max: int | None = Field(None, ge=0, le=17)
    preferred_sex: str | None = Field(None, max_length=1)
    notes: str | None = Field(None, max_length=100_000)

    model_config = {"extra": "forbid"}


class CarerIn(CarerFields):
    name: str = Field(max_length=100_000)
    location: str = Field(max_length=32)
    agency: str | None = Field(
        None, description="Foster-care service code, if you work in several."
    )


class CarerPatch(CarerFields):
    version: int


class CarerQuery(Schema):
    search: str = Field("", max_length=100)
    stage: str = Field("", max_length=20)
    location: str = Field("", max_length=32, description="Location code of an area.")


class MoveIn(Schema):
    to: str = Field(max_length=20)
    note: str = TEXT
    version: int

    model_config = {"extra": "forbid"}


class TermsIn(Schema):
    panel: str = Field(max_length=100_000)
    max_children: int = Field(ge=0, le=1000)
    age_min: int = Field(ge=0, le=1000)
    age_max: int = Field(ge=0, le=1000)
    sexes: list[str] = ["F", "M"]
    sibling_groups: bool = False
    disabilities: bool = False
    disability_domains: list[str] = []
    term: str = Field("both", max_length=10)
    professional: bool = False
    notes: str = TEXT

    model_config = {"extra": "forbid"}


class ApprovalIn(Schema):
    decided_on: datetime.date
    terms: TermsIn
    version: int

    model_config = {"extra": "forbid"}


class MemberOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    family_name: str
    given_name: str
    patronymic: str
    sex: str
    date_of_birth: datetime.date | None
    role: str
    person: uuid.UUID | None = None

    @staticmethod
    def resolve_person(obj: CarerMember) -> uuid.UUID | None:
        return obj.person.uuid if obj.person else None


class MemberIn(Schema):
    family_name: str = Field(max_length=100_000)
    given_name: str = Field(max_length=100_000)
    patronymic: str = TEXT
    sex: str = Field(max_length=1)
    date_of_birth: datetime.date | None = None
    role: str = Field(max_length=20)
    person: uuid.UUID | None = Field(None, description="The same person in the register.")

    model_config = {"extra": "forbid"}


class CheckOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    kind: str
    member: uuid.UUID | None = None
    done_on: datetime.date
    expires_on: datetime.date | None
    result: str
    reference: str
    notes: str

    @staticmethod
    def resolve_member(obj: Any) -> uuid.UUID | None:
        return obj.member.uuid if obj.member else None


class CheckIn(Schema):
    kind: str = Field(max_length=20)
    member: uuid.UUID | None = None
    done_on: datetime.date
    expires_on: datetime.date | None = None
    result: str = Field(max_length=10)
    reference: str = TEXT
    notes: str = TEXT

    model_config = {"extra": "forbid"}


class DocumentOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    kind: str
    member: uuid.UUID | None = None
    title: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None

    @staticmethod
    def resolve_member(obj: Any) -> uuid.UUID | None:
        return obj.member.uuid if obj.member else None


class DocumentIn(Schema):
    kind: str = Field(max_length=30)
    member: uuid.UUID | None = None
    title: str = Field(max_length=100_000)
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None

    model_config = {"extra": "forbid"}


class CourseOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    name: str
    topics: list[str]
    hours: Decimal
    is_active: bool


class CourseIn(Schema):
    name: str = Field(max_length=100_000)
    topics: list[str] = []
    hours: Decimal = Field(ge=0, le=100_000)

    model_config = {"extra": "forbid"}


class TrainingOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    course: uuid.UUID = Field(alias="course.uuid")
    course_name: str = Field(alias="course.name")
    member: uuid.UUID | None = None
    completed_on: datetime.date
    hours: Decimal

    @staticmethod
    def resolve_member(obj: Any) -> uuid.UUID | None:
        return obj.member.uuid if obj.member else None


class TrainingIn(Schema):
    course: uuid.UUID
    member: uuid.UUID | None = None
    completed_on: datetime.date
    hours: Decimal | None = Field(None, ge=0, le=100_000)

    model_config = {"extra": "forbid"}


class VisitOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    visited_on: datetime.date
    kind: str
    visitor: str
    notes: str


class VisitIn(Schema):
    visited_on: datetime.date
    kind: str = Field(max_length=20)
    visitor: str = TEXT
    notes: str = TEXT

    model_config = {"extra": "forbid"}


class ReviewOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    reviewed_on: datetime.date
    outcome: str
    notes: str


class ReviewIn(Schema):
    reviewed_on: datetime.date
    outcome: str = Field(max_length=20)
    notes: str = TEXT
    version: int

    model_config = {"extra": "forbid"}


class EventOut(Schema):
    type: str
    from_stage: str
    to_stage: str
    occurred_at: datetime.datetime
    note: str
    data: dict[str, Any]


class HomeStudyOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    form: str = Field(alias="template.code")
    form_version: int = Field(alias="template.version")
    status: str
    answers: dict[str, Any]
    scores: dict[str, Any]
    completed_on: datetime.date | None
    version: int


class HomeStudyPatch(Schema):
    answers: dict[str, Any]
    completed_on: datetime.date | None = None
    submit: bool = False
    version: int

    model_config = {"extra": "forbid"}


class DashboardOut(Schema):
    stages: dict[str, int]
    median_days_to_approval: int | None
    approvals_counted: int
    vacancies_total: int
    with_vacancies: list[dict[str, Any]]
    approvals_lapsing: list[dict[str, Any]]
    checks_lapsing: int


def _agency_for(request: HttpRequest, code: str | None) -> Any:
    agencies = selectors.carer_agencies(request.user)
    if code:
        agency = next((a for a in agencies if a.code == code), None)
        if agency is None:
            raise field_error("agency", _("You do not recruit carers for this agency."))
        return agency
    if len(agencies) != 1:
        raise field_error(
            "agency",
            _("Choose the foster-care service: you work in several.")
            if agencies
            else _("You do not recruit carers for any agency."),
        )
    return agencies[0]


def _household_data(payload: CarerFields) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True, exclude={"agency", "version"})
    if "location" in data:
        data["location"] = location_by_code("location", data["location"])
        if data["location"] is None:
            raise field_error("location", _("This field is required."))
    return data


def _member(household: CarerHousehold, key: uuid.UUID | None) -> CarerMember | None:
    return record_in("member", household.members.all(), key)  # type: ignore[return-value]


@router.get("/carers", response=Page[CarerOut], url_name="carer_list")
def carer_list(
    request: HttpRequest, query: Query[CarerQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    # checked as the list page checks them: an unknown stage or area names the parameter
    form = checked(CarerFilterForm, query.model_dump(), aliases={"q": "search"})
    return page_of(selectors.carer_list(request.user, **form.filters()), paging)


@router.post("/carers", response={201: CarerOut}, url_name="carer_list")
def carer_create(request: HttpRequest, payload: CarerIn) -> tuple[int, Any]:
    agency = _agency_for(request, payload.agency)
    household = actions.carer_enquiry(
        actor=actor_of(request), agency=agency, data=_household_data(payload)
    )
    return 201, selectors.carer_get(request.user, household.uuid)


@router.get("/carer-dashboard", response=DashboardOut, url_name="carer_dashboard")
def carer_dashboard(request: HttpRequest) -> dict[str, Any]:
    board = selectors.dashboard(request.user)
    return {
        "stages": {code: count for code, _label, count in board.stages},
        "median_days_to_approval": board.median_days_to_approval,
        "approvals_counted": board.approvals_counted,
        "vacancies_total": board.vacancies_total,
        "with_vacancies": [
            {"id": str(h.uuid), "name": h.name, "vacancy": h.vacancy}  # type: ignore[attr-defined]
            for h in board.with_vacancies
        ],
        "approvals_lapsing": [
            {"id": str(h.uuid), "name": h.name, "approval_expires_on": h.approval_expires_on}
            for h in board.lapsing
        ],
        "checks_lapsing": board.checks_lapsing,
    }


@router.get("/carers/{uuid:carer_id}", response=CarerOut, url_name="carer_detail")
def carer_detail(request: HttpRequest, carer_id: uuid.UUID) -> Any:
    return selectors.carer_get(request.user, carer_id)


@router.patch("/carers/{uuid:carer_id}", response=CarerOut, url_name="carer_detail")
def carer_update(request: HttpRequest, carer_id: uuid.UUID, payload: CarerPatch) -> Any:
    household = selectors.carer_get(request.user, carer_id)
    actions.carer_update(
        actor=actor_of(request),
        household=household,
        data=_household_data(payload),
        version=payload.version,
    )
    return selectors.carer_get(request.user, carer_id)


@router.post("/carers/{uuid:carer_id}/stage", response=CarerOut, url_name="carer_move")
def carer_move(request: HttpRequest, carer_id: uuid.UUID, payload: MoveIn) -> Any:
    household = selectors.carer_get(request.user, carer_id)
    actions.carer_move(
        actor=actor_of(request),
        household=household,
        to=payload.to,
        note=payload.note,
        version=payload.version,
    )
    return selectors.carer_get(request.user, carer_id)


@router.post("/carers/{uuid:carer_id}/approval", response=CarerOut, url_name="carer_approve")
def carer_approve(request: HttpRequest, carer_id: uuid.UUID, payload: ApprovalIn) -> Any:
    household = selectors.carer_get(request.user, carer_id)
    actions.carer_approve(
        actor=actor_of(request),
        household=household,
        decided_on=payload.decided_on,
        terms=payload.terms.model_dump(),
        version=payload.version,
    )
    return selectors.carer_get(request.user, carer_id)


@router.get("/carers/{uuid:carer_id}/terms", response=list[TermsOut], url_name="carer_terms")
def terms_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    return list(selectors.carer_get(request.user, carer_id).terms_history.all())


@router.post("/carers/{uuid:carer_id}/terms", response={201: TermsOut}, url_name="carer_terms")
def terms_set(request: HttpRequest, carer_id: uuid.UUID, payload: ApprovalIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    terms = actions.terms_set(
        actor=actor_of(request),
        household=household,
        decided_on=payload.decided_on,
        terms=payload.terms.model_dump(),
        version=payload.version,
    )
    return 201, terms


@router.get("/carers/{uuid:carer_id}/members", response=list[MemberOut], url_name="carer_members")
def member_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    household = selectors.carer_get(request.user, carer_id)
    return list(household.members.select_related("person"))


@router.post("/carers/{uuid:carer_id}/members", response={201: MemberOut}, url_name="carer_members")
def member_add(request: HttpRequest, carer_id: uuid.UUID, payload: MemberIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    data = payload.model_dump()
    data["person"] = record_in("person", persons_for_user(request.user), payload.person)
    return 201, actions.member_add(actor=actor_of(request), household=household, data=data)


@router.get("/carers/{uuid:carer_id}/checks", response=list[CheckOut], url_name="carer_checks")
def check_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    household = selectors.carer_get(request.user, carer_id)
    return list(household.checks.select_related("member"))


@router.post("/carers/{uuid:carer_id}/checks", response={201: CheckOut}, url_name="carer_checks")
def check_add(request: HttpRequest, carer_id: uuid.UUID, payload: CheckIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    data = payload.model_dump()
    data["member"] = _member(household, payload.member)
    return 201, actions.check_record(actor=actor_of(request), household=household, data=data)


@router.get(
    "/carers/{uuid:carer_id}/documents", response=list[DocumentOut], url_name="carer_documents"
)
def document_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    household = selectors.carer_get(request.user, carer_id)
    return list(household.documents.select_related("member"))


@router.post(
    "/carers/{uuid:carer_id}/documents", response={201: DocumentOut}, url_name="carer_documents"
)
def document_add(request: HttpRequest, carer_id: uuid.UUID, payload: DocumentIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    data = payload.model_dump()
    data["member"] = _member(household, payload.member)
    return 201, actions.document_record(actor=actor_of(request), household=household, data=data)


@router.get("/training-courses", response=list[CourseOut], url_name="course_list")
def course_list(request: HttpRequest) -> list[Any]:
    return list(selectors.courses())


@router.post("/training-courses", response={201: CourseOut}, url_name="course_list")
def course_create(request: HttpRequest, payload: CourseIn) -> tuple[int, Any]:
    return 201, actions.course_create(actor=actor_of(request), data=payload.model_dump())


@router.get(
    "/carers/{uuid:carer_id}/training", response=list[TrainingOut], url_name="carer_training"
)
def training_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    household = selectors.carer_get(request.user, carer_id)
    return list(household.training.select_related("course", "member"))


@router.post(
    "/carers/{uuid:carer_id}/training", response={201: TrainingOut}, url_name="carer_training"
)
def training_add(request: HttpRequest, carer_id: uuid.UUID, payload: TrainingIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    course = record_in("course", selectors.courses(), payload.course)
    record = actions.training_record(
        actor=actor_of(request),
        household=household,
        course=course,  # type: ignore[arg-type]
        member=_member(household, payload.member),
        completed_on=payload.completed_on,
        hours=payload.hours,
    )
    return 201, record


@router.get("/carers/{uuid:carer_id}/visits", response=list[VisitOut], url_name="carer_visits")
def visit_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    return list(selectors.carer_get(request.user, carer_id).visits.all())


@router.post("/carers/{uuid:carer_id}/visits", response={201: VisitOut}, url_name="carer_visits")
def visit_add(request: HttpRequest, carer_id: uuid.UUID, payload: VisitIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    return 201, actions.visit_record(
        actor=actor_of(request), household=household, data=payload.model_dump()
    )


@router.get("/carers/{uuid:carer_id}/reviews", response=list[ReviewOut], url_name="carer_reviews")
def review_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    return list(selectors.carer_get(request.user, carer_id).reviews.all())


@router.post("/carers/{uuid:carer_id}/reviews", response={201: ReviewOut}, url_name="carer_reviews")
def review_add(request: HttpRequest, carer_id: uuid.UUID, payload: ReviewIn) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    return 201, actions.annual_review_record(
        actor=actor_of(request), household=household, **payload.model_dump()
    )


@router.get("/carers/{uuid:carer_id}/events", response=list[EventOut], url_name="carer_events")
def event_list(request: HttpRequest, carer_id: uuid.UUID) -> list[Any]:
    return list(selectors.carer_get(request.user, carer_id).events.all()[:200])


@router.post(
    "/carers/{uuid:carer_id}/home-study", response={201: HomeStudyOut}, url_name="home_study_start"
)
def home_study_start(request: HttpRequest, carer_id: uuid.UUID) -> tuple[int, Any]:
    household = selectors.carer_get(request.user, carer_id)
    return 201, actions.home_study_start(actor=actor_of(request), household=household)


@router.get("/home-studies/{uuid:study_id}", response=HomeStudyOut, url_name="home_study_detail")
def home_study_detail(request: HttpRequest, study_id: uuid.UUID) -> Any:
    return selectors.home_study_get(request.user, study_id)


@router.patch("/home-studies/{uuid:study_id}", response=HomeStudyOut, url_name="home_study_detail")
def home_study_save(request: HttpRequest, study_id: uuid.UUID, payload: HomeStudyPatch) -> Any:
    return actions.home_study_save(
        actor=actor_of(request),
        study=selectors.home_study_get(request.user, study_id),
        answers=payload.answers,
        completed_on=payload.completed_on,
        version=payload.version,
        submit=payload.submit,
    )
