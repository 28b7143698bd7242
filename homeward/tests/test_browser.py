"""The main journey in a real browser: Chromium driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login, otp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_find_and_open_a_child_in_russian(live_server, page, cast):
    code = otp_code(cast.case_manager_a)
    page.goto(f"{live_server.url}/children/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", cast.case_manager_a.username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_code", code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/children/")

    # the language switcher submits on change
    page.select_option("#language-select", "ru")
    page.wait_for_selector("html[lang=ru]")
    assert page.locator("h1").inner_text() == "Дети"

    page.click("a[href='/children/new/']")
    fill_child(page, cast, "Іваноў", "Алесь", "Сяргеевіч")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=BY-VI-")
    assert page.locator("h1").inner_text() == "Іваноў Алесь Сяргеевіч"

    # a near-twin written in Russian: the warning comes before anything is saved
    page.goto(f"{live_server.url}/children/new/")
    fill_child(page, cast, "Иванов", "Алесь", "")
    page.click("main button[type=submit]")
    warning = page.locator("#duplicate-warning")
    warning.wait_for()
    assert "Іваноў Алесь Сяргеевіч" in warning.inner_text()

    # search as you type, by the Latin spelling of the Cyrillic name
    page.goto(f"{live_server.url}/children/")
    page.fill("#id_q", "Ivanou")
    result = page.locator("#child-results a", has_text="Іваноў Алесь")
    result.wait_for()
    assert page.locator("#child-results tbody tr").count() == 1
    result.click()
    page.wait_for_selector("h1:has-text('Іваноў Алесь')")
    assert "Ivanou Ales Siarheyevich" in page.content()


def fill_child(page, cast, family: str, given: str, patronymic: str) -> None:
    page.fill("#id_family_name", family)
    page.fill("#id_given_name", given)
    page.fill("#id_patronymic", patronymic)
    page.check("input[name=sex][value=M]")
    page.fill("#id_date_of_birth", "2015-03-14")
    page.select_option("#id_home_location", cast.agency_a.area.code)


def test_the_filters_refresh_the_list_and_the_language_switch_does_not(
    live_server, page, cast, register_child
):
    register_child(given_name="Фильтр", sex="F")
    browser_login(page, live_server.url, cast.case_manager_a)
    page.goto(f"{live_server.url}/children/")
    list_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            list_requests.append(request.url)
            if request.headers.get("hx-request") and "/children/" in request.url
            else None
        ),
    )
    with page.expect_response(lambda response: "sex=M" in response.url):
        page.select_option("#id_sex", "M")
    # htmx swaps the results in a moment after the response: wait for the swap
    expect(page.locator("#child-results")).not_to_contain_text("Фильтр")
    assert len(list_requests) == 1
    # changing the language reloads the page once, without a list request racing it
    page.select_option("#language-select", "ru")
    page.wait_for_selector("html[lang=ru]")
    assert len(list_requests) == 1


def test_the_navigation_menus_open_from_the_keyboard(live_server, page, cast):
    browser_login(page, live_server.url, cast.supervisor_a)
    page.goto(f"{live_server.url}/cases/my-work/")
    reports = page.locator("nav .dropdown-toggle", has_text="Reports")
    expect(page.locator("nav .dropdown-menu", has_text="Dashboards")).to_be_hidden()
    reports.focus()
    page.keyboard.press("Enter")
    expect(page.locator("nav .dropdown-menu", has_text="Dashboards")).to_be_visible()
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(f"{live_server.url}/indicators/")
    # the page reached from the menu marks the menu
    expect(page.locator("nav .dropdown-toggle.active")).to_have_text("Reports")
    # the account menu logs out
    page.locator(
        "nav .dropdown-toggle", has_text=cast.supervisor_a.get_short_name() or "sup_a"
    ).click()
    with page.expect_navigation():
        page.locator("nav button.dropdown-item", has_text="Log out").click()
    assert page.url == f"{live_server.url}/accounts/login/"
