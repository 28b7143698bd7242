"""The journey in Chromium: a foster-care worker takes an enquiry to approval, finds the
carers for a child and places her; the case manager sees the review due and, later, ends the
placement when the child goes home."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import browser_login
from homeward.care.models import Placement
from homeward.carers.models import CarerHousehold
from homeward.carers.tests.helpers import locality
from homeward.cases.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enquiry_to_placement_and_reunification(
    live_server, browser, cast, register_child, foster_worker, course
):
    from homeward.matching.tests.test_matching import decide

    base = live_server.url
    child = register_child(family_name="Морозова", given_name="Алина", sex="F")
    decide(cast, child)
    worker = browser.new_context(locale="en-GB").new_page()
    manager = browser.new_context(locale="en-GB").new_page()
    errors: list[str] = []
    for page in (worker, manager):  # a CSP violation or script error shows up here
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(worker, base, foster_worker)

    # the enquiry
    worker.goto(f"{base}/carers/new/")
    worker.fill("#id_name", "Семья Новиковых")
    worker.select_option("#id_location", locality().code)
    worker.check("input[name=languages][value=ru]")
    worker.click("main button[type=submit]")
    worker.wait_for_selector("text=The enquiry is recorded.")
    household = CarerHousehold.objects.get(name="Семья Новиковых")
    page_url = f"{base}/carers/{household.uuid}/"

    def move(to: str) -> None:
        worker.goto(f"{page_url}move/")
        worker.select_option("#id_to", to)
        worker.click("main button[type=submit]")
        worker.wait_for_selector("text=The household has moved on.")

    # the main carer, the checks and the training
    worker.goto(f"{page_url}members/new/")
    worker.fill("#id_family_name", "Новикова")
    worker.fill("#id_given_name", "Ольга")
    worker.select_option("#id_sex", "F")
    worker.select_option("#id_role", "main_carer")
    worker.click("main button[type=submit]")
    worker.wait_for_selector("text=Member added.")
    move("information_visit")
    move("application")
    valid = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    for kind, adult in (
        ("references", False),
        ("home_safety", False),
        ("health", True),
        ("criminal_record", True),
    ):
        worker.goto(f"{page_url}checks/new/")
        worker.select_option("#id_kind", kind)
        if adult:
            worker.select_option("#id_member", index=1)
        worker.fill("#id_expires_on", valid)
        worker.select_option("#id_result", "passed")
        worker.click("main button[type=submit]")
        worker.wait_for_selector("text=Check recorded.")
    move("training")
    worker.goto(f"{page_url}training/new/")
    worker.select_option("#id_course", str(course.uuid))
    worker.click("main button[type=submit]")
    worker.wait_for_selector("text=Training recorded.")
    move("home_study")

    # the home study, with the assessment form
    worker.goto(f"{page_url}home-study/")
    worker.click("main button:has-text('Start a home study')")
    worker.fill("[name=a-motivation]", "Хотим помочь ребёнку из нашего района.")
    worker.check("[name=a-household_agrees][value=yes]")
    for key in ("parenting", "needs", "birth_family", "behaviour", "space", "network"):
        worker.check(f"[name=a-{key}][value='3']")
    worker.check("[name=a-own_bed][value=yes]")
    worker.check("[name=a-recommended_term][value=both]")
    worker.fill("[name=a-recommendation]", "Рекомендуем.")
    worker.fill("#id_completed_on", timezone.localdate().isoformat())
    worker.click("button:has-text('Submit the home study')")
    worker.wait_for_selector("text=The home study is submitted.")
    move("panel")

    # the panel approves, with terms
    worker.goto(f"{page_url}approve/")
    worker.fill("#id_panel", "Комиссия по опеке")
    worker.fill("#id_max_children", "2")
    worker.fill("#id_age_min", "3")
    worker.fill("#id_age_max", "14")
    worker.click("main button[type=submit]")
    worker.wait_for_selector("text=The household is approved.")

    # the child's matches, with reasons; choose and accept
    worker.goto(f"{base}/children/{child.uuid}/")
    worker.click("a:has-text('Matches')")
    worker.wait_for_selector("text=Семья Новиковых")
    assert "speaks Russian" in worker.content()
    worker.click("main button:has-text('Choose')")
    worker.wait_for_selector("h1:has-text('Accept the match')")
    worker.fill("#id_reason", "Подбор семьи")
    worker.click("main button:has-text('Accept and place')")
    worker.wait_for_selector("text=The match is accepted and the placement recorded.")
    placement = Placement.objects.get(child=child)
    assert placement.care_type == "foster"

    # the review is due: the case manager sees it coming up
    browser_login(manager, base, cast.case_manager_a)
    manager.goto(f"{base}/cases/my-work/")
    manager.wait_for_selector("text=Review the placement")
    assert Task.objects.filter(source=f"placement-review:{placement.uuid}").exists()

    # the child goes home
    manager.goto(f"{base}/children/{child.uuid}/")
    manager.click(f"a[href='/care/placements/{placement.uuid}/end/']")
    manager.select_option("#id_exit_destination", "reunified")
    manager.click("main button[type=submit]")
    manager.wait_for_selector("text=The placement has ended.")
    placement.refresh_from_db()
    assert placement.exit_destination == "reunified"
    assert errors == []
