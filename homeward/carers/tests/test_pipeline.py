"""The carer pipeline: allowed and refused moves, the approval gate, terms, reviews, tasks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.carers import actions, selectors
from homeward.carers.models import (
    CarerEvent,
    CarerEventType,
    CheckResult,
    ReviewOutcome,
    Stage,
)
from homeward.carers.pipeline import ALLOWED_MOVES
from homeward.carers.tests.helpers import (
    HOME_STUDY_ANSWERS,
    approve,
    approved_household,
    enquiry,
    move,
    ready_for_panel,
)
from homeward.cases.models import Task
from homeward.core.errors import StaleVersionError

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for found in error.message_dict.values() for m in found]
    return list(error.messages)


def test_every_stage_has_a_row_in_the_table_of_moves():
    assert set(ALLOWED_MOVES) == set(Stage.values)
    for targets in ALLOWED_MOVES.values():
        assert targets <= set(Stage.values)
    assert ALLOWED_MOVES[Stage.DEREGISTERED] == frozenset()


def test_from_enquiry_to_approval_with_terms(cast, foster_worker, course):
    household = enquiry(foster_worker, cast.agency_a)
    assert household.stage == Stage.ENQUIRY
    assert household.worker == foster_worker
    assert household.language_mask == 0b11  # Russian and Belarusian
    ready_for_panel(foster_worker, household, course)
    approved = approve(foster_worker, household, max_children=3, age_min=2, age_max=10)
    assert approved.stage == Stage.APPROVED
    assert approved.approved_on == TODAY()
    assert approved.approval_expires_on == TODAY() + datetime.timedelta(days=365)
    assert approved.terms.max_children == 3
    assert approved.training_hours == Decimal(40)
    stages = list(
        CarerEvent.objects.filter(household=approved, type=CarerEventType.STAGE_CHANGED)
        .order_by("id")
        .values_list("to_stage", flat=True)
    )
    assert stages == [
        "enquiry",
        "information_visit",
        "application",
        "training",
        "home_study",
        "panel",
        "approved",
    ]
    assert AuditEvent.objects.filter(object_uuid=approved.uuid).count() >= 10


def test_a_move_outside_the_table_is_refused_and_changes_nothing(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    with pytest.raises(ValidationError) as caught:
        move(foster_worker, household, Stage.PANEL)
    assert caught.value.message_dict["to"] == [
        "A household cannot go from “Enquiry” to “Approval panel”."
    ]
    household.refresh_from_db()
    assert household.stage == Stage.ENQUIRY
    assert household.version == 1


def test_approval_is_the_panels_decision_not_a_plain_move(cast, foster_worker, course):
    household = ready_for_panel(foster_worker, enquiry(foster_worker, cast.agency_a), course)
    with pytest.raises(ValidationError, match="panel's decision"):
        move(foster_worker, household, Stage.APPROVED)


def test_the_panel_needs_a_submitted_home_study(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    for stage in (Stage.INFORMATION_VISIT, Stage.APPLICATION, Stage.TRAINING, Stage.HOME_STUDY):
        move(foster_worker, household, stage)
    with pytest.raises(ValidationError, match="Submit the home study"):
        move(foster_worker, household, Stage.PANEL)


def _at_panel_without_checks(actor, agency):
    household = enquiry(actor, agency)
    actions.member_add(
        actor=actor,
        household=household,
        data={"family_name": "Петрова", "given_name": "Анна", "sex": "F", "role": "main_carer"},
    )
    for stage in (Stage.INFORMATION_VISIT, Stage.APPLICATION, Stage.TRAINING, Stage.HOME_STUDY):
        move(actor, household, stage)
    household.refresh_from_db()
    study = actions.home_study_start(actor=actor, household=household)
    actions.home_study_save(
        actor=actor,
        study=study,
        answers=HOME_STUDY_ANSWERS,
        completed_on=TODAY(),
        version=study.version,
        submit=True,
    )
    move(actor, household, Stage.PANEL)
    household.refresh_from_db()
    return household


def test_approval_without_the_required_checks_and_training_is_refused(cast, foster_worker):
    household = _at_panel_without_checks(foster_worker, cast.agency_a)
    with pytest.raises(ValidationError) as caught:
        approve(foster_worker, household)
    found = messages_of(caught.value)
    assert found[0] == "The household cannot be approved yet."
    assert "Check “References” is missing." in found
    assert "Check “Criminal record” for Петрова Анна is missing." in found
    assert "Preparation training: 0 of 40 hours completed." in found
    household.refresh_from_db()
    assert household.stage == Stage.PANEL
    assert household.terms is None


def test_a_failed_or_expired_check_blocks_approval(cast, foster_worker, course):
    household = ready_for_panel(foster_worker, enquiry(foster_worker, cast.agency_a), course)
    member = household.members.get()
    actions.check_record(
        actor=foster_worker,
        household=household,
        data={
            "kind": "criminal_record",
            "member": member,
            "done_on": TODAY(),
            "result": CheckResult.FAILED,
        },
    )
    actions.check_record(
        actor=foster_worker,
        household=household,
        data={
            "kind": "references",
            "done_on": TODAY() - datetime.timedelta(days=400),
            "expires_on": TODAY() - datetime.timedelta(days=1),
            "result": CheckResult.PASSED,
        },
    )
    blockers = selectors.approval_blockers(household)
    assert any("Criminal record" in b and "failed" in b for b in blockers)
    # the older, expired references check does not replace the valid newer one
    assert not any("References" in b for b in blockers)
    with pytest.raises(ValidationError, match="cannot be approved yet"):
        approve(foster_worker, household)


def test_required_checks_and_hours_come_from_settings(cast, foster_worker, course, settings):
    settings.CARER_MIN_TRAINING_HOURS = 60
    settings.CARER_REQUIRED_CHECKS = {"references": "household"}
    household = ready_for_panel(foster_worker, enquiry(foster_worker, cast.agency_a), course)
    assert selectors.approval_blockers(household) == [
        "Preparation training: 40 of 60 hours completed."
    ]


def test_an_adult_check_names_the_adult(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    with pytest.raises(ValidationError) as caught:
        actions.check_record(
            actor=foster_worker,
            household=household,
            data={"kind": "health", "done_on": TODAY(), "result": "passed"},
        )
    assert caught.value.message_dict["member"] == ["Choose the adult this check is for."]


def test_a_stale_version_is_refused(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    actions.carer_move(
        actor=foster_worker, household=household, to=Stage.INFORMATION_VISIT, version=1
    )
    with pytest.raises(StaleVersionError):
        actions.carer_move(
            actor=foster_worker, household=household, to=Stage.APPLICATION, version=1
        )


def test_terms_are_checked(cast, foster_worker, course):
    household = ready_for_panel(foster_worker, enquiry(foster_worker, cast.agency_a), course)
    with pytest.raises(ValidationError) as caught:
        approve(foster_worker, household, age_min=10, age_max=3, sexes=[], max_children=1)
    errors = caught.value.message_dict
    assert errors["age_max"] == ["The oldest age cannot be below the youngest."]
    assert errors["sexes"] == ["Choose girls, boys or both."]
    assert errors["sibling_groups"] == ["A sibling group needs room for at least two children."]


def test_deregistering_needs_a_reason(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    with pytest.raises(ValidationError, match="Say why"):
        move(foster_worker, household, Stage.DEREGISTERED)
    move(foster_worker, household, Stage.DEREGISTERED, note="Передумали")
    with pytest.raises(ValidationError, match="cannot go from"):
        move(foster_worker, household, Stage.ENQUIRY)


def test_hold_and_resume_while_the_approval_is_valid(cast, foster_worker, course):
    household = approved_household(foster_worker, cast.agency_a, course)
    move(foster_worker, household, Stage.ON_HOLD, note="Болезнь")
    resumed = move(foster_worker, household, Stage.APPROVED)
    assert resumed.stage == Stage.APPROVED


def test_the_annual_review_extends_the_approval_or_is_refused(cast, foster_worker, course):
    household = approved_household(foster_worker, cast.agency_a, course)
    household.refresh_from_db()
    review = actions.annual_review_record(
        actor=foster_worker,
        household=household,
        reviewed_on=TODAY(),
        outcome=ReviewOutcome.CONTINUE,
        version=household.version,
    )
    assert review.pk
    household.refresh_from_db()
    assert household.approval_expires_on == TODAY() + datetime.timedelta(days=365)
    member = household.members.get()
    actions.check_record(
        actor=foster_worker,
        household=household,
        data={"kind": "health", "member": member, "done_on": TODAY(), "result": "failed"},
    )
    with pytest.raises(ValidationError, match="cannot be approved yet"):
        actions.annual_review_record(
            actor=foster_worker,
            household=household,
            reviewed_on=TODAY(),
            outcome=ReviewOutcome.CONTINUE,
            version=household.version,
        )


def test_expiry_tasks_are_made_once_and_closed_on_renewal(cast, foster_worker, course, settings):
    household = approved_household(foster_worker, cast.agency_a, course)
    check = household.checks.get(kind="references")
    check.expires_on = TODAY() + datetime.timedelta(days=20)
    check.save()
    first = actions.expiry_tasks()
    second = actions.expiry_tasks()
    assert first == second == 1
    task = Task.objects.get(source=f"carer-check:{check.uuid}")
    assert task.case is None
    assert task.assigned_to == foster_worker
    assert task.completed_at is None
    assert "References" in task.title and household.name in task.title
    actions.check_record(
        actor=foster_worker,
        household=household,
        data={
            "kind": "references",
            "done_on": TODAY(),
            "expires_on": TODAY() + datetime.timedelta(days=365),
            "result": "passed",
        },
    )
    task.refresh_from_db()
    assert task.completed_at is not None
    # the approval itself: a review task as its end comes near
    settings.CARER_EXPIRY_NOTICE_DAYS = 400
    actions.expiry_tasks()
    review = Task.objects.get(source__startswith=f"carer-approval:{household.uuid}")
    assert review.kind == "review"
    household.refresh_from_db()
    actions.annual_review_record(
        actor=foster_worker,
        household=household,
        reviewed_on=TODAY(),
        outcome=ReviewOutcome.CONTINUE,
        version=household.version,
    )
    review.refresh_from_db()
    assert review.completed_at is not None


def test_the_expiry_command_runs(cast, foster_worker, course):
    from io import StringIO

    from django.core.management import call_command

    approved_household(foster_worker, cast.agency_a, course)
    out = StringIO()
    call_command("carers_expiry_tasks", stdout=out)
    assert "task" in out.getvalue()


def test_home_study_submission_needs_every_required_answer(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    for stage in (Stage.INFORMATION_VISIT, Stage.APPLICATION, Stage.TRAINING, Stage.HOME_STUDY):
        move(foster_worker, household, stage)
    household.refresh_from_db()
    study = actions.home_study_start(actor=foster_worker, household=household)
    assert study.template.code == "foster_home_study"
    with pytest.raises(ValidationError) as caught:
        actions.home_study_save(
            actor=foster_worker,
            study=study,
            answers={"motivation": "Хотим"},
            completed_on=TODAY(),
            version=study.version,
            submit=True,
        )
    assert "answers.recommendation" in caught.value.message_dict
    saved = actions.home_study_save(
        actor=foster_worker,
        study=study,
        answers={"motivation": "Хотим"},
        completed_on=None,
        version=study.version,
    )
    assert saved.status == "draft"
    assert saved.answers == {"motivation": "Хотим"}


def test_the_dashboard_counts(cast, foster_worker, course):
    enquiry(foster_worker, cast.agency_a, name="Семья Ивановых")
    approved = approved_household(foster_worker, cast.agency_a, course)
    approved.enquiry_on = TODAY() - datetime.timedelta(days=120)
    approved.save()
    board = selectors.dashboard(foster_worker)
    counts = {code: count for code, _label, count in board.stages}
    assert counts["enquiry"] == 1
    assert counts["approved"] == 1
    assert board.median_days_to_approval == 120
    assert board.vacancies_total == 2
    assert [h.pk for h in board.with_vacancies] == [approved.pk]
    assert board.lapsing == []
    soon = selectors.dashboard(foster_worker, today=TODAY() + datetime.timedelta(days=330)).lapsing
    assert [h.pk for h in soon] == [approved.pk]


def test_carers_are_scoped_to_the_region_and_agency(cast, foster_worker, course):
    from conftest import make_user
    from homeward.access.roles import Role

    household = enquiry(foster_worker, cast.agency_a)
    other_region = make_user("fcw_b", cast.agency_b, Role.FOSTER_CARE_WORKER)
    assert list(selectors.carers_for_user(foster_worker)) == [household]
    assert list(selectors.carers_for_user(other_region)) == []
    assert list(selectors.carers_for_user(cast.analyst)) == []
    # a case manager in the same region sees the regional pool (read-only)
    assert list(selectors.carers_for_user(cast.case_manager_a)) == [household]


def test_the_ranking_rows_follow_the_households(cast, foster_worker, course):
    from conftest import make_user
    from homeward.access.roles import Role
    from homeward.carers.models import MatchingRow

    approved = approved_household(foster_worker, cast.agency_a, course)
    enquiry(foster_worker, cast.agency_a, name="Семья Ивановых")
    row = MatchingRow.objects.get(household=approved)
    assert row.available and row.max_children == 2 and row.language_mask == 0b11
    assert row.region.code == "BY-VI"
    move(foster_worker, approved, Stage.ON_HOLD, note="Отпуск")
    row.refresh_from_db()
    assert not row.available
    users = [
        foster_worker,
        cast.case_manager_a,
        cast.case_manager_b,
        cast.analyst,
        make_user("fcw_b", cast.agency_b, Role.FOSTER_CARE_WORKER),
    ]
    for user in users:
        households = set(selectors.carers_for_user(user).values_list("pk", flat=True))
        rows = set(selectors.matching_rows_for_user(user).values_list("pk", flat=True))
        assert households == rows, user
    assert actions.matching_rows_rebuild() == 2
    assert not MatchingRow.objects.get(household=approved).available


def test_leaving_the_register_closes_the_households_tasks(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    check = actions.check_record(
        actor=foster_worker,
        household=household,
        data={
            "kind": "references",
            "done_on": TODAY(),
            "expires_on": TODAY() + datetime.timedelta(days=10),
            "result": "passed",
        },
    )
    actions.expiry_tasks()
    task = Task.objects.get(source=f"carer-check:{check.uuid}")
    move(foster_worker, household, Stage.DEREGISTERED, note="Переехали")
    task.refresh_from_db()
    assert task.completed_at is not None
    assert actions.expiry_tasks() == 0
