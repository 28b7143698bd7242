"""A case from registration to closure, in Chromium, by a case manager and her supervisor."""

from __future__ import annotations

import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_from_registration_to_closure(live_server, browser, cast):
    base = live_server.url
    manager = browser.new_context(locale="en-GB").new_page()
    supervisor = browser.new_context(locale="en-GB").new_page()
    browser_login(manager, base, cast.case_manager_a)

    # register a child
    manager.goto(f"{base}/children/new/")
    manager.fill("#id_family_name", "Коваленко")
    manager.fill("#id_given_name", "Дарья")
    manager.check("input[name=sex][value=F]")
    manager.fill("#id_date_of_birth", "2014-09-01")
    manager.select_option("#id_home_location", cast.agency_a.area.code)
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=BY-VI-")
    manager.click("a:has-text('Case: Registered')")
    manager.wait_for_selector("h1:has-text('Case BY-VI-')")
    case_url = manager.url

    def move(to: str) -> None:
        manager.select_option("#move-to", to)
        manager.click("button:has-text('Move')")
        manager.wait_for_selector("text=The case moved on.")

    manager.select_option("#id_risk_level", "medium")
    manager.click("form[action$='/risk/'] button")
    manager.wait_for_selector("text=Risk: Medium")
    move("initial_assessment")
    move("comprehensive_assessment")
    move("case_planning")

    # the care plan, sent for approval
    manager.click("a:has-text('New care plan')")
    manager.click("main button[type=submit]")
    manager.click("a:has-text('Add a goal')")
    manager.select_option("#id_domain", "family")
    manager.fill("#id_text", "Мать восстанавливает навыки ухода")
    manager.fill("#id_action_text", "Группа поддержки родителей")
    manager.fill("#id_responsible", "Социальный педагог")
    manager.fill("#id_due_on", "2027-03-01")
    manager.click("main button[type=submit]")
    manager.click("button:has-text('Send for approval')")
    manager.wait_for_selector("text=Waiting for approval")
    plan_url = manager.url

    # the supervisor approves it from her list of approvals
    browser_login(supervisor, base, cast.supervisor_a)
    supervisor.goto(f"{base}/cases/my-work/")
    supervisor.wait_for_selector("text=Approve the care plan")
    supervisor.goto(plan_url)
    supervisor.click("a:has-text('Approve or return')")
    supervisor.select_option("#id_decision", "approve")
    supervisor.click("main button[type=submit]")
    supervisor.wait_for_selector(".badge:has-text('Approved')")

    # implementation, a note, the review
    manager.goto(case_url)
    move("implementation")
    manager.click("a:has-text('Add a case note')")
    manager.select_option("#id_kind", "visit")
    manager.fill("#id_text", "Визит на дом: всё спокойно.")
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=Визит на дом: всё спокойно.")
    move("review")

    # closing needs the supervisor
    manager.click("a:has-text('Close the case')")
    manager.fill("#id_reason", "Цели плана достигнуты")
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=It waits for a supervisor's approval")
    supervisor.goto(case_url)
    supervisor.click("a:has-text('Decide')")
    supervisor.select_option("#id_decision", "approve")
    supervisor.click("main button[type=submit]")
    supervisor.wait_for_selector(".badge:has-text('Closed')")
    assert "Case closed" in supervisor.content()
