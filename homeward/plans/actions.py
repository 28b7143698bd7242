"""Every write to care plans: drafting, approval, action progress and reviews."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.actions import _team_supervisor, case_event_add, task_open, tasks_close
from homeward.cases.models import Case, CaseEventType, CaseStatus, TaskKind
from homeward.cases.pipeline import review_interval_days
from homeward.core.errors import check_version
from homeward.indicators.facts import refresh as refresh_facts
from homeward.plans.models import (
    ActionStatus,
    CarePlan,
    Goal,
    PlanAction,
    PlanReview,
    PlanStatus,
)

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User

EDITABLE = {PlanStatus.DRAFT, PlanStatus.RETURNED}


def _editable(plan: CarePlan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            {"status": _("This plan is no longer a draft: start a new plan to change it.")}
        )


def _lock(plan: CarePlan, version: int | None) -> CarePlan:
    locked = (
        CarePlan.objects.select_for_update().select_related("case", "case__child").get(pk=plan.pk)
    )
    check_version(locked.version, version)
    return locked


def _touch(plan: CarePlan) -> None:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])


@transaction.atomic
def plan_create(
    *, actor: User, case: Case, starts_on: datetime.date, summary: str = ""
) -> CarePlan:
    """A new draft; the goals and open actions of the current approved plan are carried over."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("The case is closed.")})
    if case.plans.filter(
        status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED]
    ).exists():
        raise ValidationError({"case": _("This case already has a plan in preparation.")})
    plan = CarePlan(case=case, starts_on=starts_on, summary=summary, created_by=actor)
    plan.full_clean()
    plan.save()
    current = case.plans.filter(status=PlanStatus.APPROVED).first()
    if current is not None:
        for goal in current.goals.prefetch_related("actions"):
            copy = Goal.objects.create(plan=plan, domain=goal.domain, text=goal.text)
            for action in goal.actions.exclude(
                status__in=[ActionStatus.DONE, ActionStatus.CANCELLED]
            ):
                PlanAction.objects.create(
                    goal=copy,
                    text=action.text,
                    responsible=action.responsible,
                    agency=action.agency,
                    due_on=action.due_on,
                    status=action.status,
                )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case.child,
        changes={"plan": [None, str(plan.uuid)]},
    )
    return plan


@transaction.atomic
def goal_add(
    *,
    actor: User,
    plan: CarePlan,
    version: int | None,
    domain: str,
    text: str,
    action_text: str,
    responsible: str,
    agency: Agency | None,
    due_on: datetime.date,
) -> Goal:
    """A goal with its first action (a goal without any action is not a plan)."""
    locked = _lock(plan, version)
    _editable(locked)
    goal = Goal(plan=locked, domain=domain, text=text)
    goal.full_clean()
    goal.save()
    action_add(
        actor=actor,
        goal=goal,
        text=action_text,
        responsible=responsible,
        agency=agency,
        due_on=due_on,
    )
    _touch(locked)
    return goal


