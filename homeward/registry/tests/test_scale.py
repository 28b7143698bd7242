"""What the register does so that it stays fast at national scale, and stays correct."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from conftest import login
from homeward.core.paging import (
    CappedPaginator,
    in_known_order,
    page_rows,
    row_count,
    with_rows_at_least,
)
from homeward.registry import search
from homeward.registry.models import Child
from homeward.registry.names import name_key
from homeward.registry.selectors import ChildFilters, child_list

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the word indexes and the vocabulary exist on PostgreSQL only; SQLite scores every key",
)


def names(user, q: str) -> list[str]:
    return [f"{c.family_name} {c.given_name}" for c in child_list(user, ChildFilters(q=q))]


# --- the count stops at a cap ------------------------------------------------------------


def test_a_capped_count_is_exact_below_the_cap_and_says_so_above_it():
    below = CappedPaginator(list(range(20)), 10, count_cap=25)
    assert (below.count, below.capped, below.num_pages) == (20, False, 2)
    at_cap = CappedPaginator(list(range(25)), 10, count_cap=25)
    assert (at_cap.count, at_cap.capped, at_cap.num_pages) == (25, False, 3)
    above = CappedPaginator(list(range(60)), 10, count_cap=25)
    assert (above.count, above.capped, above.num_pages) == (26, True, 3)
    last = above.get_page(99)
    assert last.number == 3
    assert list(last.object_list) == [20, 21, 22, 23, 24]
    assert not last.has_next()


def test_a_capped_queryset_count_reads_no_further_than_the_cap(cast, register_child):
    for index in range(4):
        register_child(given_name=f"Имя{index}")
    paginator = CappedPaginator(Child.objects.order_by("family_name"), 2, count_cap=2)
    assert paginator.count == 3
    assert paginator.capped
    assert paginator.num_pages == 1
    assert len(paginator.page(1).object_list) == 2


def test_rows_known_past_the_cap_are_not_counted_again(
    cast, register_child, django_assert_num_queries
):
    for index in range(4):
        register_child(given_name=f"Имя{index}")
    known = with_rows_at_least(Child.objects.order_by("pk"), 3)
    with django_assert_num_queries(0):
        assert CappedPaginator(known, 2, count_cap=2).count == 3
    # at or under the cap a hint says nothing of the exact number: the rows are counted
    under = with_rows_at_least(Child.objects.order_by("pk"), 2)
    with django_assert_num_queries(1):
        assert CappedPaginator(under, 2, count_cap=10).count == 4


def test_the_list_says_more_than_the_cap_instead_of_a_number(cast, register_child, monkeypatch):
    for index in range(4):
        register_child(given_name=f"Имя{index}")
    client = login(cast.case_manager_a)
    monkeypatch.setattr("homeward.registry.views.COUNT_CAP", 3)
    page = client.get("/children/").content.decode()
    assert "More than 3 children" in page
    assert "4 children" not in page
    monkeypatch.setattr("homeward.registry.views.COUNT_CAP", 10)
    page = client.get("/children/").content.decode()
    assert "4 children" in page
    assert "More than" not in page


def test_the_pages_of_a_capped_list_are_the_first_ones():
    page = CappedPaginator(list(range(60)), 10, count_cap=25).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "query": ""})
    assert "Page 2 of the first 3" in html
    exact = CappedPaginator(list(range(20)), 10, count_cap=25).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": exact, "query": ""})
    assert "Page 2 of 2" in html


def test_a_page_is_its_rows_in_the_lists_order_with_their_related_records(
    cast, register_child, django_assert_num_queries
):
    for index in range(6):
        register_child(given_name=f"Имя{index}", family_name=f"Фамилия{5 - index}")
    ordered = Child.objects.select_related("home_location").order_by("family_name", "id")
    everything = list(ordered)
    with django_assert_num_queries(2):  # the page's keys, then its rows
        rows = page_rows(ordered, 2, 5)
        assert [c.pk for c in rows] == [c.pk for c in everything[2:5]]
        assert all(c.home_location.code for c in rows)  # read with the rows, no query each
    assert page_rows(ordered, 6, 9) == []
    # a ranked search keeps its ranking
    ranked = child_list(cast.case_manager_a, ChildFilters(q="Фамилия3 Имя2"))
    assert [c.pk for c in page_rows(ranked, 0, 3)] == [c.pk for c in ranked][:3]
    paged = CappedPaginator(ordered, 4, count_cap=10).get_page(2)
    assert [c.pk for c in paged.object_list] == [c.pk for c in everything[4:]]


def test_rows_known_in_order_are_counted_and_paged_by_their_keys(
    cast, register_child, django_assert_num_queries
):
    given = ["Ольга", "Анна", "Ирина", "Мария", "Елена"]
    children = [register_child(given_name=name) for name in given]
    keys = [children[3].pk, children[0].pk, children[4].pk]
    known = in_known_order(Child.objects.filter(pk__in=keys), keys)
    with django_assert_num_queries(0):
        assert row_count(known) == 3
        assert CappedPaginator(known, 2, count_cap=2).count == 3
    with django_assert_num_queries(1):  # the page's rows only
        assert [c.pk for c in page_rows(known, 0, 2)] == keys[:2]
    # a new filter makes a new list: its keys are asked for again
    narrowed = known.filter(pk=children[0].pk)
    assert row_count(narrowed) == 1
    # the search ranks its matches once: the list shows them without counting again
    ranked = child_list(cast.case_manager_a, ChildFilters(q="Иванов Мария"))
    with django_assert_num_queries(1) as read:
        page = CappedPaginator(ranked, 25, count_cap=1000).get_page(1)
        assert page.paginator.count == len(page.object_list) >= 1
    assert page.object_list[0].pk == children[3].pk
    # the page's rows are read without the ranking (a thousand keys and scores), but
    # within the same scope
    assert "search_score" not in read.captured_queries[0]["sql"]
    assert "search_score" in str(ranked.query)
    outside = in_known_order(Child.objects.all(), keys, rows_from=Child.objects.none())
    assert page_rows(outside, 0, 3) == []


# --- case numbers ------------------------------------------------------------------------


def test_a_case_number_finds_that_child_only(cast, register_child):
    first = register_child(family_name="Петров", given_name="Олег")
    second = register_child(family_name="Сидоров", given_name="Иван")
    assert names(cast.case_manager_a, first.case_number) == ["Петров Олег"]
    assert names(cast.case_manager_a, second.case_number.lower()) == ["Сидоров Иван"]
    prefix, running = second.case_number.rsplit("-", 1)
    assert names(cast.case_manager_a, f"{prefix}-{int(running) + 7}") == []
    assert names(cast.case_manager_a, running) == ["Сидоров Иван"]


def test_a_case_number_outside_the_users_scope_finds_nothing(cast, register_child):
    child = register_child(agency=cast.agency_b, family_name="Петров", given_name="Олег")
    assert names(cast.case_manager_a, child.case_number) == []
    assert names(cast.case_manager_b, child.case_number) == ["Петров Олег"]


# --- names -------------------------------------------------------------------------------


def test_the_start_of_a_name_finds_whole_and_longer_names(cast, register_child):
    register_child(family_name="Иванов", given_name="Олег")
    register_child(family_name="Сидоров", given_name="Иван")
    register_child(family_name="Петров", given_name="Олег")
    found = names(cast.case_manager_a, "Ivan")
    assert sorted(found) == ["Иванов Олег", "Сидоров Иван"]


def test_exact_words_rank_before_near_ones(cast, register_child):
    register_child(family_name="Иванова", given_name="Мария")
    register_child(family_name="Иванов", given_name="Олег")
    found = names(cast.case_manager_a, "Ivanov")
    assert found[0] == "Иванов Олег"
    assert "Иванова Мария" in found


@postgresql_only  # the cut-off at MAX_MATCHES exact matches is the word index's
def test_with_many_exact_matches_those_are_the_list(cast, register_child, monkeypatch):
    monkeypatch.setattr(search, "MAX_MATCHES", 2)
    kept = [register_child(family_name="Иванов", given_name="Олег") for _ in range(3)]
    register_child(family_name="Иванова", given_name="Ольга")
    found = child_list(cast.case_manager_a, ChildFilters(q="Ivanov Oleg"))
    assert [c.pk for c in found] == [c.pk for c in kept]
    # the search found more than it keeps: the list says so without counting them again
    monkeypatch.setattr("homeward.registry.views.COUNT_CAP", 2)
    page = login(cast.case_manager_a).get("/children/", {"q": "Ivanov Oleg"}).content.decode()
    assert "More than 2 children" in page


@postgresql_only
def test_near_spellings_are_left_out_when_they_would_be_too_many_to_rank(
    cast, register_child, monkeypatch
):
    typed = [register_child(family_name="Петров") for _ in range(2)]
    for _ in range(3):
        register_child(family_name="Петрова")

    def found(query: str = "Петров") -> set[int]:
        return {c.pk for c in child_list(cast.case_manager_a, ChildFilters(q=query))}

    # the nearest alternatives are the word as typed; the wider ones, with the near
    # spelling, are within the budget and taken
    monkeypatch.setattr(search, "NEAR_ALTERNATIVES", 1)
    monkeypatch.setattr(search, "FUZZY_BUDGET", 10)
    assert len(found()) == 5
    # the nearest fill the list: the wider ones are not looked for ("петов": no row
    # holds it; its nearest stored word is "петров", then "петрова")
    monkeypatch.setattr(search, "NEAR_ALTERNATIVES", 2)
    monkeypatch.setattr(search, "MAX_MATCHES", 3)
    with CaptureQueriesContext(connection) as not_filled:
        assert len(found("Петов")) == 3  # the wider ones too, the best kept
    monkeypatch.setattr(search, "MAX_MATCHES", 2)
    with CaptureQueriesContext(connection) as filled:
        assert found("Петов") == {c.pk for c in typed}
    assert len(filled) == len(not_filled) - 1
    monkeypatch.setattr(search, "NEAR_ALTERNATIVES", 1)
    monkeypatch.setattr(search, "MAX_MATCHES", 1000)
    # the wider ones over the budget: the nearest are kept
    monkeypatch.setattr(search, "FUZZY_BUDGET", 3)
    assert found() == {c.pk for c in typed}
    # and over it, the words as typed are all that is ranked
    monkeypatch.setattr(search, "FUZZY_BUDGET", 1)
    assert found() == {c.pk for c in typed}


@postgresql_only
def test_the_vocabulary_of_stored_words_follows_every_change(cast, register_child):
    def vocabulary(*words: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM registry_searchword WHERE word = ANY(%s)", [list(words)]
            )
            return {row[0] for row in cursor.fetchall()}

    family, given, other = name_key("Шчарбакоў Янка Міхась").split()
    child = register_child(family_name="Шчарбакоў", given_name="Янка")
    twin = register_child(family_name="Шчарбакоў", given_name="Міхась")
    assert vocabulary(family, given, other) == {family, given, other}
    assert "Шчарбакоў Янка" in names(cast.case_manager_a, "Shcherbakov Yanka")
    Child.objects.filter(pk=child.pk).update(search_key=f"novik {given}")
    assert vocabulary(family, "novik", given) == {family, "novik", given}
    Child.objects.filter(pk=twin.pk).delete()
    assert vocabulary(family, other) == set()
    Child.objects.filter(pk=child.pk).delete()
    assert vocabulary("novik", given) == set()


@postgresql_only
def test_the_planner_knows_a_workers_children_live_in_the_workers_area(cast, register_child):
    # Each case manager's children live in their agency's district. Taken as independent,
    # "cm_a's children" (half) and "in cm_a's district" (half) would be a quarter of the
    # rows; the statistics of migration 0013 tell the planner it is the whole half.
    for _ in range(12):
        register_child()
        register_child(agency=cast.agency_b)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_child")
    filters = ChildFilters(location=cast.agency_a.area.code)
    plan = child_list(cast.case_manager_a, filters).explain(format="json")
    estimate = json.loads(plan)[0]["Plan"]["Plan Rows"]
    assert estimate >= 10, plan
