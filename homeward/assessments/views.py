"""Assessment pages: a case's assessments, starting one, the fill-in form, reading it back,
approval, comparing two, and the administrators' form versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.access.permissions import Perm, has_perm
from homeward.assessments import actions, selectors
from homeward.assessments.comparison import compare
from homeward.assessments.forms import (
    AssessmentForm,
    CompareForm,
    DecisionForm,
    StartForm,
    TemplateVersionForm,
    answers_from_post,
)
from homeward.assessments.layout import (
    answer_sections,
    error_summary,
    form_sections,
    score_rows,
)
from homeward.assessments.models import Assessment, AssessmentStatus
from homeward.cases.models import CaseStatus
from homeward.cases.selectors import case_get
from homeward.core.forms import add_action_errors
from homeward.core.requests import actor_of


def case_assessments(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = case_get(request.user, case_uuid)
    assessments = list(selectors.assessments_of(case))
    submitted = [a for a in assessments if a.is_submitted]
    return render(
        request,
        "assessments/case_assessments.html",
        {
            "case": case,
            "assessments": assessments,
            "compare_form": CompareForm(assessments=submitted) if len(submitted) > 1 else None,
            "can_start": _can_start(request, case.status),
        },
    )


def _can_start(request: HttpRequest, case_status: str) -> bool:
    return has_perm(request.user, Perm.ASSESSMENT_EDIT) and case_status != CaseStatus.CLOSED


def assessment_start(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = case_get(request.user, case_uuid)
    templates = selectors.case_templates()
    form = StartForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        template = next(t for t in templates if t.code == form.cleaned_data["template"])
        try:
            assessment = actions.assessment_start(
                actor=actor_of(request), case=case, template=template
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("assessments:assessment_edit", assessment_uuid=assessment.uuid)
    return render(
        request,
        "assessments/start.html",
        {"case": case, "form": form},
        status=422 if form.errors else 200,
    )


def _split_errors(error: ValidationError) -> tuple[dict[str, list[str]], ValidationError | None]:
    """Errors of answers (by field path) apart from the rest (date, version, status)."""
    if not hasattr(error, "error_dict"):
        return {}, error
    answers: dict[str, list[str]] = {}
    rest: dict[str, list[str]] = {}
    for key, found in error.message_dict.items():
        if key.startswith("answers."):
            answers[key.removeprefix("answers.")] = found
        else:
            rest[key] = found
    return answers, ValidationError(rest) if rest else None


def assessment_edit(request: HttpRequest, assessment_uuid: str) -> HttpResponse:
    assessment = selectors.assessment_get(request.user, assessment_uuid)
    if assessment.status not in actions.EDITABLE:
        messages.info(request, _("This assessment is submitted: it cannot change."))
        return redirect("assessments:assessment_detail", assessment_uuid=assessment.uuid)
    definition = assessment.template.definition
    answers: dict[str, Any] = assessment.answers
    errors: dict[str, list[str]] = {}
    form = AssessmentForm(
        request.POST or None,
        initial={"completed_on": assessment.completed_on, "version": assessment.version},
    )
    if request.method == "POST":
        answers = answers_from_post(definition, request.POST)
        submitting = request.POST.get("intent") == "submit"
        if form.is_valid():
            try:
                if submitting:
                    actions.assessment_submit(
                        actor=actor_of(request),
                        assessment=assessment,
                        version=form.cleaned_data["version"],
                        answers=answers,
                        completed_on=form.cleaned_data["completed_on"],
                    )
                else:
                    actions.assessment_save_draft(
                        actor=actor_of(request),
                        assessment=assessment,
                        version=form.cleaned_data["version"],
                        answers=answers,
                        completed_on=form.cleaned_data["completed_on"],
                    )
            except ValidationError as error:
                errors, rest = _split_errors(error)
                if rest is not None:
                    add_action_errors(form, rest)
            else:
                if submitting:
                    messages.success(request, _("The assessment is submitted."))
                    return redirect(
                        "assessments:assessment_detail", assessment_uuid=assessment.uuid
                    )
                messages.success(request, _("Draft saved."))
                return redirect("assessments:assessment_edit", assessment_uuid=assessment.uuid)
    failed = bool(errors or form.errors)
    sections = form_sections(definition, answers, errors)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "form": form,
            "sections": sections,
            "error_summary": error_summary(sections),
        },
        status=422 if failed else 200,
    )


def assessment_detail(request: HttpRequest, assessment_uuid: str) -> HttpResponse:
    assessment = selectors.assessment_get(request.user, assessment_uuid)
    definition = assessment.template.definition
    user = request.user
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "sections": answer_sections(definition, assessment.answers),
            "scores": score_rows(definition, assessment.scores),
            "editable": assessment.status in actions.EDITABLE
            and has_perm(user, Perm.ASSESSMENT_EDIT),
            "can_decide": _can_decide(request, assessment),
            "others": list(selectors.comparable_with(assessment)[:20]),
        },
    )


def _can_decide(request: HttpRequest, assessment: Assessment) -> bool:
    return (
        assessment.status == AssessmentStatus.SUBMITTED
        and assessment.template.requires_approval
        and has_perm(request.user, Perm.CASE_APPROVE)
        and request.user.pk not in (assessment.submitted_by_id, assessment.created_by_id)
    )


def assessment_decide(request: HttpRequest, assessment_uuid: str) -> HttpResponse:
    assessment = selectors.assessment_get(request.user, assessment_uuid)
    form = DecisionForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                actions.assessment_approve(
                    actor=actor_of(request),
                    assessment=assessment,
                    version=data["version"],
                    comment=data["comment"],
                )
            else:
                actions.assessment_return(
                    actor=actor_of(request),
                    assessment=assessment,
                    version=data["version"],
                    comment=data["comment"],
                )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("assessments:assessment_detail", assessment_uuid=assessment.uuid)
    return render(
        request,
        "assessments/decide.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "form": form,
            "scores": score_rows(assessment.template.definition, assessment.scores),
        },
        status=422 if form.errors else 200,
    )


def assessment_compare(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = case_get(request.user, case_uuid)
    submitted = list(selectors.submitted_of(case))
    form = CompareForm(request.GET or None, assessments=submitted)
    result = before = after = None
    if form.is_bound and form.is_valid():
        chosen = {str(a.uuid): a for a in submitted}
        first, second = chosen[form.cleaned_data["first"]], chosen[form.cleaned_data["second"]]
        if first.template.code != second.template.code:
            form.add_error(None, _("Choose two assessments made with the same form."))
        else:
            before, after = sorted((first, second), key=_when)
            result = compare(
                definition_before=before.template.definition,
                answers_before=before.answers,
                scores_before=before.scores,
                definition_after=after.template.definition,
                answers_after=after.answers,
                scores_after=after.scores,
            )
    return render(
        request,
        "assessments/compare.html",
        {"case": case, "form": form, "result": result, "before": before, "after": after},
        status=422 if form.errors else 200,
    )


def _when(assessment: Assessment) -> tuple[Any, ...]:
    return (assessment.completed_on, assessment.submitted_at or assessment.created_at)


# --- administrators ---------------------------------------------------------------------------


def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "assessments/template_list.html", {"templates": selectors.latest_versions()}
    )


def template_new_version(request: HttpRequest, code: str) -> HttpResponse:
    latest = selectors.template_get(code)
    form = TemplateVersionForm(
        request.POST or None, initial=TemplateVersionForm.initial_for(latest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = actions.template_new_version(
                actor=actor_of(request),
                code=code,
                definition=form.cleaned_data["definition"],
                title=form.title(),
                requires_approval=form.cleaned_data["requires_approval"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d of the form is saved.") % {"version": template.version},
            )
            return redirect("assessments:template_list")
    return render(
        request,
        "assessments/template_form.html",
        {
            "latest": latest,
            "form": form,
            "versions": selectors.template_versions(code),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def template_active(request: HttpRequest, code: str) -> HttpResponse:
    selectors.template_get(code)
    active = request.POST.get("active") == "1"
    actions.template_set_active(actor=actor_of(request), code=code, active=active)
    messages.success(
        request,
        _("The form is offered for new assessments.")
        if active
        else _("The form is no longer offered for new assessments."),
    )
    return redirect("assessments:template_list")
