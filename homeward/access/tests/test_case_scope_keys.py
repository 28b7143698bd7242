"""The child's copy of who works on its case follows the case, whoever writes what.

``Child.scope_*`` is kept by the database (registry migration 0011); these tests write the
case and the child the ways the application does and check both the keys and what each
worker's list shows.
"""

from __future__ import annotations

import pytest

from conftest import make_user
from homeward.access.roles import Role
from homeward.cases.actions import case_reassign
from homeward.cases.models import Case
from homeward.registry.models import Child
from homeward.registry.selectors import ChildFilters, child_list

pytestmark = pytest.mark.django_db


def keys(child: Child) -> tuple[int | None, int | None, int | None]:
    return tuple(  # type: ignore[return-value]
        Child.objects.filter(pk=child.pk).values_list(
            "scope_case_manager_id", "scope_team_id", "scope_supervisor_id"
        )[0]
    )


def listed(user, child: Child) -> bool:
    return child_list(user, ChildFilters()).filter(pk=child.pk).exists()


def test_registering_a_child_opens_a_case_whose_workers_the_child_carries(cast, register_child):
    child = register_child()
    case = Case.objects.get(child=child)
    assert case.case_manager == cast.case_manager_a
    assert keys(child) == (cast.case_manager_a.pk, case.team_id, case.supervisor_id)
    assert listed(cast.case_manager_a, child)
    assert not listed(cast.case_manager_b, child)


def test_a_reassigned_case_moves_its_child_to_the_new_case_managers_list(cast, register_child):
    child = register_child()
    other = make_user("cm_a2", cast.agency_a, Role.CASE_MANAGER)
    case_reassign(actor=cast.supervisor_a, cases=[child.case], case_manager=other)
    assert keys(child)[0] == other.pk
    assert listed(other, child)
    assert not listed(cast.case_manager_a, child)


def test_a_child_saved_from_an_old_copy_keeps_its_cases_workers(cast, register_child):
    child = register_child()
    stale = Child.objects.get(pk=child.pk)  # loaded before the case changes hands
    other = make_user("cm_a2", cast.agency_a, Role.CASE_MANAGER)
    Case.objects.filter(child=child).update(case_manager=other)
    stale.school_name = "Школа 3"
    stale.save()
    assert keys(child)[0] == other.pk
    assert Child.objects.get(pk=child.pk).school_name == "Школа 3"
    # a value written on purpose is corrected too
    Child.objects.filter(pk=child.pk).update(scope_case_manager_id=cast.case_manager_b.pk)
    assert keys(child)[0] == other.pk
    assert not listed(cast.case_manager_b, child)


def test_team_and_supervisor_follow_the_case(cast, register_child):
    child = register_child()
    team = cast.case_manager_a.memberships.get().team
    Case.objects.filter(child=child).update(team=team, supervisor=cast.supervisor_a)
    assert keys(child)[1:] == (team.pk, cast.supervisor_a.pk)
    assert listed(cast.supervisor_a, child)
    Case.objects.filter(child=child).update(team=None, supervisor=None)
    assert keys(child)[1:] == (None, None)
    assert not listed(cast.supervisor_a, child)


def test_a_child_without_a_case_is_nobodys_by_case(cast, register_child):
    child = register_child()
    Case.objects.filter(child=child).delete()
    assert keys(child) == (None, None, None)
    assert not listed(cast.case_manager_a, child)


def test_a_deleted_case_manager_leaves_the_child_unassigned(cast, register_child):
    child = register_child()
    other = make_user("cm_a2", cast.agency_a, Role.CASE_MANAGER)
    Case.objects.filter(child=child).update(case_manager=other)
    other.delete()  # the case's case manager is set to NULL
    assert keys(child)[0] is None
