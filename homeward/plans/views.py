"""Care plan pages: draft, goals and actions, approval, reviews, PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.access.permissions import Perm, has_perm
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.forms import DecisionForm
from homeward.cases.selectors import case_get
from homeward.core.forms import add_action_errors
from homeward.core.requests import actor_of
from homeward.plans import actions, selectors
from homeward.plans.forms import ActionForm, ActionStatusForm, GoalForm, PlanForm, ReviewForm
from homeward.plans.models import ActionStatus, CarePlan, PlanStatus
from homeward.plans.pdf import plan_pdf


def _form_page(
    request: HttpRequest, form: Any, plan: CarePlan | None, title: str, case: Any = None
) -> HttpResponse:
    return render(
        request,
        "plans/form.html",
        {"form": form, "plan": plan, "case": case or plan.case, "title": title},  # type: ignore[union-attr]
        status=422 if form.errors else 200,
    )


def plan_create(request: HttpRequest, case_uuid: str) -> HttpResponse:
    case = case_get(request.user, case_uuid)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.plan_create(actor=actor_of(request), case=case, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("plans:plan_detail", plan_uuid=plan.uuid)
    return _form_page(request, form, None, _("New care plan"), case)


def plan_detail(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    user = request.user
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "case": plan.case,
            "editable": plan.status in actions.EDITABLE and has_perm(user, Perm.PLAN_EDIT),
            "can_decide": plan.status == PlanStatus.SUBMITTED
            and has_perm(user, Perm.CASE_APPROVE)
            and user.pk not in (plan.submitted_by_id, plan.created_by_id),
            "can_review": plan.status == PlanStatus.APPROVED and has_perm(user, Perm.PLAN_EDIT),
            "action_statuses": ActionStatus.choices,
        },
    )


def goal_add(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    form = GoalForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.goal_add(actor=actor_of(request), plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("plans:plan_detail", plan_uuid=plan.uuid)
    return _form_page(request, form, plan, _("Add a goal"))


def action_add(request: HttpRequest, plan_uuid: str, goal_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    goal = next((g for g in plan.goals.all() if str(g.uuid) == str(goal_uuid)), None)
    if goal is None:
        return render(request, "errors/404.html", status=404)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.action_add(actor=actor_of(request), goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("plans:plan_detail", plan_uuid=plan.uuid)
    return _form_page(request, form, plan, _("Add an action: %(goal)s") % {"goal": goal.text})


@require_POST
def action_status(request: HttpRequest, action_uuid: str) -> HttpResponse:
    action = selectors.action_get(request.user, action_uuid)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        actions.action_set_status(
            actor=actor_of(request), action=action, status=form.cleaned_data["status"]
        )
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("plans:plan_detail", plan_uuid=action.goal.plan.uuid)


@require_POST
def plan_submit(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    try:
        actions.plan_submit(
            actor=actor_of(request),
            plan=plan,
            version=int(request.POST.get("version") or 0) or None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan is sent for approval."))
    return redirect("plans:plan_detail", plan_uuid=plan.uuid)


def plan_decide(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    form = DecisionForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_decide(
                actor=actor_of(request),
                plan=plan,
                approve=form.cleaned_data["decision"] == "approve",
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("plans:plan_detail", plan_uuid=plan.uuid)
    return _form_page(request, form, plan, _("Approve the care plan"))


def plan_review(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    form = ReviewForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_review(actor=actor_of(request), plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("plans:plan_detail", plan_uuid=plan.uuid)
    return _form_page(request, form, plan, _("Review the care plan"))


def plan_print(request: HttpRequest, plan_uuid: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_uuid)
    audit_record(
        actor=actor_of(request),
        action=AuditAction.EXPORT,
        obj=plan.case.child,
        detail="care plan pdf",
    )
    response = HttpResponse(plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.case.child.case_number}.pdf"'
    return response
