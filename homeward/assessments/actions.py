"""Every write to assessments and their templates."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.assessments.definition import (
    LANGUAGES,
    definition_errors,
    template_file_errors,
    tr,
)
from homeward.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from homeward.assessments.scoring import compute_scores
from homeward.assessments.validation import validate_answers
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.actions import (
    _team_supervisor,
    case_event_add,
    case_set_risk,
    task_open,
    tasks_close,
)
from homeward.cases.models import Case, CaseEventType, CaseStatus, RiskLevel, TaskKind
from homeward.core.errors import check_version

if TYPE_CHECKING:
    from homeward.accounts.models import User

# The allowed moves of an assessment's status (approval only where the form asks for it).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.RETURNED: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.SUBMITTED: frozenset({AssessmentStatus.APPROVED, AssessmentStatus.RETURNED}),
    AssessmentStatus.APPROVED: frozenset(),
}
EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})
APPROVAL_DAYS = 3


def _answer_errors(errors: Mapping[str, list[str]]) -> ValidationError:
    """Errors of the answers, keyed ``answers.<path>`` so that no question can be mistaken
    for another input (the version, the date)."""
    return ValidationError(
        {
            ("answers" if path == "answers" else f"answers.{path}"): messages
            for path, messages in errors.items()
        }
    )


def _lock(assessment: Assessment, version: int | None) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("case", "case__child", "template")
        .get(pk=assessment.pk)
    )
    check_version(locked.version, version)
    return locked


def _move(assessment: Assessment, to: str) -> str:
    before = assessment.status
    if to not in ALLOWED_MOVES.get(before, frozenset()):
        raise ValidationError(
            {
                "status": _("An assessment cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": AssessmentStatus(before).label,
                    "to": AssessmentStatus(to).label,
                }
            }
        )
    assessment.status = to
    return before


def _check_date(completed_on: datetime.date | None) -> None:
    if completed_on is not None and completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("An assessment cannot be dated in the future.")})


def _save(assessment: Assessment, actor: User, before: str, detail: str) -> None:
    assessment.version += 1
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assessment.case.child,
        changes={"assessment_status": [before, assessment.status]},
        detail=f"{detail} {assessment.uuid}",
    )


@transaction.atomic
def assessment_start(*, actor: User, case: Case, template: AssessmentTemplate) -> Assessment:
    """A new draft with the template's current version; one open draft per form and case."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("The case is closed.")})
    latest = AssessmentTemplate.objects.filter(code=template.code).order_by("-version").first()
    if latest is None or latest.pk != template.pk or not latest.is_active:
        raise ValidationError({"template": _("This form is not in use any more.")})
    if template.code in settings.NON_CASE_TEMPLATES:
        raise ValidationError({"template": _("This form is not made on a child's case.")})
    open_ones = Assessment.objects.filter(case=case, template__code=template.code)
    if open_ones.filter(status__in=EDITABLE).exists():
        raise ValidationError(
            {"template": _("This case already has an unfinished assessment with this form.")}
        )
    assessment = Assessment(case=case, template=template, created_by=actor)
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case.child,
        changes={"assessment": [None, str(assessment.uuid)], "form": [None, str(template)]},
    )
    return assessment


@transaction.atomic
def assessment_save_draft(
    *,
    actor: User,
    assessment: Assessment,
    version: int | None,
    answers: Mapping[str, Any],
    completed_on: datetime.date | None = None,
    merge: bool = False,
) -> Assessment:
    """Save answers so far. With ``merge`` the given answers replace those with the same keys
    (null removes one); otherwise they replace all. Refused whole if any answer is invalid."""
    locked = _lock(assessment, version)
    if locked.status not in EDITABLE:
        raise ValidationError({"status": _("This assessment is submitted: it cannot change.")})
    _check_date(completed_on)
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": _("Send the answers as a JSON object.")})
    combined = {**locked.answers, **answers} if merge else dict(answers)
    combined = {key: value for key, value in combined.items() if value is not None}
    checked = validate_answers(locked.template.definition, combined, complete=False)
    if not checked.ok:
        raise _answer_errors(checked.errors)
    locked.answers = checked.answers
    if completed_on is not None:
        locked.completed_on = completed_on
    _save(locked, actor, locked.status, "draft saved")
    return locked


