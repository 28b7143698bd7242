"""Referring a child in Chromium: the service chosen first, providers arriving through htmx."""

from __future__ import annotations

import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refer_from_the_case_page_and_answer_from_the_inbox(
    live_server, page, browser, cast, ngo, consented_child
):
    child = consented_child()
    base = live_server.url
    browser_login(page, base, cast.case_manager_a)
    page.goto(f"{base}/cases/{child.case.uuid}/")
    page.click("a:has-text('Refer to a service')")
    page.select_option("#id_service_type", "psychological_counselling")
    page.wait_for_selector("text=Send the referral")  # swapped in by htmx, no reload
    page.select_option("#id_provider", str(ngo.provider.uuid))
    page.fill("#id_reason", "Семье нужна поддержка психолога после пожара в доме.")
    page.click("main button:has-text('Send the referral')")
    page.wait_for_selector("text=Referral sent to")
    assert "Withdraw" in page.content()

    worker = browser.new_context(locale="en-GB").new_page()
    browser_login(worker, base, ngo.worker)
    worker.goto(f"{base}/services/referrals/received/")
    worker.click(f"a:has-text('{child.case_number}')")
    worker.wait_for_selector("text=Семье нужна поддержка психолога")
    worker.click("main button:has-text('Accept')")
    worker.wait_for_selector("text=Referral accepted.")
    worker.context.close()

    page.goto(f"{base}/cases/{child.case.uuid}/")
    page.wait_for_selector("#referrals-h")
    assert "Accepted" in page.locator("section:has(#referrals-h)").inner_text()
