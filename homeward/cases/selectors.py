"""Reads of cases and consents (the child itself was already read through its scope)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.access.roles import Role
from homeward.access.scoping import memberships
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseNote,
    Consent,
    ConsentKind,
    RiskLevel,
    Task,
    TaskKind,
)
from homeward.cases.pipeline import OPEN_STATUSES
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.registry.models import Child


def consents_of(child: Child) -> QuerySet[Consent]:
    return child.consents.select_related("agency", "working_group").order_by("-given_on", "-id")


def active_sharing_consents(child: Child) -> QuerySet[Consent]:
    return consents_of(child).filter(kind=ConsentKind.SHARING, withdrawn_on__isnull=True)


def consent_get(user: User | AnonymousUser, consent_uuid: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.filter(uuid=consent_uuid, child__in=children_for_user(user).values("pk"))
        .select_related("child")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


# --- cases, tasks and the team ------------------------------------------------------------


def cases_for_user(user: User | AnonymousUser) -> QuerySet[Case]:
    """Cases of the children the user may see (the case follows the child's scope)."""
    return Case.objects.filter(child__in=children_for_user(user).values("pk"))


def case_get(user: User | AnonymousUser, case_uuid: uuid.UUID | str) -> Case:
    case = (
        cases_for_user(user)
        .select_related(
            "child", "child__home_location", "agency", "team", "case_manager", "supervisor"
        )
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.VIEW, obj=case.child)
    return case


def case_for_child(user: User | AnonymousUser, child: Child) -> Case | None:
    return cases_for_user(user).filter(child=child).first()


def case_chronology(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("-occurred_at", "-id")


def case_notes(case: Case) -> QuerySet[CaseNote]:
    return case.notes.select_related("author").order_by("-happened_on", "-id")


def open_tasks(case: Case) -> QuerySet[Task]:
    return case.tasks.filter(completed_at__isnull=True).select_related("assigned_to")


# How many rows each list of "My work" shows; the rest are on the task pages.
MY_WORK_ROWS = 25


class TaskGroup:
    """The task lists of "My work" and of the task pages."""

    OVERDUE = "overdue"
    COMING = "coming"
    APPROVALS = "approvals"
    ALL = (OVERDUE, COMING, APPROVALS)


@dataclass(frozen=True)
class MyWork:
    overdue: list[Task]
    due_soon: list[Task]
    reviews: list[Case]
    approvals: list[Task]
    cases: int
    counts: dict[str, int]


def _open_tasks_of(user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(assigned_to=user, completed_at__isnull=True)
        .select_related("case", "case__child")
        # What a task list shows, without each case's and child's whole record.
        .only("uuid", "kind", "title", "due_at", "case__uuid", "case__child__case_number")
        .order_by("due_at")
    )


def _group_filter(group: str, now: datetime.datetime) -> Q:
    if group == TaskGroup.APPROVALS:
        return Q(kind=TaskKind.APPROVAL)
    due = Q(due_at__lt=now) if group == TaskGroup.OVERDUE else Q(due_at__gte=now)
    return due & ~Q(kind=TaskKind.APPROVAL)


def tasks_of(user: User, group: str) -> QuerySet[Task]:
    """One of the user's open task lists, soonest due first."""
    return _open_tasks_of(user).filter(_group_filter(group, timezone.now()))


def my_work(user: User) -> MyWork:
    now = timezone.now()
    tasks = _open_tasks_of(user)
    counts = Task.objects.filter(assigned_to=user, completed_at__isnull=True).aggregate(
        **{group: Count("pk", filter=_group_filter(group, now)) for group in TaskGroup.ALL}
    )
    cases = cases_for_user(user).filter(status__in=OPEN_STATUSES)
    mine = cases.filter(Q(case_manager=user) | Q(supervisor=user))
    horizon = timezone.localdate() + datetime.timedelta(days=30)
    rows = MY_WORK_ROWS
    return MyWork(
        overdue=list(tasks.filter(_group_filter(TaskGroup.OVERDUE, now))[:rows]),
        due_soon=list(tasks.filter(_group_filter(TaskGroup.COMING, now))[:rows]),
        reviews=list(
            mine.filter(next_review_on__lte=horizon)
            .select_related("child")
            .order_by("next_review_on")[:rows]
        ),
        approvals=list(tasks.filter(_group_filter(TaskGroup.APPROVALS, now))[:rows]),
        cases=mine.count(),
        counts=counts,
    )


@dataclass(frozen=True)
class WorkerLoad:
    user: User
    open_cases: int
    overdue_tasks: int
    high_risk: int


def team_members(user: User | AnonymousUser) -> QuerySet[User]:
    """The case managers of the supervisor's teams (or agency, for one without a team)."""
    from homeward.accounts.models import Membership, User

    teams = [m.team_id for m in memberships(user) if m.role == Role.SUPERVISOR and m.team_id]
    agencies = [
        m.agency_id for m in memberships(user) if m.role == Role.SUPERVISOR and not m.team_id
    ]
    workers = Membership.objects.filter(
        Q(team_id__in=teams) | Q(agency_id__in=agencies), role=Role.CASE_MANAGER
    ).values("user_id")
    return User.objects.filter(pk__in=workers, is_active=True).order_by("username")


def team_load(user: User | AnonymousUser) -> list[WorkerLoad]:
    """Caseload and overdue work per worker, in two aggregate queries."""
    members = list(team_members(user))
    visible = cases_for_user(user).filter(status__in=OPEN_STATUSES)
    cases = {
        row["case_manager"]: row
        for row in visible.filter(case_manager__in=members)
        .values("case_manager")
        .annotate(total=Count("pk"), high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)))
    }
    overdue = dict(
        Task.objects.filter(
            assigned_to__in=members, completed_at__isnull=True, due_at__lt=timezone.now()
        )
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values_list("assigned_to", "n")
    )
    return [
        WorkerLoad(
            user=member,
            open_cases=cases.get(member.pk, {}).get("total", 0),
            overdue_tasks=overdue.get(member.pk, 0),
            high_risk=cases.get(member.pk, {}).get("high", 0),
        )
        for member in members
    ]


def team_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    return (
        cases_for_user(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("child", "case_manager")
        .order_by("case_manager__username", "child__family_name", "pk")
    )


def task_get(user: User | AnonymousUser, task_uuid: uuid.UUID | str) -> Task:
    """One's own task, or a task of a case one may see."""
    task = (
        Task.objects.filter(uuid=task_uuid)
        .filter(Q(assigned_to_id=user.pk) | Q(case__in=cases_for_user(user)))
        .first()
    )
    if task is None:
        raise Http404
    return task


def attachment_get(user: User | AnonymousUser, attachment_uuid: uuid.UUID | str) -> Attachment:
    attachment = (
        Attachment.objects.filter(uuid=attachment_uuid, case__in=cases_for_user(user))
        .select_related("case__child")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def possible_assignees(case: Case) -> QuerySet[User]:
    """Who may be given a conference action item: workers of the case's agency tree."""
    from homeward.accounts.models import User

    root = case.agency.path.split("/", 1)[0]
    return (
        User.objects.filter(is_active=True, memberships__agency__path__startswith=root)
        .distinct()
        .order_by("username")
    )
