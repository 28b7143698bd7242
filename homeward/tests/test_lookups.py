"""``__any_of`` finds what ``__in`` finds, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.cases.models import Case
from homeward.registry.models import Child

pytestmark = pytest.mark.django_db


def test_any_of_matches_in(register_child: Any) -> None:
    children = [register_child(family_name=f"Котова{i}") for i in range(4)]
    wanted = [children[0].pk, children[2].pk, children[3].pk + 1000]
    for lookup in ("pk", "case__child_id"):
        found = Child.objects.filter(**{f"{lookup}__any_of": wanted})
        expected = Child.objects.filter(**{f"{lookup}__in": wanted})
        assert sorted(found.values_list("pk", flat=True)) == [children[0].pk, children[2].pk]
        assert set(found) == set(expected)
    # a foreign key, and text values
    cases = Case.objects.filter(child_id__any_of=wanted)
    assert sorted(c.child_id for c in cases) == [children[0].pk, children[2].pk]
    numbers = [children[1].case_number, "no-such-number"]
    assert list(Child.objects.filter(case_number__any_of=numbers)) == [children[1]]


def test_any_of_nothing_finds_nothing(register_child: Any) -> None:
    register_child()
    assert not Child.objects.filter(pk__any_of=[]).exists()
    assert Child.objects.exclude(pk__any_of=[]).count() == 1
