"""A factory per model. Records with derived fields (names, case numbers) go through actions."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from homeward.access.roles import Role
from homeward.accounts.models import Agency, AgencyKind, Membership, Team, User
from homeward.geo.models import Location
from homeward.institutions.models import Institution, Residence
from homeward.registry import actions
from homeward.registry.models import Child, Household, Person, Relationship

FAMILY_NAMES = ["Иванов", "Петров", "Сидоров", "Козлов", "Новиков", "Морозов", "Волков"]
GIVEN_NAMES = ["Алексей", "Дмитрий", "Максим", "Иван", "Артём", "Никита", "Михаил"]


def a_district() -> Location:
    return Location.objects.filter(level="district").order_by("path").first()  # type: ignore[return-value]


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"AG-{n:04d}")
    name = factory.Sequence(lambda n: f"Агентство {n}")
    kind = AgencyKind.SOCIAL_EDUCATIONAL_CENTRE
    area = factory.LazyFunction(a_district)
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}/{o.code}" if o.parent else o.code)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASE_MANAGER


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Семья {n}")
    agency = factory.SubFactory(AgencyFactory)
    location = factory.LazyAttribute(lambda o: o.agency.area)


class _ActionFactory(DjangoModelFactory[Any]):
    """Creates through the registry's action, so Latin names and search keys are filled."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Any:
        agency = kwargs.pop("agency")
        actor = kwargs.pop("actor", None) or UserFactory()
        return cls.action(actor=actor, agency=agency, data=kwargs)


class PersonFactory(_ActionFactory):
    class Meta:
        model = Person

    action = staticmethod(actions.person_create)
    agency = factory.SubFactory(AgencyFactory)
    family_name = factory.Iterator([f"{name}а" for name in FAMILY_NAMES])
    given_name = factory.Iterator(["Ольга", "Татьяна", "Елена", "Наталья"])
    sex = "F"
    date_of_birth = datetime.date(1985, 6, 1)


class ChildFactory(_ActionFactory):
    class Meta:
        model = Child

    action = staticmethod(actions.child_register)
    agency = factory.SubFactory(AgencyFactory)
    family_name = factory.Iterator(FAMILY_NAMES)
    given_name = factory.Iterator(GIVEN_NAMES)
    patronymic = "Сергеевич"
    sex = "M"
    date_of_birth = factory.Sequence(lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(n))
    home_location = factory.LazyAttribute(lambda o: o.agency.area)


class RelationshipFactory(DjangoModelFactory[Relationship]):
    class Meta:
        model = Relationship

    child = factory.SubFactory(ChildFactory)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..child.agency"))
    kind = "mother"


class InstitutionFactory(DjangoModelFactory[Institution]):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"INST-{n:04d}")
    name = factory.Sequence(lambda n: f"Детский дом № {n}")
    kind = "childrens_home"
    agency = factory.SubFactory(AgencyFactory)
    location = factory.LazyAttribute(lambda o: o.agency.area)
    capacity = 50


class ResidenceFactory(DjangoModelFactory[Residence]):
    class Meta:
        model = Residence

    institution = factory.SubFactory(InstitutionFactory)
    child = factory.SubFactory(ChildFactory)
    admitted_on = datetime.date(2022, 9, 1)
