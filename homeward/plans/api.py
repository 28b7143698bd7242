"""Care plans through the API."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from homeward.accounts.models import Agency
from homeward.api.common import field_error
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.selectors import case_get
from homeward.core.requests import actor_of
from homeward.plans import actions, selectors
from homeward.plans.models import CarePlan
from homeward.plans.pdf import plan_pdf

router = Router(tags=["care plans"])


class ActionOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    text: str
    responsible: str
    agency: str | None = None
    due_on: datetime.date
    status: str

    @staticmethod
    def resolve_agency(obj: Any) -> str | None:
        return obj.agency.code if obj.agency_id else None


class GoalOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    domain: str
    text: str
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class ReviewOut(Schema):
    reviewed_on: datetime.date
    outcome: str
    notes: str
    next_review_on: datetime.date | None


class PlanOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    case: uuid.UUID = Field(alias="case.uuid")
    status: str
    summary: str
    starts_on: datetime.date
    next_review_on: datetime.date | None
    decision_comment: str
    version: int
    goals: list[GoalOut]
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_goals(obj: CarePlan) -> list[Any]:
        return list(obj.goals.all())

    @staticmethod
    def resolve_reviews(obj: CarePlan) -> list[Any]:
        return list(obj.reviews.all())


class PlanIn(Schema):
    starts_on: datetime.date
    summary: str = Field("", max_length=100_000)

    model_config = {"extra": "forbid"}


class ActionIn(Schema):
    text: str = Field(max_length=100_000)
    responsible: str = Field(max_length=100_000)
    agency: str | None = None
    due_on: datetime.date

    model_config = {"extra": "forbid"}


class GoalIn(Schema):
    version: int
    domain: str = Field(max_length=20)
    text: str = Field(max_length=100_000)
    action: ActionIn

    model_config = {"extra": "forbid"}


class StatusIn(Schema):
    status: str = Field(max_length=12)

    model_config = {"extra": "forbid"}


class Versioned(Schema):
    version: int

    model_config = {"extra": "forbid"}


class DecisionIn(Versioned):
    approve: bool
    comment: str = Field("", max_length=500)


class ReviewIn(Versioned):
    reviewed_on: datetime.date
    outcome: str = Field(max_length=15)
    notes: str = Field("", max_length=100_000)
    next_review_on: datetime.date | None = None


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise field_error("agency", _("Unknown agency code."))
    return agency


@router.get("/cases/{uuid:case_id}/plans", response=list[PlanOut], url_name="plan_list")
def plan_list(request: HttpRequest, case_id: uuid.UUID) -> list[Any]:
    case = case_get(request.user, case_id)
    return [selectors.plan_get(request.user, p.uuid) for p in selectors.plans_of(case)]


@router.post("/cases/{uuid:case_id}/plans", response={201: PlanOut}, url_name="plan_list")
def plan_create(request: HttpRequest, case_id: uuid.UUID, payload: PlanIn) -> tuple[int, Any]:
    case = case_get(request.user, case_id)
    plan = actions.plan_create(actor=actor_of(request), case=case, **payload.model_dump())
    return 201, selectors.plan_get(request.user, plan.uuid)


@router.get("/plans/{uuid:plan_id}", response=PlanOut, url_name="plan_detail")
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> CarePlan:
    return selectors.plan_get(request.user, plan_id)


@router.post("/plans/{uuid:plan_id}/goals", response={201: PlanOut}, url_name="plan_goals")
def goal_add(request: HttpRequest, plan_id: uuid.UUID, payload: GoalIn) -> tuple[int, Any]:
    plan = selectors.plan_get(request.user, plan_id)
    actions.goal_add(
        actor=actor_of(request),
        plan=plan,
        version=payload.version,
        domain=payload.domain,
        text=payload.text,
        action_text=payload.action.text,
        responsible=payload.action.responsible,
        agency=_agency(payload.action.agency),
        due_on=payload.action.due_on,
    )
    return 201, selectors.plan_get(request.user, plan_id)


@router.post(
    "/plans/{uuid:plan_id}/goals/{uuid:goal_id}/actions",
    response={201: ActionOut},
    url_name="plan_actions",
)
def action_add(
    request: HttpRequest, plan_id: uuid.UUID, goal_id: uuid.UUID, payload: ActionIn
) -> tuple[int, Any]:
    plan = selectors.plan_get(request.user, plan_id)
    goal = next((g for g in plan.goals.all() if g.uuid == goal_id), None)
    if goal is None:
        raise field_error("goal", _("No such goal in this plan."))
    action = actions.action_add(
        actor=actor_of(request),
        goal=goal,
        text=payload.text,
        responsible=payload.responsible,
        agency=_agency(payload.agency),
        due_on=payload.due_on,
    )
    return 201, action


@router.patch("/plan-actions/{uuid:action_id}", response=ActionOut, url_name="plan_action_detail")
def action_status(request: HttpRequest, action_id: uuid.UUID, payload: StatusIn) -> Any:
    action = selectors.action_get(request.user, action_id)
    return actions.action_set_status(actor=actor_of(request), action=action, status=payload.status)


@router.post("/plans/{uuid:plan_id}/submit", response=PlanOut, url_name="plan_submit")
def plan_submit(request: HttpRequest, plan_id: uuid.UUID, payload: Versioned) -> Any:
    plan = selectors.plan_get(request.user, plan_id)
    actions.plan_submit(actor=actor_of(request), plan=plan, version=payload.version)
    return selectors.plan_get(request.user, plan_id)


@router.post("/plans/{uuid:plan_id}/decision", response=PlanOut, url_name="plan_decision")
def plan_decision(request: HttpRequest, plan_id: uuid.UUID, payload: DecisionIn) -> Any:
    plan = selectors.plan_get(request.user, plan_id)
    actions.plan_decide(
        actor=actor_of(request),
        plan=plan,
        approve=payload.approve,
        version=payload.version,
        comment=payload.comment,
    )
    return selectors.plan_get(request.user, plan_id)


@router.post("/plans/{uuid:plan_id}/reviews", response={201: PlanOut}, url_name="plan_reviews")
def plan_review(request: HttpRequest, plan_id: uuid.UUID, payload: ReviewIn) -> tuple[int, Any]:
    plan = selectors.plan_get(request.user, plan_id)
    actions.plan_review(actor=actor_of(request), plan=plan, **payload.model_dump())
    return 201, selectors.plan_get(request.user, plan_id)


@router.get("/plans/{uuid:plan_id}/pdf", url_name="plan_pdf")
def plan_print(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=plan.case.child, detail="care plan pdf"
    )
    response = HttpResponse(plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.case.child.case_number}.pdf"'
    )
    return response
