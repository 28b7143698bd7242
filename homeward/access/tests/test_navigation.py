"""The main navigation: what each role is offered, grouped, and which page is current."""

from __future__ import annotations

import pytest

from conftest import login

pytestmark = pytest.mark.django_db


def offered(client, path: str = "/cases/my-work/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.context["navigation"]


def labels(entries) -> list[str]:
    return [str(entry["label"]) for entry in entries]


def test_daily_pages_are_links_and_the_others_are_grouped_in_menus(cast):
    entries = offered(login(cast.supervisor_a))
    links = [entry for entry in entries if "pages" not in entry]
    menus = {str(entry["label"]): labels(entry["pages"]) for entry in entries if "pages" in entry}
    assert labels(links)[:3] == ["My work", "My team", "Children"]
    assert menus["Care"] == ["Institutions", "Foster carers", "Matching"]
    assert "Dashboards" in menus["Reports"]
    assert "Audit trail" in menus["More"]


def test_only_the_current_page_is_marked_even_where_names_share_a_prefix(cast):
    client = login(cast.supervisor_a)
    entries = offered(client, "/cases/team/")
    assert [str(e["label"]) for e in entries if e["active"]] == ["My team"]
    html = client.get("/cases/team/").content.decode()
    assert html.count('aria-current="page"') == 1
    # a page reached from a menu marks the menu and its entry
    entries = offered(client, "/carers/")
    care = next(entry for entry in entries if str(entry["label"]) == "Care")
    assert care["active"]
    assert [str(page["label"]) for page in care["pages"] if page["active"]] == ["Foster carers"]


def test_a_page_marks_the_entry_of_its_app(cast):
    client = login(cast.case_manager_a)
    # the referrals are the services app's pages, reached from its one entry
    entries = offered(client, "/services/referrals/sent/")
    assert [str(e["label"]) for e in entries if e["active"]] == ["Services"]
    # a child's page continues the name of the register's entry ("registry:child_...")
    entries = offered(client, "/children/new/")
    assert [str(e["label"]) for e in entries if e["active"]] == ["Children"]


def test_a_menu_left_with_one_page_is_that_pages_link(cast):
    entries = offered(login(cast.institution_staff), "/children/")
    assert "Care" not in labels(entries)
    assert "Institutions" in labels(entries)
    assert all("pages" not in entry for entry in entries if str(entry["label"]) == "Institutions")


def test_the_start_page_lists_the_pages_of_every_menu(cast):
    # the start page is for those whose role has no page of its own to open on
    html = login(cast.admin).get("/").content.decode()
    start = html[html.index("Welcome to Homeward") :]
    assert "More" in start
    assert 'href="/audit/' in start
