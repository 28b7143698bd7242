"""Loading, versioning, drafting, submitting and approving assessments through the actions."""

from __future__ import annotations

import copy
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import login
from homeward.assessments import actions
from homeward.assessments.loader import assessments_load
from homeward.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from homeward.assessments.tests.conftest import INITIAL_OK, wellbeing
from homeward.audit.models import AuditEvent
from homeward.cases.models import CaseEventType, CaseStatus, Task, TaskKind
from homeward.core.errors import StaleVersionError

pytestmark = pytest.mark.django_db


def start(case, template, actor):
    return actions.assessment_start(actor=actor, case=case, template=template)


def test_loading_is_idempotent_and_never_alters_a_version(shipped, tmp_path):
    assert len(shipped) == 4
    assert assessments_load() == (0, 4)
    initial = shipped["initial_assessment"]
    data = copy.deepcopy(
        {
            "code": initial.code,
            "version": 1,
            "title": initial.title,
            "requires_approval": True,
            "definition": initial.definition,
        }
    )
    data["title"]["en"] = "Something else"
    (tmp_path / "initial.v1.json").write_text(json.dumps(data), encoding="utf-8")
    assert assessments_load(tmp_path) == (0, 1)
    initial.refresh_from_db()
    assert initial.title["en"] == "Initial assessment"
    assert not initial.requires_approval
    data["version"] = 2
    (tmp_path / "initial.v2.json").write_text(json.dumps(data), encoding="utf-8")
    assert assessments_load(tmp_path) == (1, 1)
    assert AssessmentTemplate.objects.get(code="initial_assessment", version=2).requires_approval


def test_the_command_loads_the_shipped_forms_once(db):
    out = io.StringIO()
    call_command("assessments_load", stdout=out)
    call_command("assessments_load", stdout=out)
    assert out.getvalue().splitlines() == [
        "Assessment templates: 4 loaded, 0 already present.",
        "Assessment templates: 0 loaded, 4 already present.",
    ]


