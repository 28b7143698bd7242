"""Factories for the catalogue. Referrals are made through ``referral_send``: it opens a share."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from homeward.geo.models import Location
from homeward.services.models import Provider, ServiceType


class ServiceTypeFactory(DjangoModelFactory[ServiceType]):
    class Meta:
        model = ServiceType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service_{n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    name_ru = factory.Sequence(lambda n: f"Услуга {n}")
    name_be = factory.Sequence(lambda n: f"Паслуга {n}")
    name_bg = factory.Sequence(lambda n: f"Услуга {n}")
    response_working_days = 3


class ProviderFactory(DjangoModelFactory[Provider]):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Центр поддержки семьи {n}")
    area = factory.LazyFunction(lambda: Location.objects.get(code="BY-VI"))
    capacity = 20
    phone = "+375 212 00-00-00"
    email = "centre@example.org"
    under_state_social_order = True

    @factory.post_generation
    def service_types(self, create: bool, extracted: list[ServiceType] | None) -> None:
        if create and extracted:
            self.service_types.set(extracted)
