"""Assessments through the API: the same selectors, actions and validation as the pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.api.common import Page, PageParams, page_of
from homeward.assessments import actions, selectors
from homeward.assessments.comparison import compare
from homeward.assessments.models import Assessment, AssessmentTemplate
from homeward.cases.selectors import case_get
from homeward.core.requests import actor_of

router = Router(tags=["assessments"])


class TemplateOut(Schema):
    code: str
    version: int
    title: dict[str, str]
    requires_approval: bool
    is_active: bool


class TemplateDetailOut(TemplateOut):
    definition: dict[str, Any]


class TemplateVersionIn(Schema):
    definition: dict[str, Any]
    title: dict[str, str] | None = None
    requires_approval: bool | None = None

    model_config = {"extra": "forbid"}


class AssessmentOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    case: uuid.UUID = Field(alias="case.uuid")
    case_number: str = Field(alias="case.child.case_number")
    template: str = Field(alias="template.code")
    template_version: int = Field(alias="template.version")
    status: str
    answers: dict[str, Any]
    scores: dict[str, Any]
    completed_on: datetime.date | None
    created_by: str | None = None
    submitted_by: str | None = None
    submitted_at: datetime.datetime | None
    approved_by: str | None = None
    approved_at: datetime.datetime | None
    decision_comment: str
    version: int

    @staticmethod
    def resolve_created_by(obj: Assessment) -> str | None:
        return obj.created_by.username if obj.created_by else None

    @staticmethod
    def resolve_submitted_by(obj: Assessment) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_approved_by(obj: Assessment) -> str | None:
        return obj.approved_by.username if obj.approved_by else None


class AssessmentIn(Schema):
    template: str = Field(max_length=50)

    model_config = {"extra": "forbid"}


class Versioned(Schema):
    version: int

    model_config = {"extra": "forbid"}


class AnswersIn(Versioned):
    answers: dict[str, Any] = {}
    completed_on: datetime.date | None = None


class SubmitIn(Versioned):
    completed_on: datetime.date | None = None


class DecisionIn(Versioned):
    comment: str = Field("", max_length=500)


class CompareQuery(Schema):
    first: uuid.UUID
    second: uuid.UUID


class ChangeOut(Schema):
    key: str
    label: str
    before: str
    after: str
    change: str


class ChangeSectionOut(Schema):
    title: str
    changes: list[ChangeOut]


class ComparisonOut(Schema):
    template: str
    before: uuid.UUID
    after: uuid.UUID
    improved: int
    worse: int
    scores: list[ChangeOut]
    sections: list[ChangeSectionOut]


@router.get(
    "/assessment-templates", response=list[TemplateOut], url_name="assessment_template_list"
)
def template_list(request: HttpRequest) -> list[AssessmentTemplate]:
    """The forms offered for new assessments (each one's latest version)."""
    return selectors.current_templates()


@router.get(
    "/assessment-templates/{code}",
    response=TemplateDetailOut,
    url_name="assessment_template_detail",
)
def template_detail(
    request: HttpRequest, code: str, version: int | None = None
) -> AssessmentTemplate:
    """A form's definition: its latest version, or the one asked for."""
    return selectors.template_get(code, version)


@router.post(
    "/assessment-templates/{code}/versions",
    response={201: TemplateDetailOut},
    url_name="assessment_template_versions",
)
def template_new_version(
    request: HttpRequest, code: str, payload: TemplateVersionIn
) -> tuple[int, AssessmentTemplate]:
    template = actions.template_new_version(
        actor=actor_of(request),
        code=code,
        definition=payload.definition,
        title=payload.title,
        requires_approval=payload.requires_approval,
    )
    return 201, template


def _full(queryset: Any) -> Any:
    return queryset.select_related(
        "case", "case__child", "template", "created_by", "submitted_by", "approved_by"
    )


@router.get(
    "/cases/{uuid:case_id}/assessments", response=Page[AssessmentOut], url_name="case_assessments"
)
def case_assessments(
    request: HttpRequest, case_id: uuid.UUID, paging: Query[PageParams]
) -> dict[str, Any]:
    case = case_get(request.user, case_id)
    return page_of(_full(selectors.assessments_of(case)), paging)


@router.post(
    "/cases/{uuid:case_id}/assessments",
    response={201: AssessmentOut},
    url_name="case_assessments",
)
def assessment_create(
    request: HttpRequest, case_id: uuid.UUID, payload: AssessmentIn
) -> tuple[int, Assessment]:
    case = case_get(request.user, case_id)
    try:
        template = selectors.template_current(payload.template)
    except Http404 as error:
        raise ValidationError({"template": _("There is no form in use with this code.")}) from error
    return 201, actions.assessment_start(actor=actor_of(request), case=case, template=template)


@router.get("/assessments/compare", response=ComparisonOut, url_name="assessment_compare")
def assessment_compare(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    """Two submitted assessments of one child with the same form, earlier first."""
    first = selectors.assessment_get(request.user, query.first)
    second = selectors.assessment_get(request.user, query.second)
    errors: dict[str, str] = {}
    if first.pk == second.pk:
        errors["second"] = _("Choose two different assessments.")
    elif first.case_id != second.case_id:
        errors["second"] = _("Choose two assessments of the same child.")
    elif first.template.code != second.template.code:
        errors["second"] = _("Choose two assessments made with the same form.")
    elif not (first.is_submitted and second.is_submitted):
        errors["second"] = _("Only submitted assessments are compared.")
    if errors:
        raise ValidationError(errors)
    before, after = sorted(
        (first, second), key=lambda a: (a.completed_on, a.submitted_at or a.created_at)
    )
    result = compare(
        definition_before=before.template.definition,
        answers_before=before.answers,
        scores_before=before.scores,
        definition_after=after.template.definition,
        answers_after=after.answers,
        scores_after=after.scores,
    )
    return {
        "template": after.template.code,
        "before": before.uuid,
        "after": after.uuid,
        "improved": result.improved,
        "worse": result.worse,
        "scores": result.scores,
        "sections": result.sections,
    }


@router.get(
    "/assessments/{uuid:assessment_id}", response=AssessmentOut, url_name="assessment_detail"
)
def assessment_detail(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    return selectors.assessment_get(request.user, assessment_id)


@router.patch(
    "/assessments/{uuid:assessment_id}", response=AssessmentOut, url_name="assessment_detail"
)
def assessment_update(
    request: HttpRequest, assessment_id: uuid.UUID, payload: AnswersIn
) -> Assessment:
    """Save draft answers: the keys sent replace those saved (null removes one)."""
    assessment = selectors.assessment_get(request.user, assessment_id)
    return actions.assessment_save_draft(
        actor=actor_of(request),
        assessment=assessment,
        version=payload.version,
        answers=payload.answers,
        completed_on=payload.completed_on,
        merge=True,
    )


@router.post(
    "/assessments/{uuid:assessment_id}/submit",
    response=AssessmentOut,
    url_name="assessment_submit",
)
def assessment_submit(
    request: HttpRequest, assessment_id: uuid.UUID, payload: SubmitIn
) -> Assessment:
    assessment = selectors.assessment_get(request.user, assessment_id)
    return actions.assessment_submit(
        actor=actor_of(request),
        assessment=assessment,
        version=payload.version,
        completed_on=payload.completed_on,
    )


@router.post(
    "/assessments/{uuid:assessment_id}/approve",
    response=AssessmentOut,
    url_name="assessment_approve",
)
def assessment_approve(
    request: HttpRequest, assessment_id: uuid.UUID, payload: DecisionIn
) -> Assessment:
    assessment = selectors.assessment_get(request.user, assessment_id)
    return actions.assessment_approve(
        actor=actor_of(request),
        assessment=assessment,
        version=payload.version,
        comment=payload.comment,
    )


@router.post(
    "/assessments/{uuid:assessment_id}/return",
    response=AssessmentOut,
    url_name="assessment_return",
)
def assessment_return(
    request: HttpRequest, assessment_id: uuid.UUID, payload: DecisionIn
) -> Assessment:
    assessment = selectors.assessment_get(request.user, assessment_id)
    return actions.assessment_return(
        actor=actor_of(request),
        assessment=assessment,
        version=payload.version,
        comment=payload.comment,
    )
