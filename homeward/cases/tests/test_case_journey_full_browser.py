"""A whole case in Chromium, through the pages only: registration, the initial assessment that
sets the risk level, the family needs assessment, a care plan approved by the supervisor, the
family's consent to sharing, a referral accepted by an NGO, a note, the review and the closure."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import browser_login, is_unexpected
from homeward.assessments.loader import assessments_load
from homeward.services.tests.helpers import Ngo
from homeward.services.tests.helpers import ngo as ngo  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts(browser: Any) -> Iterator[Any]:
    """Opens pages in new browser contexts (one user each) that fail the test on console errors."""
    opened: list[Any] = []
    errors: list[str] = []

    def open_page() -> Any:
        context = browser.new_context(locale="en-GB")
        opened.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if is_unexpected(m) else None)
        return page

    yield open_page
    for context in opened:
        context.close()
    assert errors == [], f"browser console errors: {errors}"


def answer(page: Any, key: str, *values: str) -> None:
    """Tick the radio button or the check boxes of a question of an assessment form."""
    for value in values:
        page.check(f"input[name='a-{key}'][value='{value}']")


def test_case_with_assessments_referral_and_closure(
    live_server: Any, page: Any, contexts: Any, cast: Any, ngo: Ngo
) -> None:
    assessments_load()
    base = live_server.url
    manager = page
    today = datetime.date.today()
    browser_login(manager, base, cast.case_manager_a)

    # --- register a child; the case opens with her
    manager.goto(f"{base}/children/new/")
    manager.fill("#id_family_name", "Лукашевич")
    manager.fill("#id_given_name", "Полина")
    manager.check("input[name=sex][value=F]")
    manager.fill("#id_date_of_birth", "2014-09-01")
    manager.select_option("#id_home_location", cast.agency_a.area.code)
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=BY-VI-")
    manager.click("a:has-text('Case: Registered')")
    manager.wait_for_selector("h1:has-text('Case BY-VI-')")
    case_url = manager.url
    case_number = manager.locator("h1").inner_text().removeprefix("Case ").strip()

    def move(to: str) -> None:
        manager.select_option("#move-to", to)
        manager.click("main button:has-text('Move')")
        manager.wait_for_selector("text=The case moved on.")

    def start_assessment(code: str) -> None:
        manager.goto(case_url)
        manager.click("#assessments-h ~ div a:has-text('Start an assessment')")
        manager.check(f"input[name=template][value={code}]")
        manager.click("main button[type=submit]")
        manager.wait_for_url("**/assessments/*/edit/")

    def submit_assessment() -> None:
        manager.click("main button[type=submit][value=submit]")
        manager.wait_for_selector(".alert:has-text('The assessment is submitted.')")

    # --- the initial assessment: its risk level becomes the case's
    move("initial_assessment")
    assert "No assessment yet." in manager.locator("section:has(#assessments-h)").inner_text()
    start_assessment("initial_assessment")
    manager.wait_for_selector("h1:has-text('Initial assessment')")
    answer(manager, "referral_source", "school")
    manager.fill("#id_a-referral_date", (today - datetime.timedelta(days=3)).isoformat())
    manager.fill(
        "#id_a-concern", "Классный руководитель: девочка приходит голодной, синяки на руках."
    )
    seen_on = manager.locator("#q-a-child_seen_on")
    assert seen_on.is_hidden()
    answer(manager, "child_seen", "yes")
    seen_on.wait_for(state="visible")
    manager.fill("#id_a-child_seen_on", (today - datetime.timedelta(days=1)).isoformat())
    answer(manager, "child_location", "parents")
    answer(manager, "immediate_danger", "no")
    answer(manager, "injuries", "yes")  # 3 points
    answer(manager, "supervision", "no")
    answer(manager, "basic_needs", "partly")  # 1 point: 4 in all, a medium risk
    answer(manager, "caregiver_capacity", "no")
    answer(manager, "domestic_violence", "no")
    answer(manager, "vulnerability", "no")
    answer(manager, "earlier_reports", "no")
    answer(manager, "protective_adult", "yes")
    answer(manager, "actions_taken", "safety_plan")
    manager.fill(
        "#id_a-next_steps", "Комплексная оценка семьи в течение недели; социальный педагог."
    )
    submit_assessment()
    scores = manager.locator("section:has(#scores-h)")
    assert "Risk level" in scores.inner_text()
    assert scores.locator(".badge").inner_text() == "Medium"
    manager.goto(case_url)
    manager.wait_for_selector(".badge:has-text('Risk: Medium')")
    assessments = manager.locator("section:has(#assessments-h)").inner_text()
    assert "Initial assessment — Submitted" in assessments

    # --- the family needs and resources assessment, which a supervisor approves
    move("comprehensive_assessment")
    start_assessment("family_needs")
    manager.wait_for_selector("h1:has-text('Family needs and resources assessment')")
    manager.fill("#id_a-members-0-name", "Лукашевич Ольга")
    answer(manager, "members-0-relationship", "mother")
    manager.fill("#id_a-members-0-birth_year", "1990")
    answer(manager, "members-0-works", "no")
    manager.fill("#id_a-monthly_income", "850")
    answer(manager, "income_sources", "child_benefit", "informal")
    answer(manager, "income_rating", "2")
    answer(manager, "debts", "no")
    answer(manager, "employment_rating", "2")
    answer(manager, "housing_type", "rented")
    answer(manager, "housing_rating", "3")
    answer(manager, "relationships_rating", "3")
    answer(manager, "violence", "no")
    answer(manager, "parenting_rating", "2")
    manager.fill("#id_a-parenting_strengths", "Мать любит дочь и готова принимать помощь.")
    answer(manager, "support_rating", "2")
    answer(manager, "services_needed", "psychological", "benefits")
    manager.fill("#id_a-family_priority", "Поддержка психолога и помощь с пособиями.")
    submit_assessment()
    manager.wait_for_selector("text=This assessment waits for a supervisor's approval.")
    family_needs_url = manager.url

    # --- the care plan, sent for approval
    manager.goto(case_url)
    move("case_planning")
    manager.click("a:has-text('New care plan')")
    manager.click("main button[type=submit]")
    manager.click("a:has-text('Add a goal')")
    manager.select_option("#id_domain", "family")
    manager.fill("#id_text", "Мать справляется с уходом без признаков пренебрежения")
    manager.fill("#id_action_text", "Консультации психолога НКО")
    manager.fill("#id_responsible", "Социальный педагог")
    manager.fill("#id_due_on", (today + datetime.timedelta(days=180)).isoformat())
    manager.click("main button[type=submit]")
    manager.click("main button:has-text('Send for approval')")
    manager.wait_for_selector("text=Waiting for approval")
    plan_url = manager.url

    # --- the supervisor, in her own browser, approves the plan and the assessment
    supervisor = contexts()
    browser_login(supervisor, base, cast.supervisor_a)
    supervisor.goto(f"{base}/cases/my-work/")
    supervisor.wait_for_selector("text=Approve the care plan")
    supervisor.wait_for_selector("text=Approve the assessment")
    supervisor.goto(plan_url)
    supervisor.click("a:has-text('Approve or return')")
    supervisor.select_option("#id_decision", "approve")
    supervisor.click("main button[type=submit]")
    supervisor.wait_for_selector(".badge:has-text('Approved')")
    supervisor.goto(family_needs_url)
    supervisor.click("a:has-text('Approve or return')")
    supervisor.check("input[name=decision][value=approve]")
    supervisor.click("main button[type=submit]")
    supervisor.wait_for_selector("text=Decision recorded.")
    supervisor.wait_for_selector(".badge:has-text('Approved')")

    # --- implementation; the family agrees to share the record with the NGO
    manager.goto(case_url)
    assert "Family needs and resources assessment — Approved" in (
        manager.locator("section:has(#assessments-h)").inner_text()
    )
    move("implementation")
    manager.wait_for_selector(".badge:has-text('Implementation')")
    manager.click("h1 + a")  # the child's name: her record
    manager.wait_for_selector("#consent-h")
    manager.click("section:has(#consent-h) a:has-text('Record consent')")
    manager.select_option("#id_kind", "sharing")
    manager.select_option("#id_given_by", "both")
    manager.select_option("#id_agency", ngo.agency.code)
    manager.click("main button[type=submit]")
    manager.wait_for_selector(".alert:has-text('Consent recorded.')")
    consents = manager.locator("section:has(#consent-h)").inner_text()
    assert "Sharing with a named agency or service — ОО «Крепкая семья»" in consents

    # --- the referral to the NGO's service
    manager.click("a:has-text('Case: Implementation')")
    manager.wait_for_selector("#referrals-h")
    assert "No referrals." in manager.locator("section:has(#referrals-h)").inner_text()
    manager.click("a:has-text('Refer to a service')")
    manager.wait_for_selector("h1:has-text('Refer to a service')")
    assert "No consent to sharing" not in manager.content()
    manager.select_option("#id_service_type", ngo.service_type.code)
    manager.wait_for_selector("text=Send the referral")  # swapped in by htmx
    manager.select_option("#id_provider", str(ngo.provider.uuid))
    manager.fill("#id_reason", "Мать нуждается в поддержке психолога; дочь — в занятиях с ним.")
    manager.click("main button:has-text('Send the referral')")
    manager.wait_for_selector(f"text=Referral sent to {ngo.provider.name}")

    # --- the NGO worker, in a third browser, finds it among the referrals received and accepts
    worker = contexts()
    browser_login(worker, base, ngo.worker)
    worker.click("nav a:has-text('Services')")
    worker.click("main a:has-text('Referrals received')")
    worker.wait_for_selector("h1:has-text('Referrals to your agency')")
    row = worker.locator("tbody tr", has_text=case_number)
    assert "Sent" in row.inner_text()
    row.locator(f"a:has-text('{case_number}')").click()
    worker.wait_for_selector("text=Мать нуждается в поддержке психолога")
    worker.click("main button:has-text('Accept')")
    worker.wait_for_selector(".alert:has-text('Referral accepted.')")

    # --- back to the case manager: the referral is accepted; a note, the review
    manager.goto(case_url)
    referrals = manager.locator("section:has(#referrals-h)")
    referrals.locator(".badge:has-text('Accepted')").wait_for()
    assert ngo.provider.name in referrals.inner_text()
    manager.click("a:has-text('Add a case note')")
    manager.select_option("#id_kind", "visit")
    manager.fill("#id_text", "Визит на дом: мать посещает психолога, девочка сыта и спокойна.")
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=Визит на дом: мать посещает психолога")
    move("review")
    manager.wait_for_selector(".badge:has-text('Review')")

    # --- closing needs the supervisor
    manager.click("a:has-text('Close the case')")
    manager.fill("#id_reason", "Цели плана достигнуты, риск снят")
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=It waits for a supervisor's approval")
    supervisor.goto(case_url)
    supervisor.click("a:has-text('Decide')")
    supervisor.select_option("#id_decision", "approve")
    supervisor.click("main button[type=submit]")
    supervisor.wait_for_selector(".badge:has-text('Closed')")
    assert "Case closed" in supervisor.content()
    manager.goto(case_url)
    manager.wait_for_selector(".badge:has-text('Closed')")
    assert "Цели плана достигнуты, риск снят" in manager.content()