@transaction.atomic
def action_add(
    *,
    actor: User,
    goal: Goal,
    text: str,
    responsible: str,
    agency: Agency | None,
    due_on: datetime.date,
) -> PlanAction:
    _editable(goal.plan)
    if due_on < goal.plan.starts_on:
        raise ValidationError({"due_on": _("An action cannot be due before the plan starts.")})
    action = PlanAction(goal=goal, text=text, responsible=responsible, agency=agency, due_on=due_on)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    """Progress of an action, recorded on approved plans too (that is the implementation)."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = action.status
    action.status = status
    action.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=action.goal.plan.case.child,
        changes={"plan_action": [before, status]},
    )
    return action


@transaction.atomic
def plan_submit(*, actor: User, plan: CarePlan, version: int | None) -> CarePlan:
    locked = _lock(plan, version)
    _editable(locked)
    goals = list(locked.goals.prefetch_related("actions"))
    if not goals or any(not g.actions.all() for g in goals):
        raise ValidationError({"goals": _("Every plan needs goals, and every goal an action.")})
    locked.status = PlanStatus.SUBMITTED
    locked.submitted_by = actor
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    case = locked.case
    case_event_add(
        case=case, type=CaseEventType.PLAN_SUBMITTED, actor=actor, data={"plan": str(locked.uuid)}
    )
    approver = case.supervisor or _team_supervisor(case)
    if approver is not None and approver.pk != actor.pk:
        task_open(
            case=case,
            assigned_to=approver,
            kind=TaskKind.APPROVAL,
            title=_("Approve the care plan of case %(number)s")
            % {"number": case.child.case_number},
            due_at=timezone.now() + datetime.timedelta(days=3),
            source=f"approval:plan:{locked.uuid}",
        )
    return locked


@transaction.atomic
def plan_decide(
    *, actor: User, plan: CarePlan, approve: bool, version: int | None, comment: str = ""
) -> CarePlan:
    """A supervisor approves or returns a submitted plan; nobody approves their own."""
    locked = _lock(plan, version)
    if locked.status != PlanStatus.SUBMITTED:
        raise ValidationError({"status": _("This plan is not waiting for approval.")})
    if locked.submitted_by_id == actor.pk or locked.created_by_id == actor.pk:
        raise ValidationError({"status": _("You cannot approve your own plan.")})
    case = locked.case
    tasks_close(case=case, source_prefix=f"approval:plan:{locked.uuid}", actor=actor)
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_comment = comment
    if approve:
        case.plans.filter(status=PlanStatus.APPROVED).update(status=PlanStatus.SUPERSEDED)
        locked.status = PlanStatus.APPROVED
        if locked.next_review_on is None:
            locked.next_review_on = timezone.localdate() + datetime.timedelta(
                days=review_interval_days(case.risk_level)
            )
        case_event_add(
            case=case,
            type=CaseEventType.PLAN_APPROVED,
            actor=actor,
            data={"plan": str(locked.uuid)},
        )
        Case.objects.filter(pk=case.pk).update(next_review_on=locked.next_review_on)
    else:
        locked.status = PlanStatus.RETURNED
    locked.version += 1
    locked.save()
    if approve:
        refresh_facts([case.child_id])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case.child,
        changes={"plan_status": [PlanStatus.SUBMITTED, locked.status]},
    )
    return locked


@transaction.atomic
def plan_review(
    *,
    actor: User,
    plan: CarePlan,
    version: int | None,
    reviewed_on: datetime.date,
    outcome: str,
    notes: str,
    next_review_on: datetime.date | None,
) -> PlanReview:
    locked = _lock(plan, version)
    errors: dict[str, Any] = {}
    if locked.status != PlanStatus.APPROVED:
        errors["status"] = _("Only an approved plan is reviewed.")
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("A review cannot be dated in the future.")
    if next_review_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = _("The next review must come after this one.")
    if errors:
        raise ValidationError(errors)
    review = PlanReview(
        plan=locked,
        reviewed_on=reviewed_on,
        outcome=outcome,
        notes=notes,
        next_review_on=next_review_on,
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    case = locked.case
    locked.next_review_on = next_review_on or reviewed_on + datetime.timedelta(
        days=review_interval_days(case.risk_level)
    )
    locked.version += 1
    locked.save()
    refresh_facts([case.child_id])
    Case.objects.filter(pk=case.pk).update(next_review_on=locked.next_review_on)
    tasks_close(case=case, source_prefix="review:", actor=actor)
    case.next_review_on = locked.next_review_on
    owner = case.case_manager or case.supervisor
    if owner is not None:
        task_open(
            case=case,
            assigned_to=owner,
            kind=TaskKind.REVIEW,
            title=_("Review the care plan"),
            due_at=datetime.datetime.combine(
                locked.next_review_on, datetime.time(17), timezone.get_current_timezone()
            ),
            source=f"review:{locked.next_review_on.isoformat()}",
        )
    case_event_add(
        case=case,
        type=CaseEventType.PLAN_REVIEWED,
        actor=actor,
        data={"outcome": outcome, "next_review_on": str(locked.next_review_on)},
    )
    return review