def test_a_broken_file_is_refused_by_name(db, tmp_path):
    (tmp_path / "broken.json").write_text(json.dumps({"code": "x", "version": 1}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json"):
        assessments_load(tmp_path)
    assert not AssessmentTemplate.objects.exists()


def test_a_new_template_version_leaves_past_assessments_unchanged(cast, case, shipped):
    manager = cast.case_manager_a
    old = shipped["wellbeing_scale"]
    first = start(case, old, manager)
    first = actions.assessment_submit(
        actor=manager, assessment=first, version=first.version, answers=wellbeing(2)
    )
    before = (first.template_id, first.answers, first.scores)
    definition = copy.deepcopy(old.definition)
    definition["sections"][0]["fields"][0]["label"]["en"] = "Enough food, every day"
    definition["sections"][0]["fields"][0]["max"] = 5
    new = actions.template_new_version(
        actor=cast.admin, code="wellbeing_scale", definition=definition
    )
    assert new.version == 2
    assert new.title == old.title
    old.refresh_from_db()
    assert old.definition["sections"][0]["fields"][0]["max"] == 4
    first.refresh_from_db()
    assert (first.template_id, first.answers, first.scores) == before
    second = start(case, new, manager)
    assert second.template == new
    with pytest.raises(ValidationError, match="not in use any more"):
        start(case, old, manager)


def test_only_administrators_make_versions_and_broken_ones_are_refused(cast, shipped):
    good = shipped["initial_assessment"].definition
    with pytest.raises(ValidationError, match="Only an administrator"):
        actions.template_new_version(
            actor=cast.supervisor_a, code="initial_assessment", definition=good
        )
    with pytest.raises(ValidationError) as refused:
        actions.template_new_version(
            actor=cast.admin, code="initial_assessment", definition={"sections": []}
        )
    assert "definition" in refused.value.message_dict
    with pytest.raises(ValidationError, match="no form with this code"):
        actions.template_new_version(actor=cast.admin, code="nothing", definition=good)
    assert AssessmentTemplate.objects.filter(code="initial_assessment").count() == 1


def test_a_form_withdrawn_from_use_is_not_offered(cast, case, shipped):
    from homeward.assessments.selectors import current_templates

    actions.template_set_active(actor=cast.admin, code="family_needs", active=False)
    assert "family_needs" not in {t.code for t in current_templates()}
    with pytest.raises(ValidationError, match="not in use"):
        start(case, shipped["family_needs"], cast.case_manager_a)


def test_the_foster_home_study_is_not_offered_or_started_on_a_case(cast, case, shipped):
    from homeward.assessments.selectors import case_templates
    from homeward.carers.actions import home_study_template

    home_study = home_study_template()
    assert home_study.code not in {t.code for t in case_templates()}
    assert "family_needs" in {t.code for t in case_templates()}
    with pytest.raises(ValidationError, match="not made on a child's case"):
        start(case, home_study, cast.case_manager_a)
    page = login(cast.case_manager_a).get(f"/assessments/cases/{case.uuid}/new/")
    assert home_study.display_title not in page.content.decode()


def test_draft_then_submission_sets_the_case_risk_and_records_the_chronology(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = start(case, shipped["initial_assessment"], manager)
    assert AssessmentStatus(assessment.status) == AssessmentStatus.DRAFT
    draft = actions.assessment_save_draft(
        actor=manager,
        assessment=assessment,
        version=1,
        answers={"referral_source": "school", "child_seen": "yes"},
    )
    assert draft.answers == {"referral_source": "school", "child_seen": True}
    assert draft.version == 2
    merged = actions.assessment_save_draft(
        actor=manager,
        assessment=draft,
        version=2,
        answers={"child_seen": None, "concern": "Голодает"},
        merge=True,
    )
    assert merged.answers == {"referral_source": "school", "concern": "Голодает"}
    submitted = actions.assessment_submit(
        actor=manager, assessment=merged, version=merged.version, answers=INITIAL_OK
    )
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.scores == {"risk": {"value": 6.0, "level": "medium"}}
    assert submitted.completed_on == timezone.localdate()
    assert submitted.is_final  # the initial assessment needs no approval
    case.refresh_from_db()
    assert case.risk_level == "medium"
    events = list(case.events.values_list("type", flat=True))
    assert CaseEventType.ASSESSMENT_SUBMITTED in events
    assert CaseEventType.RISK_SET in events
    assert AuditEvent.objects.filter(detail__contains=str(submitted.uuid)).exists()


def test_bad_input_is_refused_whole_and_nothing_is_half_saved(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = start(case, shipped["initial_assessment"], manager)
    assessment = actions.assessment_save_draft(
        actor=manager, assessment=assessment, version=1, answers={"concern": "Первое"}
    )
    bad = {**INITIAL_OK, "child_seen": False, "child_seen_on": "2025-01-11"}
    with pytest.raises(ValidationError) as refused:
        actions.assessment_submit(actor=manager, assessment=assessment, version=2, answers=bad)
    errors = refused.value.message_dict
    assert "answers.child_seen_on" in errors
    assert "answers.child_not_seen_reason" in errors
    with pytest.raises(ValidationError) as draft_refused:
        actions.assessment_save_draft(
            actor=manager,
            assessment=assessment,
            version=2,
            answers={"concern": "Второе", "basic_needs": "excellent"},
        )
    assert list(draft_refused.value.message_dict) == ["answers.basic_needs"]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.answers == {"concern": "Первое"}
    assert stored.version == 2
    assert stored.status == AssessmentStatus.DRAFT
    case.refresh_from_db()
    assert case.risk_level == ""
    assert not case.events.filter(type=CaseEventType.ASSESSMENT_SUBMITTED).exists()


def test_a_stale_version_is_refused(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = start(case, shipped["wellbeing_scale"], manager)
    actions.assessment_save_draft(actor=manager, assessment=assessment, version=1, answers={})
    with pytest.raises(StaleVersionError):
        actions.assessment_save_draft(
            actor=manager, assessment=assessment, version=1, answers={"growth": 2}
        )


def test_dates_in_the_future_and_closed_cases_are_refused(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = start(case, shipped["wellbeing_scale"], manager)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        actions.assessment_submit(
            actor=manager,
            assessment=assessment,
            version=1,
            answers=wellbeing(),
            completed_on=tomorrow,
        )
    with pytest.raises(ValidationError, match="unfinished assessment"):
        start(case, shipped["wellbeing_scale"], manager)
    case.status = CaseStatus.CLOSED
    case.save()
    with pytest.raises(ValidationError, match="closed"):
        start(case, shipped["initial_assessment"], manager)


def test_approval_by_the_supervisor_with_a_task_and_never_of_ones_own(cast, case, shipped):
    manager, supervisor = cast.case_manager_a, cast.supervisor_a
    template = shipped["family_needs"]
    assert template.requires_approval
    assessment = start(case, template, manager)
    answers = {
        "members": [{"name": "Иванова Мария", "relationship": "mother", "works": False}],
        "monthly_income": "820",
        "income_sources": ["child_benefit", "informal"],
        "income_rating": 2,
        "debts": True,
        "debts_details": "Долг за коммунальные услуги",
        "employment_rating": 1,
        "housing_type": "rented",
        "housing_rating": 2,
        "relationships_rating": 3,
        "violence": False,
        "parenting_rating": 3,
        "parenting_strengths": "Мать заботлива, ребёнок к ней привязан.",
        "support_rating": 2,
        "services_needed": ["benefits", "employment"],
        "family_priority": "Работа и помощь с долгами.",
    }
    submitted = actions.assessment_submit(
        actor=manager, assessment=assessment, version=1, answers=answers
    )
    assert submitted.scores["resources"] == {"value": 2.17, "level": "moderate_need"}
    assert not submitted.is_final
    task = Task.objects.get(source=f"approval:assessment:{submitted.uuid}")
    assert (task.assigned_to, task.kind) == (supervisor, TaskKind.APPROVAL)
    with pytest.raises(ValidationError, match="Only a supervisor"):
        actions.assessment_approve(actor=manager, assessment=submitted, version=submitted.version)
    with pytest.raises(ValidationError, match="what needs to change"):
        actions.assessment_return(
            actor=supervisor, assessment=submitted, version=submitted.version, comment=" "
        )
    returned = actions.assessment_return(
        actor=supervisor,
        assessment=submitted,
        version=submitted.version,
        comment="Уточните источники дохода.",
    )
    assert returned.status == AssessmentStatus.RETURNED
    task.refresh_from_db()
    assert task.completed_at is not None
    revise = Task.objects.get(source=f"revise:assessment:{returned.uuid}")
    assert revise.assigned_to == manager
    again = actions.assessment_submit(actor=manager, assessment=returned, version=returned.version)
    revise.refresh_from_db()
    assert revise.completed_at is not None
    approved = actions.assessment_approve(
        actor=supervisor, assessment=again, version=again.version, comment="Согласовано"
    )
    assert approved.status == AssessmentStatus.APPROVED
    assert approved.approved_by == supervisor
    assert approved.is_final
    assert case.events.filter(type=CaseEventType.ASSESSMENT_APPROVED).exists()
    assert not Task.objects.filter(
        source__startswith="approval:assessment:", completed_at__isnull=True
    ).exists()
    with pytest.raises(ValidationError, match="not waiting for approval"):
        actions.assessment_approve(actor=supervisor, assessment=approved, version=approved.version)


def test_nobody_approves_their_own_assessment(cast, case, shipped):
    supervisor = cast.supervisor_a
    assessment = start(case, shipped["comprehensive_child"], supervisor)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = supervisor
    assessment.save()
    with pytest.raises(ValidationError, match="your own assessment"):
        actions.assessment_approve(
            actor=supervisor, assessment=assessment, version=assessment.version
        )


def test_a_form_without_approval_cannot_be_approved(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = start(case, shipped["wellbeing_scale"], manager)
    submitted = actions.assessment_submit(
        actor=manager, assessment=assessment, version=1, answers=wellbeing()
    )
    with pytest.raises(ValidationError, match="not waiting for approval"):
        actions.assessment_approve(
            actor=cast.supervisor_a, assessment=submitted, version=submitted.version
        )
    with pytest.raises(ValidationError, match="cannot change"):
        actions.assessment_save_draft(
            actor=manager, assessment=submitted, version=submitted.version, answers={}
        )
