"""The dashboard in a real browser under the strict CSP: charts drawn without scripts, the
supervisor's bars lead to the records, the analyst's do not."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(cast, register_child, put_placement):
    """Children leaving institution A month by month in 2025; a few in Gomel region."""
    district = cast.agency_a.area
    for index in range(30):
        born = datetime.date(2010 + index % 8, 1 + index % 12, 1)
        child = register_child(
            given_name=f"Ребёнок{index}", date_of_birth=born, sex="MF"[index % 2]
        )
        end = datetime.date(2025, 1 + index % 12, 28) if index % 3 == 0 else None
        put_placement(
            child=child,
            care_type="institution",
            institution=cast.institution,
            provider_name="—",
            region=district.parent,
            district=district,
            start=datetime.date(2024, 1, 10),
            end=end,
            exit_destination="reunified" if end else "",
            reason="test",
        )
    for index in range(3):
        child = register_child(agency=cast.agency_b, given_name=f"Гомель{index}")
        put_placement(
            child=child,
            care_type="foster",
            provider_name="—",
            region=cast.agency_b.area.parent,
            district=cast.agency_b.area,
            start=datetime.date(2025, 3, 1),
            reason="test",
        )


def _shoot(page, name):
    folder = os.environ.get("DASHBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_dashboard_draws_its_charts_and_leads_to_the_records(
    live_server, page, cast, register_child, put_placement
):
    _fill(cast, register_child, put_placement)
    query = "date=2025-12-31&indicator=RES&by=age_band&compare=region&months=24"
    browser_login(page, live_server.url, cast.supervisor_a)
    page.goto(f"{live_server.url}/indicators/dashboard/?{query}")
    assert page.locator("svg polyline").count() >= 1
    assert page.locator("svg rect").count() >= 3
    _shoot(page, "dashboard-supervisor")
    page.locator("table a", has_text="Children").first.click()
    page.wait_for_url("**/indicators/dashboard/records/**")
    assert page.locator("tbody tr").count() >= 1
    _shoot(page, "records-supervisor")


def test_the_analyst_sees_numbers_only(live_server, page, cast, register_child, put_placement):
    _fill(cast, register_child, put_placement)
    browser_login(page, live_server.url, cast.analyst)
    page.goto(
        f"{live_server.url}/indicators/dashboard/?date=2025-12-31&indicator=RES&by=sex&compare=region"
    )
    assert page.locator("a[href*='/records/']").count() == 0
    assert page.get_by_text("<5").count() >= 1
    _shoot(page, "dashboard-analyst")
    page.goto(
        f"{live_server.url}/indicators/dashboard/?date=2025-12-31&institution=INST-A&indicator=MOVED&by=sex"
    )
    _shoot(page, "dashboard-institution")
