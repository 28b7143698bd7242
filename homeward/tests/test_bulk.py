"""bulk.insert writes what save() would, on SQLite (bulk_create) and PostgreSQL (COPY)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from homeward.cases.models import Case, CaseEvent, CaseEventType
from homeward.core import bulk
from homeward.registry.models import Child

pytestmark = pytest.mark.django_db


def test_instances_get_keys_timestamps_and_their_related_rows(
    cast: Any, register_child: Any
) -> None:
    existing = register_child(family_name="Іваноў")
    before = timezone.now()
    children = [
        Child(
            agency=cast.agency_a,
            created_by=cast.case_manager_a,
            family_name=f"Петрова{i}",
            given_name="Анна",
            sex="F",
            date_of_birth="2015-03-0" + str(i + 1),
            home_location=cast.agency_a.area,
            case_number=f"BULK-{i}",
            disability_domains=["mobility"] if i else [],
        )
        for i in range(3)
    ]
    assert bulk.insert(Child, children) is children
    # cases point at children that had no key when the cases were made
    cases = [Case(child=c, agency=cast.agency_a, opened_on=before.date()) for c in children]
    bulk.insert(Case, cases)
    events = [
        CaseEvent(
            case=case, type=CaseEventType.OPENED, actor=cast.case_manager_a, occurred_at=before,
            data={"import": "x", "n": [1, 2]},
        )
        for case in cases
    ]  # fmt: skip
    bulk.insert(CaseEvent, events)

    keys = [c.pk for c in children]
    assert all(keys) and len(set(keys)) == 3 and existing.pk not in keys
    stored = Child.objects.filter(pk__in=keys).order_by("pk")
    assert [c.family_name for c in stored] == ["Петрова0", "Петрова1", "Петрова2"]
    assert [c.disability_domains for c in stored] == [[], ["mobility"], ["mobility"]]
    assert all(c.created_at >= before and c.updated_at >= before for c in stored)
    assert len({c.uuid for c in stored}) == 3
    assert [c.case.pk for c in stored] == [c.pk for c in cases]
    assert not children[0]._state.adding
    opened = CaseEvent.objects.filter(case__child__in=keys, type=CaseEventType.OPENED)
    assert opened.count() == 3
    assert opened.first().data == {"import": "x", "n": [1, 2]}  # type: ignore[union-attr]
    # the sequence moved past the keys given out: an ordinary save after them does not collide
    later = register_child(family_name="Сидорова")
    assert later.pk > max(keys)


def test_nothing_to_insert() -> None:
    assert bulk.insert(Child, []) == []
