"""Opening cases, assigning workers, and recording or withdrawing consent."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.roles import Role
from homeward.access.scoping import has_role_in, team_for
from homeward.audit.actions import audit_record, created_fields
from homeward.audit.models import AuditAction
from homeward.cases.files import check_upload
from homeward.cases.models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseEventType,
    CaseNote,
    CaseStatus,
    Conference,
    Consent,
    ConsentGiver,
    ConsentKind,
    Task,
    TaskKind,
    attachment_path,
)
from homeward.cases.pipeline import (
    ALLOWED_MOVES,
    OPEN_STATUSES,
    review_interval_days,
    step_deadline,
)
from homeward.core.errors import check_version

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User, WorkingGroup
    from homeward.registry.models import Child


@transaction.atomic
def case_open(*, actor: User, child: Child, agency: Agency) -> Case:
    """The case of a newly registered child; its registering case manager manages it."""
    case = Case(
        child=child,
        agency=agency,
        team=team_for(actor, agency),
        case_manager=actor if has_role_in(actor, agency, Role.CASE_MANAGER) else None,
        opened_on=timezone.localdate(),
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, changes=created_fields(case))
    case_event_add(case=case, type=CaseEventType.OPENED, actor=actor)
    return case


def case_event_add(
    *, case: Case, type: str, actor: User | None, data: dict[str, Any] | None = None
) -> CaseEvent:
    """One line of the case chronology."""
    return CaseEvent.objects.create(
        case=case, type=type, actor=actor, occurred_at=timezone.now(), data=data or {}
    )


def _owner(case: Case) -> User | None:
    """Who a case's tasks go to: its case manager, else its supervisor."""
    return case.case_manager or case.supervisor


def task_open(
    *,
    case: Case | None,
    assigned_to: User,
    kind: str,
    title: str,
    due_at: datetime.datetime,
    source: str = "",
) -> Task:
    """A task; one with a source is created once while it stays open."""
    if source:
        existing = Task.objects.filter(case=case, source=source, completed_at__isnull=True)
        found = existing.first()
        if found is not None:
            return found
    task = Task(
        case=case, assigned_to=assigned_to, kind=kind, title=title, due_at=due_at, source=source
    )
    task.full_clean()
    task.save()
    return task


def tasks_close(*, case: Case, source_prefix: str, actor: User | None) -> int:
    return Task.objects.filter(
        case=case, source__startswith=source_prefix, completed_at__isnull=True
    ).update(completed_at=timezone.now(), completed_by=actor)


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    if task.completed_at is None:
        task.completed_at = timezone.now()
        task.completed_by = actor
        task.save(update_fields=["completed_at", "completed_by"])
    return task


def _deadline_task(case: Case, actor: User | None) -> None:
    """The deadline of the step the case is now in, for its owner."""
    owner = _owner(case)
    limit = step_deadline(case.status, case.risk_level)
    if owner is None or limit is None:
        return
    task_open(
        case=case,
        assigned_to=owner,
        kind=TaskKind.DEADLINE,
        title=_("Complete the step: %(step)s") % {"step": CaseStatus(case.status).label},
        due_at=timezone.now() + limit,
        source=f"deadline:{case.status}",
    )


def _review_task(case: Case) -> None:
    owner = _owner(case)
    if owner is None or case.next_review_on is None:
        return
    due = datetime.datetime.combine(
        case.next_review_on, datetime.time(17), timezone.get_current_timezone()
    )
    task_open(
        case=case,
        assigned_to=owner,
        kind=TaskKind.REVIEW,
        title=_("Review the case"),
        due_at=due,
        source=f"review:{case.next_review_on.isoformat()}",
    )


def _locked(case: Case, version: int | None) -> Case:
    locked = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    check_version(locked.version, version)
    return locked


def _save(locked: Case, actor: User, changes: dict[str, Any]) -> None:
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changes)