@transaction.atomic
def assessment_submit(
    *,
    actor: User,
    assessment: Assessment,
    version: int | None,
    answers: Mapping[str, Any] | None = None,
    completed_on: datetime.date | None = None,
) -> Assessment:
    """Check every answer, compute the scores and hand the assessment in; the initial
    assessment's risk level becomes the case's. Nothing is saved if anything is refused."""
    locked = _lock(assessment, version)
    if locked.case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("The case is closed.")})
    _check_date(completed_on)
    given = locked.answers if answers is None else answers
    checked = validate_answers(locked.template.definition, given, complete=True)
    if not checked.ok:
        raise _answer_errors(checked.errors)
    before = _move(locked, AssessmentStatus.SUBMITTED)
    case = locked.case
    template = locked.template
    locked.answers = checked.answers
    locked.scores = compute_scores(template.definition, checked.answers)
    locked.completed_on = completed_on or locked.completed_on or timezone.localdate()
    locked.submitted_by = actor
    locked.submitted_at = timezone.now()
    locked.approved_by = None
    locked.approved_at = None
    _save(locked, actor, before, "submitted")
    tasks_close(case=case, source_prefix=f"revise:assessment:{locked.uuid}", actor=actor)
    case_event_add(
        case=case,
        type=CaseEventType.ASSESSMENT_SUBMITTED,
        actor=actor,
        data={
            "assessment": str(locked.uuid),
            "form": template.code,
            "levels": {k: v["level"] for k, v in locked.scores.items() if v["level"]},
        },
    )
    if template.requires_approval:
        approver = case.supervisor or _team_supervisor(case)
        if approver is not None and approver.pk != actor.pk:
            task_open(
                case=case,
                assigned_to=approver,
                kind=TaskKind.APPROVAL,
                title=_("Approve the assessment “%(form)s” of case %(number)s")
                % {"form": tr(template.title), "number": case.child.case_number},
                due_at=timezone.now() + datetime.timedelta(days=APPROVAL_DAYS),
                source=f"approval:assessment:{locked.uuid}",
            )
    risk_key = template.case_risk_score
    level = locked.scores.get(risk_key, {}).get("level") if risk_key else None
    if level in RiskLevel.values and level != case.risk_level:
        case_set_risk(actor=actor, case=case, risk_level=level, version=None)
    return locked


def _decision(actor: User, assessment: Assessment, version: int | None) -> Assessment:
    if not has_perm(actor, Perm.CASE_APPROVE):
        raise ValidationError({"status": _("Only a supervisor approves assessments.")})
    locked = _lock(assessment, version)
    if locked.status != AssessmentStatus.SUBMITTED or not locked.template.requires_approval:
        raise ValidationError({"status": _("This assessment is not waiting for approval.")})
    if actor.pk in (locked.submitted_by_id, locked.created_by_id):
        raise ValidationError({"status": _("You cannot approve your own assessment.")})
    return locked


@transaction.atomic
def assessment_approve(
    *, actor: User, assessment: Assessment, version: int | None, comment: str = ""
) -> Assessment:
    locked = _decision(actor, assessment, version)
    before = _move(locked, AssessmentStatus.APPROVED)
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.decision_comment = comment.strip()
    _save(locked, actor, before, "approved")
    tasks_close(case=locked.case, source_prefix=f"approval:assessment:{locked.uuid}", actor=actor)
    case_event_add(
        case=locked.case,
        type=CaseEventType.ASSESSMENT_APPROVED,
        actor=actor,
        data={"assessment": str(locked.uuid), "form": locked.template.code},
    )
    return locked


