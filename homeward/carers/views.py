"""Pages of the foster-care service: the carers list and dashboard, a household's page and
the forms that move it along the pipeline. Views validate, call a selector or an action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.assessments.forms import answers_from_post
from homeward.assessments.layout import answer_sections, error_summary, form_sections, score_rows
from homeward.carers import actions, selectors
from homeward.carers.forms import (
    CarerFilterForm,
    CheckForm,
    CourseForm,
    DocumentForm,
    HomeStudyForm,
    HouseholdForm,
    MemberForm,
    MoveForm,
    ReviewForm,
    TermsForm,
    TrainingForm,
    VisitForm,
)
from homeward.carers.models import CarerHousehold, HomeStudyStatus, Stage
from homeward.carers.pipeline import allowed_moves
from homeward.core.forms import add_action_errors
from homeward.core.paging import paginate, query_without_page
from homeward.core.requests import actor_of


def carer_list(request: HttpRequest) -> HttpResponse:
    form = CarerFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        # a filter that cannot be read is shown with its error, never silently dropped
        filters = form.filters() if form.is_bound else {}
        page = paginate(request, selectors.carer_list(request.user, **filters))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_manage": has_perm(request.user, Perm.CARER_MANAGE)
        and bool(selectors.carer_agencies(request.user)),
    }
    return render(request, "carers/carer_list.html", context)


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "carers/dashboard.html", {"board": selectors.dashboard(request.user)})


def _form_page(
    request: HttpRequest, form: forms.BaseForm, title: str, household: CarerHousehold | None
) -> HttpResponse:
    return render(
        request,
        "carers/form.html",
        {"form": form, "title": title, "household": household},
        status=422 if form.errors else 200,
    )


def carer_create(request: HttpRequest) -> HttpResponse:
    agencies = selectors.carer_agencies(request.user)
    if not agencies:
        return render(request, "errors/403.html", status=403)
    form = HouseholdForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data.get("agency") or agencies[0].code
        agency = next(a for a in agencies if a.code == code)
        try:
            household = actions.carer_enquiry(
                actor=actor_of(request), agency=agency, data=form.household_data()
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The enquiry is recorded."))
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, _("New enquiry"), None)


def carer_detail(request: HttpRequest, household_uuid: str) -> HttpResponse:
    user = request.user
    household = selectors.carer_get(user, household_uuid)
    can_manage = has_perm(user, Perm.CARER_MANAGE)
    context = {
        "household": household,
        "members": list(household.members.select_related("person")),
        "checks": list(household.checks.select_related("member")),
        "documents": list(household.documents.select_related("member")),
        "training": list(household.training.select_related("course", "member")),
        "terms_history": list(household.terms_history.all()),
        "visits": list(household.visits.all()),
        "reviews": list(household.reviews.all()),
        "events": list(household.events.select_related("actor")[:50]),
        "home_studies": list(household.home_studies.select_related("template")),
        "placements": selectors.placements_with(user, household),
        "blockers": selectors.approval_blockers(household)
        if household.stage in {Stage.PANEL, Stage.HOME_STUDY, Stage.APPROVED, Stage.ON_HOLD}
        else [],
        "moves": allowed_moves(household.stage),
        "can_manage": can_manage,
        "move_form": MoveForm(
            moves=allowed_moves(household.stage), initial={"version": household.version}
        ),
    }
    return render(request, "carers/carer_detail.html", context)


def carer_update(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.carer_get(request.user, household_uuid)
    form = HouseholdForm(request.POST or None, initial=HouseholdForm.initial_from(household))
    if request.method == "POST" and form.is_valid():
        try:
            actions.carer_update(
                actor=actor_of(request),
                household=household,
                data=form.household_data(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, _("Edit the household"), household)


def carer_move(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.carer_get(request.user, household_uuid)
    moves = allowed_moves(household.stage)
    form = MoveForm(request.POST or None, moves=moves, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.carer_move(actor=actor_of(request), household=household, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The household has moved on."))
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, _("Move along the pipeline"), household)


def carer_approve(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.carer_get(request.user, household_uuid)
    form = TermsForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.carer_approve(
                actor=actor_of(request),
                household=household,
                decided_on=form.cleaned_data["decided_on"],
                terms=form.terms(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The household is approved."))
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, _("Panel decision: approve with terms"), household)


def terms_set(request: HttpRequest, household_uuid: str) -> HttpResponse:
    household = selectors.carer_get(request.user, household_uuid)
    form = TermsForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.terms_set(
                actor=actor_of(request),
                household=household,
                decided_on=form.cleaned_data["decided_on"],
                terms=form.terms(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The new terms are in force."))
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, _("Change the approval terms"), household)


def _record_page(
    request: HttpRequest,
    household_uuid: str,
    make_form: Callable[[Any, CarerHousehold], forms.BaseForm],
    record: Callable[[CarerHousehold, dict[str, Any]], Any],
    title: str,
    done: str,
) -> HttpResponse:
    household = selectors.carer_get(request.user, household_uuid)
    form = make_form(request.POST or None, household)
    if request.method == "POST" and form.is_valid():
        try:
            record(household, dict(form.cleaned_data))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("carers:carer_detail", household_uuid=household.uuid)
    return _form_page(request, form, title, household)


def member_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: MemberForm(data),
        lambda household, data: actions.member_add(
            actor=actor_of(request), household=household, data=data
        ),
        _("Add a household member"),
        _("Member added."),
    )


def check_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: CheckForm(data, household=household),
        lambda household, data: actions.check_record(
            actor=actor_of(request), household=household, data=data
        ),
        _("Record a check"),
        _("Check recorded."),
    )


def document_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: DocumentForm(data, household=household),
        lambda household, data: actions.document_record(
            actor=actor_of(request), household=household, data=data
        ),
        _("Record a document"),
        _("Document recorded."),
    )


def training_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: TrainingForm(data, household=household),
        lambda household, data: actions.training_record(
            actor=actor_of(request), household=household, **data
        ),
        _("Record training"),
        _("Training recorded."),
    )


def visit_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: VisitForm(data),
        lambda household, data: actions.visit_record(
            actor=actor_of(request), household=household, data=data
        ),
        _("Record a support visit"),
        _("Visit recorded."),
    )


def review_add(request: HttpRequest, household_uuid: str) -> HttpResponse:
    return _record_page(
        request,
        household_uuid,
        lambda data, household: ReviewForm(data, initial={"version": household.version}),
        lambda household, data: actions.annual_review_record(
            actor=actor_of(request), household=household, **data
        ),
        _("Annual review"),
        _("Review recorded."),
    )


def home_study(request: HttpRequest, household_uuid: str) -> HttpResponse:
    """The home study, filled in with the shipped (or an administrator's newer) form."""
    household = selectors.carer_get(request.user, household_uuid)
    study = household.home_studies.select_related("template").first()
    if study is None or (study.status == HomeStudyStatus.SUBMITTED and request.method == "POST"):
        if request.method != "POST":
            return render(
                request, "carers/home_study.html", {"household": household, "study": None}
            )
        try:
            study = actions.home_study_start(actor=actor_of(request), household=household)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("carers:carer_detail", household_uuid=household.uuid)
        return redirect("carers:home_study", household_uuid=household.uuid)
    definition = study.template.definition
    if study.status == HomeStudyStatus.SUBMITTED:
        return render(
            request,
            "carers/home_study.html",
            {
                "household": household,
                "study": study,
                "answers": answer_sections(definition, study.answers),
                "scores": score_rows(definition, study.scores),
            },
        )
    answers: dict[str, Any] = study.answers
    errors: dict[str, list[str]] = {}
    form = HomeStudyForm(
        request.POST or None,
        initial={"completed_on": study.completed_on, "version": study.version},
    )
    if request.method == "POST" and form.is_valid():
        answers = answers_from_post(definition, request.POST)
        submitting = request.POST.get("intent") == "submit"
        try:
            actions.home_study_save(
                actor=actor_of(request),
                study=study,
                answers=answers,
                completed_on=form.cleaned_data["completed_on"],
                version=form.cleaned_data["version"],
                submit=submitting,
            )
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, field_messages in found.items():
                if field.startswith("answers."):
                    errors[field.removeprefix("answers.")] = field_messages
                else:
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, _("The home study is submitted.") if submitting else _("Draft saved.")
            )
            if submitting:
                return redirect("carers:carer_detail", household_uuid=household.uuid)
            return redirect("carers:home_study", household_uuid=household.uuid)
    sections = form_sections(definition, answers, errors)
    return render(
        request,
        "carers/home_study.html",
        {
            "household": household,
            "study": study,
            "form": form,
            "sections": sections,
            "error_summary": error_summary(sections),
        },
        status=422 if errors or form.errors else 200,
    )


def course_list(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.course_create(actor=actor_of(request), data=dict(form.cleaned_data))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Course added."))
            return redirect("carers:course_list")
    return render(
        request,
        "carers/course_list.html",
        {
            "courses": selectors.courses(),
            "form": form,
            "can_manage": has_perm(request.user, Perm.CARER_MANAGE),
        },
        status=422 if form.errors else 200,
    )
