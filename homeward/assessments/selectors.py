"""Reads of templates and assessments; assessments through the case's scope."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from homeward.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.selectors import cases_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.cases.models import Case

    AnyUser = User | AnonymousUser


def latest_versions() -> list[AssessmentTemplate]:
    """The highest version of every template code, in use or not; without the definitions,
    which only the form itself needs."""
    highest = (
        AssessmentTemplate.objects.filter(code=OuterRef("code"))
        .order_by("-version")
        .values("version")[:1]
    )
    templates = AssessmentTemplate.objects.filter(version=Subquery(highest)).defer("definition")
    return sorted(templates, key=lambda t: t.display_title.casefold())


def current_templates() -> list[AssessmentTemplate]:
    """The forms offered for new assessments: each code's highest version, if it is in use."""
    return [template for template in latest_versions() if template.is_active]


def case_templates() -> list[AssessmentTemplate]:
    """The forms a case worker may start on a child's case: the foster home study belongs to
    a carer household, not to a case."""
    return [t for t in current_templates() if t.code not in settings.NON_CASE_TEMPLATES]


def template_current(code: str) -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None or not template.is_active:
        raise Http404
    return template


def template_get(code: str, version: int | None = None) -> AssessmentTemplate:
    """A given version, or the highest one (in use or not)."""
    templates = AssessmentTemplate.objects.filter(code=code)
    if version is not None:
        templates = templates.filter(version=version)
    template = templates.order_by("-version").first()
    if template is None:
        raise Http404
    return template


def template_versions(code: str) -> QuerySet[AssessmentTemplate]:
    return AssessmentTemplate.objects.filter(code=code).select_related("created_by")


def assessments_of(case: Case) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(case=case)
        .select_related("template", "submitted_by")
        .defer("template__definition")
        .order_by("-created_at", "-id")
    )


def assessments_for_user(user: AnyUser) -> QuerySet[Assessment]:
    return Assessment.objects.filter(case__in=cases_for_user(user))


def assessment_get(user: AnyUser, assessment_uuid: uuid.UUID | str) -> Assessment:
    """One assessment the user may see (its case's scope); reading it is audited."""
    assessment = (
        assessments_for_user(user)
        .filter(uuid=assessment_uuid)
        .select_related(
            "case",
            "case__child",
            "case__supervisor",
            "template",
            "created_by",
            "submitted_by",
            "approved_by",
        )
        .first()
    )
    if assessment is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.VIEW, obj=assessment.case.child)
    return assessment


def comparable_with(assessment: Assessment) -> QuerySet[Assessment]:
    """Other submitted assessments of the same child made with the same form (any version)."""
    return (
        Assessment.objects.filter(
            case_id=assessment.case_id,
            template__code=assessment.template.code,
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED],
        )
        .exclude(pk=assessment.pk)
        .select_related("template")
        .defer("template__definition")
        .order_by("-completed_on", "-id")
    )


def submitted_of(case: Case) -> QuerySet[Assessment]:
    return assessments_of(case).filter(
        status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED]
    )