@transaction.atomic
def case_move(*, actor: User, case: Case, to: str, version: int | None) -> Case:
    """Move a case to its next step, along the table of allowed moves only."""
    locked = _locked(case, version)
    if to not in ALLOWED_MOVES.get(locked.status, frozenset()):
        raise ValidationError(
            {
                "status": _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {
                    "from": CaseStatus(locked.status).label,
                    "to": CaseStatus(to).label if to in CaseStatus.values else to,
                }
            }
        )
    if to == CaseStatus.IMPLEMENTATION:
        from homeward.plans.selectors import has_approved_plan

        if not has_approved_plan(locked):
            raise ValidationError(
                {"status": _("A supervisor must approve the care plan before implementation.")}
            )
    before = locked.status
    locked.status = to
    if to == CaseStatus.REVIEW or (to == CaseStatus.IMPLEMENTATION and not locked.next_review_on):
        days = review_interval_days(locked.risk_level)
        locked.next_review_on = timezone.localdate() + datetime.timedelta(days=days)
    _save(locked, actor, {"status": [before, to]})
    tasks_close(case=locked, source_prefix=f"deadline:{before}", actor=actor)
    if before == CaseStatus.REVIEW:
        tasks_close(case=locked, source_prefix="review:", actor=actor)
    case_event_add(
        case=locked, type=CaseEventType.STATUS_CHANGED, actor=actor, data={"from": before, "to": to}
    )
    _deadline_task(locked, actor)
    if to == CaseStatus.IMPLEMENTATION:
        _review_task(locked)
    return locked


@transaction.atomic
def case_set_risk(*, actor: User, case: Case, risk_level: str, version: int | None) -> Case:
    locked = _locked(case, version)
    before = locked.risk_level
    locked.risk_level = risk_level
    _save(locked, actor, {"risk_level": [before, risk_level]})
    case_event_add(
        case=locked, type=CaseEventType.RISK_SET, actor=actor, data={"risk_level": risk_level}
    )
    # The current step's deadline follows the new risk level.
    tasks_close(case=locked, source_prefix=f"deadline:{locked.status}", actor=actor)
    _deadline_task(locked, actor)
    return locked


@transaction.atomic
def case_request_closure(*, actor: User, case: Case, reason: str, version: int | None) -> Case:
    locked = _locked(case, version)
    reason = reason.strip()
    if locked.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This case is already closed.")})
    if locked.closure_requested_by_id:
        raise ValidationError({"status": _("Closure is already waiting for approval.")})
    if not reason:
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    locked.closure_reason = reason
    locked.closure_requested_by = actor
    _save(locked, actor, {"closure_requested": [None, reason]})
    case_event_add(
        case=locked, type=CaseEventType.CLOSURE_REQUESTED, actor=actor, data={"reason": reason}
    )
    approver = locked.supervisor or _team_supervisor(locked)
    if approver is not None and approver.pk != actor.pk:
        task_open(
            case=locked,
            assigned_to=approver,
            kind=TaskKind.APPROVAL,
            title=_("Approve the closure of case %(number)s")
            % {"number": locked.child.case_number},
            due_at=timezone.now() + datetime.timedelta(days=3),
            source="approval:closure",
        )
    return locked


