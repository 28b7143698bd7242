"""The care plan: goals and actions, approval by someone else, reviews, PDF."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import login
from homeward.cases import actions as case_actions
from homeward.cases.models import CaseStatus, Task
from homeward.plans import actions
from homeward.plans.models import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast, register_child):
    case = register_child().case
    for step in ["initial_assessment", "comprehensive_assessment", "case_planning"]:
        case = case_actions.case_move(
            actor=cast.case_manager_a, case=case, to=step, version=case.version
        )
    return case


def goal_form(**overrides):
    data = {
        "domain": "family",
        "text": "Мать восстанавливает родительские навыки",
        "action_text": "Посещать группу поддержки родителей",
        "responsible": "Иванова О.",
        "due_on": "2027-03-01",
    }
    data.update(overrides)
    return data


def test_plan_from_draft_to_approval_then_implementation(cast, case):
    manager = login(cast.case_manager_a)
    created = manager.post(f"/plans/cases/{case.uuid}/new/", {"starts_on": "2026-11-01"})
    assert created.status_code == 302
    plan = case.plans.get()
    empty = manager.post(f"/plans/{plan.uuid}/submit/", {"version": 1}, follow=True)
    assert "Every plan needs goals" in empty.content.decode()
    assert (
        manager.post(f"/plans/{plan.uuid}/goals/new/", {**goal_form(), "version": 1}).status_code
        == 302
    )
    early = manager.post(
        f"/plans/{plan.uuid}/goals/new/", {**goal_form(due_on="2020-01-01"), "version": 2}
    )
    assert early.status_code == 422
    assert "before the plan starts" in early.content.decode()
    with pytest.raises(ValidationError, match="approve the care plan"):
        case_actions.case_move(
            actor=cast.case_manager_a, case=case, to=CaseStatus.IMPLEMENTATION, version=case.version
        )
    plan.refresh_from_db()
    assert manager.post(f"/plans/{plan.uuid}/submit/", {"version": plan.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert Task.objects.get(source=f"approval:plan:{plan.uuid}").assigned_to == cast.supervisor_a
    assert manager.get(f"/plans/{plan.uuid}/decide/").status_code == 403
    supervisor = login(cast.supervisor_a)
    decided = supervisor.post(
        f"/plans/{plan.uuid}/decide/", {"decision": "approve", "version": plan.version}
    )
    assert decided.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.next_review_on is not None
    case.refresh_from_db()
    moved = case_actions.case_move(
        actor=cast.case_manager_a, case=case, to=CaseStatus.IMPLEMENTATION, version=case.version
    )
    assert moved.status == CaseStatus.IMPLEMENTATION


def test_a_supervisor_cannot_approve_their_own_plan(cast, case):
    plan = actions.plan_create(
        actor=cast.supervisor_a, case=case, starts_on=datetime.date(2026, 11, 1)
    )
    actions.goal_add(
        actor=cast.supervisor_a,
        plan=plan,
        version=1,
        agency=None,
        **dict(goal_form(due_on=datetime.date(2027, 1, 1)).items()),
    )
    plan.refresh_from_db()
    plan = actions.plan_submit(actor=cast.supervisor_a, plan=plan, version=plan.version)
    with pytest.raises(ValidationError, match="your own plan"):
        actions.plan_decide(actor=cast.supervisor_a, plan=plan, approve=True, version=plan.version)


def test_review_sets_the_next_review_and_a_task_and_the_pdf_prints(cast, case):
    plan = actions.plan_create(
        actor=cast.case_manager_a, case=case, starts_on=datetime.date(2026, 11, 1)
    )
    actions.goal_add(
        actor=cast.case_manager_a,
        plan=plan,
        version=1,
        agency=cast.agency_a,
        **dict(goal_form(due_on=datetime.date(2027, 1, 1)).items()),
    )
    plan.refresh_from_db()
    plan = actions.plan_submit(actor=cast.case_manager_a, plan=plan, version=plan.version)
    plan = actions.plan_decide(
        actor=cast.supervisor_a, plan=plan, approve=True, version=plan.version
    )
    manager = login(cast.case_manager_a)
    bad = manager.post(
        f"/plans/{plan.uuid}/review/",
        {
            "reviewed_on": "2026-11-10",
            "outcome": "partly",
            "next_review_on": "2026-11-01",
            "version": plan.version,
        },
    )
    assert bad.status_code == 422
    assert "must come after" in bad.content.decode()
    ok = manager.post(
        f"/plans/{plan.uuid}/review/",
        {
            "reviewed_on": "2026-11-10",
            "outcome": "partly",
            "next_review_on": "2027-02-10",
            "version": plan.version,
        },
    )
    assert ok.status_code == 302
    assert Task.objects.filter(source="review:2027-02-10", completed_at__isnull=True).exists()
    case.refresh_from_db()
    assert case.next_review_on == datetime.date(2027, 2, 10)
    manager.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    pdf = manager.get(f"/plans/{plan.uuid}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_another_agency_cannot_open_the_plan(cast, case):
    plan = actions.plan_create(
        actor=cast.case_manager_a, case=case, starts_on=datetime.date(2026, 11, 1)
    )
    assert login(cast.case_manager_b).get(f"/plans/{plan.uuid}/").status_code == 404
    assert login(cast.case_manager_b).get(f"/plans/{plan.uuid}/pdf/").status_code == 404
