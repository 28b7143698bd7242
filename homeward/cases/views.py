"""Recording and withdrawing consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.access.permissions import Perm, has_perm
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases import actions, selectors
from homeward.cases.forms import (
    AttachmentForm,
    ChronologyFilter,
    ConferenceForm,
    ConsentForm,
    DecisionForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    RiskForm,
    WithdrawForm,
)
from homeward.cases.models import Case, CaseStatus
from homeward.cases.pipeline import allowed_moves
from homeward.core.forms import add_action_errors
from homeward.core.paging import paginate, query_without_page
from homeward.core.requests import actor_of
from homeward.plans.selectors import plans_of
from homeward.registry.selectors import child_get
from homeward.services.selectors import referrals_waiting


def consent_create(request: HttpRequest, child_uuid: str) -> HttpResponse:
    child = child_get(request.user, child_uuid)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_record(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("registry:child_detail", child_uuid=child.uuid)
    return render(
        request,
        "cases/consent_form.html",
        {"form": form, "child": child},
        status=422 if form.errors else 200,
    )


def consent_withdraw(request: HttpRequest, consent_uuid: str) -> HttpResponse:
    consent = selectors.consent_get(request.user, consent_uuid)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_withdraw(
                actor=request.user,  # type: ignore[arg-type]
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Consent withdrawn: sharing based on it has stopped."))
            return redirect("registry:child_detail", child_uuid=consent.child.uuid)
    return render(
        request,
        "cases/withdraw_form.html",
        {"form": form, "consent": consent},
        status=422 if form.errors else 200,
    )


# --- the case page and its actions ----------------------------------------------------------


def case_detail(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    user = request.user
    context = {
        "case": case,
        "child": case.child,
        "moves": [(s, CaseStatus(s).label) for s in allowed_moves(case.status)],
        "tasks": selectors.open_tasks(case),
        "notes": selectors.case_notes(case)[:50],
        "events": selectors.case_chronology(case)[:CHRONOLOGY_ON_CASE_PAGE],
        "plans": plans_of(case),
        "attachments": case.attachments.select_related("uploaded_by"),
        "conferences": case.conferences.prefetch_related("agencies")[:20],
        "risk_form": RiskForm(initial={"risk_level": case.risk_level, "version": case.version}),
        "note_form": NoteForm(),
        "can_work": has_perm(user, Perm.CASE_WORK) and case.status != CaseStatus.CLOSED,
        "can_approve": has_perm(user, Perm.CASE_APPROVE)
        and case.closure_requested_by_id not in (None, user.pk),
        "can_record_consent": has_perm(user, Perm.CONSENT_MANAGE),
    }
    return render(request, "cases/case_detail.html", context)


# The case page shows the latest events; the whole chronology has its own page.
CHRONOLOGY_ON_CASE_PAGE = 20


def case_chronology(request: HttpRequest, case_uuid: str) -> HttpResponse:
    """Every event of the case, newest first, a hundred to a page, of one type if asked."""
    case = selectors.case_get(request.user, case_uuid)
    form = ChronologyFilter(request.GET or None)
    events = selectors.case_chronology(case)
    if form.is_valid() and form.cleaned_data["type"]:
        events = events.filter(type=form.cleaned_data["type"])
    return render(
        request,
        "cases/case_chronology.html",
        {
            "case": case,
            "form": form,
            "page": paginate(request, events, per_page=100),
            "query": query_without_page(request),
        },
    )


def _back(case: Case) -> HttpResponse:
    return redirect("cases:case_detail", case_uuid=case.uuid)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def case_move(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step from the list."))
        return _back(case)
    try:
        actions.case_move(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            to=form.cleaned_data["to"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The case moved on."))
    return _back(case)


@require_POST
def case_risk(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = RiskForm(request.POST)
    if form.is_valid():
        try:
            actions.case_set_risk(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                risk_level=form.cleaned_data["risk_level"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Risk level saved."))
    else:
        messages.error(request, _("Choose a risk level."))
    return _back(case)


def case_note_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.note_add(actor=request.user, case=case, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Note saved."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Case note")},
        status=422 if form.errors else 200,
    )


def case_closure_request(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.case_request_closure(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Closure asked for: it waits for the supervisor."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Close the case")},
        status=422 if form.errors else 200,
    )


def case_closure_decide(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = DecisionForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.case_decide_closure(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                approve=form.cleaned_data["decision"] == "approve",
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "case": case,
            "title": _("Closure: %(reason)s") % {"reason": case.closure_reason},
        },
        status=422 if form.errors else 200,
    )


def case_reopen(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.case_reopen(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The case is open again."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Reopen the case")},
        status=422 if form.errors else 200,
    )


@require_POST
def task_complete(request: HttpRequest, task_uuid: str) -> HttpResponse:
    task = selectors.task_get(request.user, task_uuid)
    actions.task_complete(actor=request.user, task=task)  # type: ignore[arg-type]
    messages.success(request, _("Task done."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("cases:my_work")


def my_work(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/my_work.html",
        {
            "work": selectors.my_work(request.user),  # type: ignore[arg-type]
            "now": timezone.now(),
            "referrals": referrals_waiting(request.user),
        },
    )


def task_list(request: HttpRequest, group: str) -> HttpResponse:
    """All of the user's open tasks of one list of "My work", fifty to a page."""
    if group not in selectors.TaskGroup.ALL:
        raise Http404
    tasks = selectors.tasks_of(request.user, group)  # type: ignore[arg-type]
    return render(
        request,
        "cases/tasks.html",
        {"group": group, "page": paginate(request, tasks, per_page=50), "query": ""},
    )


def my_team(request: HttpRequest) -> HttpResponse:
    workers = selectors.team_members(request.user)
    cases = selectors.team_cases(request.user)
    form = ReassignForm(request.POST or None, cases=cases, workers=workers)
    if request.method == "POST" and form.is_valid():
        moved = actions.case_reassign(
            actor=request.user,  # type: ignore[arg-type]
            cases=list(form.cleaned_data["cases"]),
            case_manager=form.cleaned_data["case_manager"],
        )
        messages.success(request, _("%(n)d cases reassigned.") % {"n": moved})
        return redirect("cases:my_team")
    return render(
        request,
        "cases/my_team.html",
        {"load": selectors.team_load(request.user), "form": form, "cases": cases[:500]},
        status=422 if form.errors else 200,
    )


def attachment_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.attachment_add(
                actor=actor_of(request),
                case=case,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("File attached."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Attach a file"), "multipart": True},
        status=422 if form.errors else 200,
    )


def attachment_download(request: HttpRequest, attachment_uuid: str) -> FileResponse:
    attachment = selectors.attachment_get(request.user, attachment_uuid)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=attachment.case.child,
        detail=f"attachment {attachment.original_name}",
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def conference_add(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = selectors.case_get(request.user, case_uuid)
    form = ConferenceForm(request.POST or None, assignees=selectors.possible_assignees(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.conference_record(actor=actor_of(request), case=case, **form.action_data())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Conference recorded; its action items are tasks."))
            return _back(case)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Case conference")},
        status=422 if form.errors else 200,
    )