@transaction.atomic
def assessment_return(
    *, actor: User, assessment: Assessment, version: int | None, comment: str
) -> Assessment:
    """Send a submitted assessment back for changes; the comment says which."""
    locked = _decision(actor, assessment, version)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    before = _move(locked, AssessmentStatus.RETURNED)
    locked.decision_comment = comment.strip()
    _save(locked, actor, before, "returned")
    case = locked.case
    tasks_close(case=case, source_prefix=f"approval:assessment:{locked.uuid}", actor=actor)
    author = locked.submitted_by
    if author is not None:
        task_open(
            case=case,
            assigned_to=author,
            kind=TaskKind.ACTION,
            title=_("Revise the returned assessment “%(form)s” of case %(number)s")
            % {"form": tr(locked.template.title), "number": case.child.case_number},
            due_at=timezone.now() + datetime.timedelta(days=APPROVAL_DAYS),
            source=f"revise:assessment:{locked.uuid}",
        )
    return locked


@transaction.atomic
def template_new_version(
    *,
    actor: User,
    code: str,
    definition: Any,
    title: Mapping[str, str] | None = None,
    requires_approval: bool | None = None,
) -> AssessmentTemplate:
    """A new version of a form from an administrator's edit. Earlier versions, and every
    assessment made with them, stay exactly as they are."""
    if not has_perm(actor, Perm.TEMPLATE_MANAGE):
        raise ValidationError({"code": _("Only an administrator changes assessment forms.")})
    previous = (
        AssessmentTemplate.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if previous is None:
        raise ValidationError({"code": _("There is no form with this code.")})
    new_title = dict(title) if title is not None else previous.title
    data = {
        "code": code,
        "version": previous.version + 1,
        "title": new_title,
        "requires_approval": (
            previous.requires_approval if requires_approval is None else requires_approval
        ),
        "definition": definition,
    }
    errors = definition_errors(definition)
    if errors:
        raise ValidationError({"definition": errors})
    errors = template_file_errors(data)
    if errors:
        raise ValidationError({"title": errors})
    return _template_create(data, actor=actor, previous=previous)


def _template_create(
    data: Mapping[str, Any], *, actor: User | None, previous: AssessmentTemplate | None
) -> AssessmentTemplate:
    template = AssessmentTemplate(
        code=data["code"],
        version=data["version"],
        title={lang: data["title"][lang].strip() for lang in LANGUAGES},
        definition=data["definition"],
        requires_approval=bool(data.get("requires_approval", False)),
        is_active=previous.is_active if previous is not None else True,
        created_by=actor,
    )
    template.full_clean()
    template.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=template,
        changes={"form": [None, str(template)]},
        detail="assessment template version",
    )
    return template


@transaction.atomic
def template_load(data: Mapping[str, Any]) -> AssessmentTemplate | None:
    """Load one template file's version, unless that version already exists (a version in
    the database is never altered, whatever the file now says)."""
    errors = template_file_errors(data)
    if errors:
        raise ValidationError({"definition": errors})
    if AssessmentTemplate.objects.filter(code=data["code"], version=data["version"]).exists():
        return None
    previous = AssessmentTemplate.objects.filter(code=data["code"]).order_by("-version").first()
    return _template_create(data, actor=None, previous=previous)


@transaction.atomic
def template_set_active(*, actor: User, code: str, active: bool) -> AssessmentTemplate:
    """Offer a form for new assessments, or stop offering it (existing ones stay)."""
    if not has_perm(actor, Perm.TEMPLATE_MANAGE):
        raise ValidationError({"code": _("Only an administrator changes assessment forms.")})
    template = (
        AssessmentTemplate.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if template is None:
        raise ValidationError({"code": _("There is no form with this code.")})
    if template.is_active != active:
        template.is_active = active
        template.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=template,
            changes={"is_active": [not active, active]},
        )
    return template
