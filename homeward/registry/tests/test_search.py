"""Search and duplicate detection, on whichever database the run uses."""

from __future__ import annotations

import datetime

import pytest

from homeward.registry.selectors import ChildFilters, child_duplicates, child_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(register_child):
    return {
        "ivanou": register_child(family_name="Іваноў", given_name="Алесь", patronymic="Сяргеевіч"),
        "ivanova": register_child(
            family_name="Иванова",
            given_name="Мария",
            patronymic="Петровна",
            sex="F",
            date_of_birth=datetime.date(2012, 7, 1),
        ),
        "petrov": register_child(
            family_name="Петров", given_name="Олег", date_of_birth=datetime.date(2010, 1, 2)
        ),
    }


def names(cast, q: str) -> list[str]:
    return [c.family_name for c in child_list(cast.case_manager_a, ChildFilters(q=q))]


@pytest.mark.parametrize("query", ["Іваноў", "Иванов", "Ivanov", "Ivanou", "Ivanof", "Ivanoff"])
def test_a_name_is_found_in_every_script_and_spelling(cast, family, query):
    assert names(cast, query)[0] == "Іваноў"
    assert "Петров" not in names(cast, query)


def test_small_typos_are_forgiven(cast, family):
    assert "Іваноў" in names(cast, "Ivonov")
    assert "Петров" in names(cast, "Petrof")
    assert "Петров" in names(cast, "Питров")


def test_given_and_family_name_together_narrow_the_match(cast, family):
    assert names(cast, "Maria Ivanova") == ["Иванова"]
    assert names(cast, "Ales Ivanou") == ["Іваноў"]


def test_typing_the_start_of_a_name_finds_it(cast, family):
    assert "Петров" in names(cast, "Пет")


def test_search_by_date_of_birth_and_case_number(cast, family):
    assert names(cast, "02.01.2010") == ["Петров"]
    assert names(cast, "2012-07-01") == ["Иванова"]
    number = family["petrov"].case_number
    assert names(cast, number) == ["Петров"]
    assert names(cast, number.lower()) == ["Петров"]
    assert names(cast, number.rsplit("-", 1)[1]) == ["Петров"]


def test_search_stays_inside_the_users_scope(cast, family, register_child):
    register_child(agency=cast.agency_b, family_name="Иванов", given_name="Борис")
    assert names(cast, "Ivanov").count("Иванов") == 0
    found = [c.given_name for c in child_list(cast.case_manager_b, ChildFilters(q="Ivanov"))]
    assert found == ["Борис"]


def test_duplicate_candidates_match_across_scripts(cast, family):
    found = child_duplicates(
        cast.case_manager_a,
        family_name="Ivanov",
        given_name="Ales",
        date_of_birth=datetime.date(2015, 3, 14),
        date_of_birth_estimated=False,
        sex="M",
    )
    assert [c.family_name for c, _score in found] == ["Іваноў"]


def test_no_duplicate_for_another_birth_date_or_sex(cast, family):
    for dob, sex in [(datetime.date(2015, 3, 15), "M"), (datetime.date(2015, 3, 14), "F")]:
        assert not child_duplicates(
            cast.case_manager_a,
            family_name="Іваноў",
            given_name="Алесь",
            date_of_birth=dob,
            date_of_birth_estimated=False,
            sex=sex,
        )


def test_an_estimated_birth_date_widens_the_duplicate_check(cast, family):
    found = child_duplicates(
        cast.case_manager_a,
        family_name="Іваноў",
        given_name="Алесь",
        date_of_birth=datetime.date(2016, 1, 1),
        date_of_birth_estimated=True,
        sex="M",
    )
    assert len(found) == 1


def test_duplicates_outside_scope_are_not_shown(cast, family):
    assert not child_duplicates(
        cast.case_manager_b,
        family_name="Іваноў",
        given_name="Алесь",
        date_of_birth=datetime.date(2015, 3, 14),
        date_of_birth_estimated=False,
        sex="M",
    )
