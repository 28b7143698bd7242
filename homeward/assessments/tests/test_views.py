"""The pages: starting, filling in (drafts, refusals, submission), reading, approving,
comparing, the administrators' versions, scope and query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from homeward.assessments import actions
from homeward.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from homeward.assessments.tests.conftest import INITIAL_OK, wellbeing

pytestmark = pytest.mark.django_db


def post_data(answers, **extra):
    """The fill-in form's inputs for these answers (groups as numbered slots)."""
    data = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            data[f"a-{key}-count"] = str(len(value))
            for index, item in enumerate(value):
                for sub, sub_value in item.items():
                    data[f"a-{key}-{index}-{sub}"] = _input(sub_value)
        else:
            data[f"a-{key}"] = _input(value)
    data.update(extra)
    return data


def _input(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return value
    return str(value)


def started(case, shipped, code, actor):
    return actions.assessment_start(actor=actor, case=case, template=shipped[code])


def test_the_case_page_lists_assessments_and_offers_to_start_one(cast, case, shipped):
    assessment = started(case, shipped, "initial_assessment", cast.case_manager_a)
    page = login(cast.case_manager_a).get(f"/cases/{case.uuid}/").content.decode()
    assert "Start an assessment" in page
    assert f"/assessments/{assessment.uuid}/" in page
    wg_page = login(cast.supervisor_a).get(f"/cases/{case.uuid}/").content.decode()
    assert "Initial assessment" in wg_page


def test_start_then_fill_in_save_a_draft_and_submit(cast, case, shipped):
    client = login(cast.case_manager_a)
    start_page = client.get(f"/assessments/cases/{case.uuid}/new/")
    assert start_page.status_code == 200
    assert "Child well-being scale" in start_page.content.decode()
    created = client.post(
        f"/assessments/cases/{case.uuid}/new/", {"template": "initial_assessment"}
    )
    assert created.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert created["Location"] == f"/assessments/{assessment.uuid}/edit/"

    form = client.get(created["Location"])
    page = form.content.decode()
    assert form.status_code == 200
    assert '<legend class="h5 float-none w-auto mb-2">Safety and immediate risk</legend>' in page
    assert 'for="id_a-concern"' in page and 'id="id_a-concern"' in page
    assert 'data-show-if="a-child_seen" data-show-values="[&quot;yes&quot;]"' in page
    assert "assessments/assessment_form.js" in page
    assert "<script>" not in page and "style=" not in page

    draft = client.post(
        created["Location"],
        post_data({"concern": "Голодает", "child_seen": True}, version=1, intent="save"),
    )
    assert draft.status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers == {"concern": "Голодает", "child_seen": True}

    submitted = client.post(created["Location"], post_data(INITIAL_OK, version=2, intent="submit"))
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    case.refresh_from_db()
    assert case.risk_level == "medium"
    detail = client.get(submitted["Location"]).content.decode()
    assert "Risk level" in detail and "Medium" in detail
    assert "Ребёнок приходит в школу голодным." in detail
    # a submitted assessment's form sends the user back to read it
    assert client.get(created["Location"]).status_code == 302


def test_bad_answers_are_refused_with_messages_tied_to_their_questions(cast, case, shipped):
    client = login(cast.case_manager_a)
    assessment = started(case, shipped, "initial_assessment", cast.case_manager_a)
    url = f"/assessments/{assessment.uuid}/edit/"
    bad = {k: v for k, v in INITIAL_OK.items() if k != "concern"}
    bad.update(child_seen=False, child_seen_on="2025-01-11", child_not_seen_reason="Нет дома")
    response = client.post(url, post_data(bad, version=1, intent="submit"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert '<a href="#q-a-concern">' in page
    assert 'id="id_a-concern_errors"' in page and "Answer this question." in page
    assert 'aria-describedby="id_a-concern_errors"' in page
    assert "does not apply with the answers given above" in page
    # the typed answers stay on the page
    assert "Нет дома" in page
    assessment.refresh_from_db()
    assert assessment.answers == {}
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_scale_out_of_range_and_a_stale_version_are_refused(cast, case, shipped):
    client = login(cast.case_manager_a)
    assessment = started(case, shipped, "wellbeing_scale", cast.case_manager_a)
    url = f"/assessments/{assessment.uuid}/edit/"
    response = client.post(url, post_data(wellbeing(growth=7), version=1, intent="submit"))
    assert response.status_code == 422
    assert "Choose a value from 1 to 4." in response.content.decode()
    stale = client.post(url, post_data(wellbeing(), version=9, intent="save"))
    assert stale.status_code == 422
    assert "Someone else changed this record" in stale.content.decode()


def test_repeating_group_entries_are_added_and_removed(cast, case, shipped):
    client = login(cast.case_manager_a)
    assessment = started(case, shipped, "family_needs", cast.case_manager_a)
    url = f"/assessments/{assessment.uuid}/edit/"
    data = {
        "a-members-count": "3",
        "a-members-0-name": "Иванова Мария",
        "a-members-0-relationship": "mother",
        "a-members-1-name": "",
        "a-members-2-name": "Иванов Пётр",
        "a-members-2-works": "yes",
        "version": "1",
        "intent": "save",
    }
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["members"] == [
        {"name": "Иванова Мария", "relationship": "mother"},
        {"name": "Иванов Пётр", "works": True},
    ]
    page = client.get(url).content.decode()
    assert "Entry 2" in page and "New entry" in page and "Remove this entry" in page
    removed = {**data, "version": "2", "a-members-2-remove": "1"}
    assert client.post(url, removed).status_code == 302
    assessment.refresh_from_db()
    assert [m["name"] for m in assessment.answers["members"]] == ["Иванова Мария"]


def test_approval_page_is_for_a_supervisor_other_than_the_author(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = started(case, shipped, "comprehensive_child", manager)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = manager
    assessment.save()
    url = f"/assessments/{assessment.uuid}/decide/"
    assert login(manager).get(url).status_code == 403
    supervisor = login(cast.supervisor_a)
    assert (
        "Approve or return" in supervisor.get(f"/assessments/{assessment.uuid}/").content.decode()
    )
    empty = supervisor.post(url, {"decision": "return", "comment": "", "version": 1})
    assert empty.status_code == 422
    assert "Say what needs to change." in empty.content.decode()
    approved = supervisor.post(url, {"decision": "approve", "comment": "", "version": 1})
    assert approved.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED


def test_comparison_page_shows_what_improved_and_what_got_worse(cast, case, shipped):
    manager = cast.case_manager_a
    earlier = started(case, shipped, "wellbeing_scale", manager)
    earlier = actions.assessment_submit(
        actor=manager, assessment=earlier, version=1, answers=wellbeing(2)
    )
    later = started(case, shipped, "wellbeing_scale", manager)
    later = actions.assessment_submit(
        actor=manager, assessment=later, version=1, answers=wellbeing(3, legal=1)
    )
    client = login(manager)
    listing = client.get(f"/assessments/cases/{case.uuid}/").content.decode()
    assert "Compare two assessments" in listing
    url = f"/assessments/cases/{case.uuid}/compare/"
    response = client.get(url, {"first": later.uuid, "second": earlier.uuid})
    assert response.status_code == 200
    result = response.context["result"]
    found = {c.key: c.change for s in result.sections for c in s.changes}
    assert found["food_security"] == "improved"
    assert found["legal"] == "worse"
    assert "food_notes" not in found  # unanswered both times
    assert {c.key: c.change for c in result.scores}["overall"] == "improved"
    assert response.context["before"] == earlier
    page = response.content.decode()
    assert "Better" in page and "Worse" in page
    same = client.get(url, {"first": later.uuid, "second": later.uuid})
    assert same.status_code == 422
    assert "Choose two different assessments." in same.content.decode()


def test_another_agencys_case_manager_gets_404(cast, case, shipped):
    assessment = started(case, shipped, "initial_assessment", cast.case_manager_a)
    other = login(cast.case_manager_b)
    for url in [
        f"/assessments/{assessment.uuid}/",
        f"/assessments/{assessment.uuid}/edit/",
        f"/assessments/cases/{case.uuid}/",
        f"/assessments/cases/{case.uuid}/new/",
        f"/assessments/cases/{case.uuid}/compare/",
    ]:
        assert other.get(url).status_code == 404, url
    assert (
        other.post(
            f"/assessments/cases/{case.uuid}/new/", {"template": "wellbeing_scale"}
        ).status_code
        == 404
    )
    assert Assessment.objects.count() == 1
    # a working-group member sees children but does not assess them
    assert login(cast.working_group).get(f"/assessments/cases/{case.uuid}/new/").status_code == 403


def test_administrators_make_a_new_version_from_edited_json(cast, shipped):
    client = login(cast.admin)
    listing = client.get("/assessments/forms/")
    assert listing.status_code == 200
    assert "Family needs and resources assessment" in listing.content.decode()
    assert login(cast.case_manager_a).get("/assessments/forms/").status_code == 403
    url = "/assessments/forms/wellbeing_scale/new-version/"
    page = client.get(url)
    form = page.context["form"]
    data = {**form.initial, "requires_approval": "on"}
    not_json = client.post(url, {**data, "definition": "{sections: "})
    assert not_json.status_code == 422
    assert "This is not valid JSON" in not_json.content.decode()
    invalid = client.post(url, {**data, "definition": '{"sections": []}'})
    assert invalid.status_code == 422
    assert "needs a list of sections" in invalid.content.decode()
    saved = client.post(url, data)
    assert saved.status_code == 302
    newest = AssessmentTemplate.objects.get(code="wellbeing_scale", version=2)
    assert newest.requires_approval
    assert newest.created_by == cast.admin
    assert newest.definition == shipped["wellbeing_scale"].definition
    withdrawn = client.post("/assessments/forms/wellbeing_scale/in-use/", {"active": "0"})
    assert withdrawn.status_code == 302
    newest.refresh_from_db()
    assert not newest.is_active


def test_the_form_follows_the_users_language(cast, case, shipped):
    assessment = started(case, shipped, "family_needs", cast.case_manager_a)
    client = login(cast.case_manager_a)
    client.post("/i18n/setlang/", {"language": "be", "next": "/"})
    page = client.get(f"/assessments/{assessment.uuid}/edit/").content.decode()
    assert "Ацэнка патрэбнасцей і рэсурсаў сям&#x27;і" in page
    assert "Хто пражывае разам з дзіцём" in page


def test_the_form_page_runs_a_bounded_number_of_queries(cast, case, shipped):
    manager = cast.case_manager_a
    assessment = started(case, shipped, "family_needs", manager)
    client = login(manager)
    url = f"/assessments/{assessment.uuid}/edit/"
    client.get(url)  # warm the per-process caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    members = [{"name": f"Член семьи {n}", "relationship": "sibling"} for n in range(12)]
    supporters = [{"who": f"Соседка {n}", "help_kind": ["childcare"]} for n in range(8)]
    actions.assessment_save_draft(
        actor=manager,
        assessment=assessment,
        version=1,
        answers={"members": members, "supporters": supporters},
    )
    for _other in range(3):
        other = started(case, shipped, "wellbeing_scale", manager)
        actions.assessment_submit(actor=manager, assessment=other, version=1, answers=wellbeing())
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(re.findall(r"Entry \d+", page.content.decode())) == 20
    assert len(many) == len(few)
    assert len(many) <= 15, [q["sql"] for q in many.captured_queries]