def _team_supervisor(case: Case) -> User | None:
    from homeward.accounts.models import Membership

    if case.team_id is None:
        return None
    membership = (
        Membership.objects.filter(team_id=case.team_id, role=Role.SUPERVISOR)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def case_decide_closure(
    *, actor: User, case: Case, approve: bool, version: int | None, comment: str = ""
) -> Case:
    """A supervisor approves or refuses a requested closure; nobody approves their own."""
    locked = _locked(case, version)
    if not locked.closure_requested_by_id:
        raise ValidationError({"status": _("No closure is waiting for approval.")})
    if locked.closure_requested_by_id == actor.pk:
        raise ValidationError({"status": _("You cannot approve your own request.")})
    tasks_close(case=locked, source_prefix="approval:closure", actor=actor)
    if approve:
        before = locked.status
        locked.status = CaseStatus.CLOSED
        locked.closed_on = timezone.localdate()
        locked.closure_requested_by = None
        _save(locked, actor, {"status": [before, CaseStatus.CLOSED]})
        Task.objects.filter(case=locked, completed_at__isnull=True).update(
            completed_at=timezone.now(), completed_by=actor
        )
        case_event_add(
            case=locked,
            type=CaseEventType.CLOSED,
            actor=actor,
            data={"reason": locked.closure_reason, "comment": comment},
        )
    else:
        locked.closure_requested_by = None
        _save(locked, actor, {"closure_requested": [locked.closure_reason, None]})
        case_event_add(
            case=locked, type=CaseEventType.CLOSURE_REJECTED, actor=actor, data={"comment": comment}
        )
    return locked


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str, version: int | None) -> Case:
    locked = _locked(case, version)
    if locked.status != CaseStatus.CLOSED:
        raise ValidationError({"status": _("Only a closed case can be reopened.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the case.")})
    locked.status = CaseStatus.INITIAL_ASSESSMENT
    locked.closed_on = None
    locked.closure_reason = ""
    _save(locked, actor, {"status": [CaseStatus.CLOSED, CaseStatus.INITIAL_ASSESSMENT]})
    case_event_add(
        case=locked, type=CaseEventType.REOPENED, actor=actor, data={"reason": reason.strip()}
    )
    _deadline_task(locked, actor)
    return locked


@transaction.atomic
def case_reassign(*, actor: User, cases: list[Case], case_manager: User) -> int:
    """Give cases to another case manager; their open tasks follow."""
    moved = 0
    for case in cases:
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.case_manager_id == case_manager.pk:
            continue
        before = locked.case_manager
        Task.objects.filter(case=locked, completed_at__isnull=True, assigned_to=before).update(
            assigned_to=case_manager
        )
        locked.case_manager = case_manager
        _save(
            locked,
            actor,
            {
                "case_manager": [
                    before.get_username() if before else None,
                    case_manager.get_username(),
                ]
            },
        )
        case_event_add(
            case=locked,
            type=CaseEventType.REASSIGNED,
            actor=actor,
            data={"to": case_manager.get_username()},
        )
        moved += 1
    return moved


@transaction.atomic
def note_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    happened_on: datetime.date,
    participants: str,
    text: str,
) -> CaseNote:
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A note cannot be dated in the future.")})
    note = CaseNote(
        case=case,
        kind=kind,
        happened_on=happened_on,
        participants=participants,
        text=text,
        author=actor,
    )
    note.full_clean()
    note.save()
    case_event_add(
        case=case,
        type=CaseEventType.NOTE_ADDED,
        actor=actor,
        data={"note": str(note.uuid), "kind": kind},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case.child,
        changes={"note": [None, str(note.uuid)]},
    )
    return note


@transaction.atomic
def case_assign(*, actor: User, case: Case, user: User) -> CaseAssignment:
    if CaseAssignment.objects.filter(case=case, user=user, ended_on__isnull=True).exists():
        raise ValidationError({"user": _("This worker is already assigned to the case.")})
    assignment = CaseAssignment.objects.create(
        case=case, user=user, assigned_on=timezone.localdate()
    )
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        obj=case.child,
        changes={"assigned": [None, user.get_username()]},
    )
    return assignment


def age_on(child: Child, day: datetime.date) -> int:
    born = child.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def required_givers(age: int) -> set[str]:
    """Who may give consent at this age (DOMAIN §2, bands set in CONSENT_AGE_BANDS)."""
    caregiver_only_below, child_alone_from = settings.CONSENT_AGE_BANDS
    if age < caregiver_only_below:
        return {ConsentGiver.CAREGIVER, ConsentGiver.BOTH}
    if age < child_alone_from:
        return {ConsentGiver.BOTH}
    return {ConsentGiver.CHILD, ConsentGiver.BOTH}


