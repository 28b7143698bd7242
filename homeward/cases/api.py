"""Cases through the API: the same selectors and actions as the pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from homeward.accounts.models import Agency, User
from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases import actions, selectors
from homeward.cases.models import Case, Task
from homeward.cases.pipeline import OPEN_STATUSES, allowed_moves
from homeward.core.requests import actor_of

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    child: uuid.UUID = Field(alias="child.uuid")
    case_number: str = Field(alias="child.case_number")
    status: str
    risk_level: str
    case_manager: str | None = None
    agency: str = Field(alias="agency.code")
    opened_on: datetime.date
    closed_on: datetime.date | None
    next_review_on: datetime.date | None
    closure_requested: bool
    allowed_moves: list[str]
    version: int

    @staticmethod
    def resolve_case_manager(obj: Case) -> str | None:
        return obj.case_manager.username if obj.case_manager else None

    @staticmethod
    def resolve_closure_requested(obj: Case) -> bool:
        return obj.closure_requested_by_id is not None

    @staticmethod
    def resolve_allowed_moves(obj: Case) -> list[str]:
        return allowed_moves(obj.status)


class EventOut(Schema):
    type: str
    occurred_at: datetime.datetime
    actor: str | None = None
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.username if obj.actor else None


class TaskOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    case: uuid.UUID | None = None
    kind: str
    title: str
    due_at: datetime.datetime
    assigned_to: str = Field(alias="assigned_to.username")
    completed_at: datetime.datetime | None

    @staticmethod
    def resolve_case(obj: Task) -> uuid.UUID | None:
        return obj.case.uuid if obj.case else None


class NoteOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    kind: str
    happened_on: datetime.date
    participants: str
    text: str
    author: str | None = None

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.username if obj.author else None


class CaseDetailOut(CaseOut):
    events: list[EventOut]
    tasks: list[TaskOut]

    @staticmethod
    def resolve_events(obj: Case) -> list[Any]:
        return list(selectors.case_chronology(obj)[:200])

    @staticmethod
    def resolve_tasks(obj: Case) -> list[Any]:
        return list(selectors.open_tasks(obj))


class CaseQuery(Schema):
    status: str = Field("", max_length=30)
    risk_level: str = Field("", max_length=10)
    mine: bool = False


class Versioned(Schema):
    version: int

    model_config = {"extra": "forbid"}


class MoveIn(Versioned):
    to: str = Field(max_length=30)


class RiskIn(Versioned):
    risk_level: str = Field(max_length=10)


class ReasonIn(Versioned):
    reason: str = Field(max_length=500)


class DecisionIn(Versioned):
    approve: bool
    comment: str = Field("", max_length=500)


class NoteIn(Schema):
    kind: str = Field(max_length=10)
    happened_on: datetime.date
    participants: str = Field("", max_length=100_000)
    text: str = Field(max_length=100_000)

    model_config = {"extra": "forbid"}


class ActionItemIn(Schema):
    assignee: str = Field(max_length=150)
    text: str = Field(max_length=300)
    due_on: datetime.date


class ConferenceIn(Schema):
    held_on: datetime.date
    agencies: list[str] = []
    participants: str = Field(max_length=100_000)
    decisions: str = Field(max_length=100_000)
    next_review_on: datetime.date | None = None
    action_items: list[ActionItemIn] = []

    model_config = {"extra": "forbid"}


class ReassignIn(Schema):
    cases: list[uuid.UUID] = Field(min_length=1, max_length=500)
    case_manager: str = Field(max_length=150)

    model_config = {"extra": "forbid"}


class WorkerLoadOut(Schema):
    user: str
    open_cases: int
    overdue_tasks: int
    high_risk: int


def _cases(request: HttpRequest) -> QuerySet[Case]:
    return selectors.cases_for_user(request.user).select_related("child", "agency", "case_manager")


@router.get("/cases", response=Page[CaseOut], url_name="case_list")
def case_list(
    request: HttpRequest, query: Query[CaseQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    cases = _cases(request)
    if query.status:
        cases = cases.filter(status=query.status)
    if query.risk_level:
        cases = cases.filter(risk_level=query.risk_level)
    if query.mine:
        cases = cases.filter(case_manager_id=request.user.pk, status__in=OPEN_STATUSES)
    return page_of(cases.order_by("child__family_name", "pk"), paging)


@router.get("/cases/{uuid:case_id}", response=CaseDetailOut, url_name="case_detail")
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return selectors.case_get(request.user, case_id)


@router.post("/cases/{uuid:case_id}/move", response=CaseOut, url_name="case_move")
def case_move(request: HttpRequest, case_id: uuid.UUID, payload: MoveIn) -> Case:
    case = selectors.case_get(request.user, case_id)
    return actions.case_move(
        actor=actor_of(request), case=case, to=payload.to, version=payload.version
    )


@router.post("/cases/{uuid:case_id}/risk", response=CaseOut, url_name="case_risk")
def case_risk(request: HttpRequest, case_id: uuid.UUID, payload: RiskIn) -> Case:
    case = selectors.case_get(request.user, case_id)
    return actions.case_set_risk(
        actor=actor_of(request), case=case, risk_level=payload.risk_level, version=payload.version
    )


@router.post("/cases/{uuid:case_id}/closure", response=CaseOut, url_name="case_closure")
def case_closure(request: HttpRequest, case_id: uuid.UUID, payload: ReasonIn) -> Case:
    case = selectors.case_get(request.user, case_id)
    return actions.case_request_closure(
        actor=actor_of(request), case=case, reason=payload.reason, version=payload.version
    )


@router.post(
    "/cases/{uuid:case_id}/closure/decision", response=CaseOut, url_name="case_closure_decision"
)
def case_closure_decision(request: HttpRequest, case_id: uuid.UUID, payload: DecisionIn) -> Case:
    case = selectors.case_get(request.user, case_id)
    return actions.case_decide_closure(
        actor=actor_of(request),
        case=case,
        approve=payload.approve,
        version=payload.version,
        comment=payload.comment,
    )


@router.post("/cases/{uuid:case_id}/reopen", response=CaseOut, url_name="case_reopen")
def case_reopen(request: HttpRequest, case_id: uuid.UUID, payload: ReasonIn) -> Case:
    case = selectors.case_get(request.user, case_id)
    return actions.case_reopen(
        actor=actor_of(request), case=case, reason=payload.reason, version=payload.version
    )


@router.get("/cases/{uuid:case_id}/notes", response=list[NoteOut], url_name="case_notes")
def case_notes(request: HttpRequest, case_id: uuid.UUID) -> list[Any]:
    return list(selectors.case_notes(selectors.case_get(request.user, case_id)))


@router.post("/cases/{uuid:case_id}/notes", response={201: NoteOut}, url_name="case_notes")
def case_note_add(request: HttpRequest, case_id: uuid.UUID, payload: NoteIn) -> tuple[int, Any]:
    case = selectors.case_get(request.user, case_id)
    return 201, actions.note_add(actor=actor_of(request), case=case, **payload.model_dump())


class AttachmentOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    original_name: str
    content_type: str
    size: int
    description: str
    created_at: datetime.datetime


@router.post(
    "/cases/{uuid:case_id}/attachments",
    response={201: AttachmentOut},
    url_name="case_attachments",
)
def attachment_add(
    request: HttpRequest,
    case_id: uuid.UUID,
    file: File[UploadedFile],
    description: Form[str] = "",
) -> tuple[int, Any]:
    case = selectors.case_get(request.user, case_id)
    if len(description) > 300:
        raise field_error("description", _("Ensure this value has at most 300 characters."))
    return 201, actions.attachment_add(
        actor=actor_of(request), case=case, upload=file, description=description
    )


@router.get(
    "/cases/{uuid:case_id}/attachments",
    response=list[AttachmentOut],
    url_name="case_attachments",
)
def attachment_list(request: HttpRequest, case_id: uuid.UUID) -> list[Any]:
    return list(selectors.case_get(request.user, case_id).attachments.all())


@router.get("/attachments/{uuid:attachment_id}", url_name="attachment_download")
def attachment_download(request: HttpRequest, attachment_id: uuid.UUID) -> FileResponse:
    attachment = selectors.attachment_get(request.user, attachment_id)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=attachment.case.child,
        detail=f"attachment {attachment.original_name}",
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@router.post(
    "/cases/{uuid:case_id}/conferences", response={201: dict[str, str]}, url_name="case_conferences"
)
def conference_add(
    request: HttpRequest, case_id: uuid.UUID, payload: ConferenceIn
) -> tuple[int, dict[str, str]]:
    case = selectors.case_get(request.user, case_id)
    agencies = list(Agency.objects.filter(code__in=payload.agencies))
    if len(agencies) != len(set(payload.agencies)):
        raise field_error("agencies", _("Unknown agency code."))
    allowed = {u.username: u for u in selectors.possible_assignees(case)}
    items: list[tuple[User, str, datetime.date]] = []
    for item in payload.action_items:
        if item.assignee not in allowed:
            raise field_error(
                "action_items",
                _("%(user)s cannot take tasks of this case.") % {"user": item.assignee},
            )
        items.append((allowed[item.assignee], item.text, item.due_on))
    conference = actions.conference_record(
        actor=actor_of(request),
        case=case,
        held_on=payload.held_on,
        agencies=agencies,
        participants=payload.participants,
        decisions=payload.decisions,
        next_review_on=payload.next_review_on,
        action_items=items,
    )
    return 201, {"id": str(conference.uuid)}


@router.get("/tasks", response=Page[TaskOut], url_name="task_list")
def task_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """Your open tasks, soonest first."""
    tasks = (
        Task.objects.filter(assigned_to_id=request.user.pk, completed_at__isnull=True)
        .select_related("case", "assigned_to")
        .order_by("due_at", "pk")
    )
    return page_of(tasks, paging)


@router.post("/tasks/{uuid:task_id}/done", response=TaskOut, url_name="task_complete")
def task_complete(request: HttpRequest, task_id: uuid.UUID) -> Task:
    task = selectors.task_get(request.user, task_id)
    return actions.task_complete(actor=actor_of(request), task=task)


@router.get("/team", response=list[WorkerLoadOut], url_name="team_load")
def team_load(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "user": row.user.username,
            "open_cases": row.open_cases,
            "overdue_tasks": row.overdue_tasks,
            "high_risk": row.high_risk,
        }
        for row in selectors.team_load(request.user)
    ]


@router.post("/team/reassign", response=dict[str, int], url_name="team_reassign")
def team_reassign(request: HttpRequest, payload: ReassignIn) -> dict[str, int]:
    workers = {u.username: u for u in selectors.team_members(request.user)}
    if payload.case_manager not in workers:
        raise field_error("case_manager", _("Choose a case manager of your team."))
    cases = list(selectors.team_cases(request.user).filter(uuid__in=payload.cases))
    if len(cases) != len(set(payload.cases)):
        raise ValidationError({"cases": _("Some of these cases are not in your team.")})
    moved = actions.case_reassign(
        actor=actor_of(request), cases=cases, case_manager=workers[payload.case_manager]
    )
    return {"reassigned": moved}
