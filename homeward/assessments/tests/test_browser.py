"""The fill-in form in a real browser: conditional questions appear and disappear under the
strict CSP, hidden answers are not sent, and the assessment is submitted."""

from __future__ import annotations

import pytest

from conftest import browser_login
from homeward.assessments import actions
from homeward.assessments.loader import assessments_load
from homeward.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_conditional_questions_follow_the_answers(live_server, page, cast, register_child):
    assessments_load()
    case = register_child().case
    template = AssessmentTemplate.objects.get(code="family_needs")
    assessment = actions.assessment_start(actor=cast.case_manager_a, case=case, template=template)
    browser_login(page, live_server.url, cast.case_manager_a)
    page.goto(f"{live_server.url}/assessments/{assessment.uuid}/edit/")

    details = page.locator("#q-a-debts_details")
    assert details.is_hidden()
    page.check("#id_a-debts_0")  # yes
    details.wait_for(state="visible")
    page.fill("#id_a-debts_details", "Долг за квартиру")
    page.check("#id_a-debts_1")  # no: the answer given above no longer applies
    details.wait_for(state="hidden")
    assert page.locator("#id_a-debts_details").is_disabled()

    page.fill("#id_a-members-0-name", "Иванова Мария")
    page.check("#id_a-members-0-relationship_0")  # mother
    page.click("button[value=save]")
    page.wait_for_selector("text=Draft saved.")
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.answers["debts"] is False
    assert "debts_details" not in saved.answers
    assert saved.answers["members"] == [{"name": "Иванова Мария", "relationship": "mother"}]
    assert saved.status == AssessmentStatus.DRAFT
