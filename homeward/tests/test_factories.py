"""Each factory builds a valid record (the factories are what every other test leans on)."""

from __future__ import annotations

import pytest

from homeward.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory_class",
    [
        factories.AgencyFactory,
        factories.TeamFactory,
        factories.UserFactory,
        factories.MembershipFactory,
        factories.HouseholdFactory,
        factories.PersonFactory,
        factories.ChildFactory,
        factories.RelationshipFactory,
        factories.InstitutionFactory,
        factories.ResidenceFactory,
    ],
)
def test_factory_builds_a_valid_record(geo, factory_class):
    record = factory_class()
    record.full_clean()
    assert record.pk is not None


def test_children_from_the_factory_are_searchable(geo):
    child = factories.ChildFactory(family_name="Іваноў")
    assert child.family_name_latin == "Ivanou"
    assert child.search_key.startswith("ivanov")
    assert child.case_number