@transaction.atomic
def consent_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    given_by: str,
    given_on: datetime.date,
    agency: Agency | None = None,
    working_group: WorkingGroup | None = None,
    service_type: str = "",
    notes: str = "",
) -> Consent:
    errors: dict[str, Any] = {}
    if given_on > timezone.localdate():
        errors["given_on"] = _("Consent cannot be dated in the future.")
    elif given_on < child.date_of_birth:
        errors["given_on"] = _("Consent cannot be dated before the child's birth.")
    elif given_by in ConsentGiver.values and given_by not in required_givers(
        age_on(child, given_on)
    ):
        errors["given_by"] = _("At this age consent is given by: %(who)s.") % {
            "who": ", ".join(
                str(ConsentGiver(g).label) for g in sorted(required_givers(age_on(child, given_on)))
            )
        }
    recipients = [r for r in (agency, working_group, service_type) if r]
    if kind == ConsentKind.SHARING and len(recipients) != 1:
        errors["agency"] = _("Name the one agency, working group or service type it allows.")
    if kind != ConsentKind.SHARING and recipients:
        errors["kind"] = _("Only consent to sharing names an agency or service.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        child=child,
        kind=kind,
        given_by=given_by,
        given_on=given_on,
        agency=agency,
        working_group=working_group,
        service_type=service_type,
        notes=notes,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=child,
        changes={
            "consent": [None, f"{kind}:{given_by}:{given_on}"],
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdrawal takes effect at once: shares resting on this consent stop counting."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent is already withdrawn.")})
    if withdrawn_on > timezone.localdate() or withdrawn_on < locked.given_on:
        raise ValidationError(
            {"withdrawn_on": _("The withdrawal date must be between the consent and today.")}
        )
    locked.withdrawn_on = withdrawn_on
    locked.withdrawn_by = actor
    locked.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.child,
        changes={"consent_withdrawn": [str(locked.uuid), str(withdrawn_on)]},
    )
    return locked


@transaction.atomic
def attachment_add(
    *, actor: User, case: Case, upload: UploadedFile, description: str = ""
) -> Attachment:
    checked = check_upload(upload)
    attachment = Attachment(
        case=case,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(attachment_path(attachment, checked.name), upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # nothing half-saved: no file without its row
        raise
    case_event_add(
        case=case,
        type=CaseEventType.ATTACHMENT_ADDED,
        actor=actor,
        data={"attachment": str(attachment.uuid), "name": checked.name},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case.child,
        changes={"attachment": [None, checked.name]},
    )
    return attachment


@transaction.atomic
def conference_record(
    *,
    actor: User,
    case: Case,
    held_on: datetime.date,
    agencies: list[Agency],
    participants: str,
    decisions: str,
    next_review_on: datetime.date | None,
    action_items: list[tuple[User, str, datetime.date]],
) -> Conference:
    """Record a conference; its action items become tasks, its next review the case's."""
    errors: dict[str, Any] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("A conference cannot be recorded before it is held.")
    if next_review_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = _("The next review must come after the conference.")
    if errors:
        raise ValidationError(errors)
    conference = Conference(
        case=case,
        held_on=held_on,
        participants=participants,
        decisions=decisions,
        next_review_on=next_review_on,
        recorded_by=actor,
    )
    conference.full_clean()
    conference.save()
    conference.agencies.set(agencies)
    for index, (assignee, text, due_on) in enumerate(action_items, start=1):
        task_open(
            case=case,
            assigned_to=assignee,
            kind=TaskKind.ACTION,
            title=text,
            due_at=datetime.datetime.combine(
                due_on, datetime.time(17), timezone.get_current_timezone()
            ),
            source=f"conference:{conference.uuid}:{index}",
        )
    if next_review_on is not None:
        Case.objects.filter(pk=case.pk).update(next_review_on=next_review_on)
        case.next_review_on = next_review_on
        _review_task(case)
    case_event_add(
        case=case,
        type=CaseEventType.CONFERENCE_HELD,
        actor=actor,
        data={"conference": str(conference.uuid), "agencies": [a.code for a in agencies]},
    )
    return conference
