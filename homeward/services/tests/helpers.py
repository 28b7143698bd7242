"""Test helpers: an NGO under state social order in Vitebsk region with its lead and worker,
and children of agency A whose families agreed to share their records with the NGO."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from conftest import make_agency, make_user
from homeward.access.roles import Role
from homeward.accounts.models import Agency, AgencyKind, User
from homeward.cases.actions import consent_record
from homeward.services import actions
from homeward.services.catalogue import service_types_load
from homeward.services.models import Provider, ServiceType


@dataclass
class Ngo:
    agency: Agency
    lead: User
    worker: User
    provider: Provider
    service_type: ServiceType


@pytest.fixture
def ngo(cast: Any) -> Ngo:
    service_types_load()  # in case a transactional test emptied the tables
    agency = make_agency("NGO-VI", "ОО «Крепкая семья»", AgencyKind.NGO, "BY-VI", None)
    lead = make_user("ngo_lead", agency, Role.SUPERVISOR)
    worker = make_user("ngo_worker", agency, Role.WORKING_GROUP_MEMBER)
    for user, email in [(lead, "lead@ngo.example"), (cast.supervisor_a, "sup_a@a.example")]:
        user.email = email
        user.save(update_fields=["email"])
    service_type = ServiceType.objects.get(code="psychological_counselling")
    provider = actions.provider_create(
        actor=cast.admin,
        data={
            "agency": agency,
            "name": "Центр «Крепкая семья»",
            "area": agency.area,
            "capacity": 30,
            "phone": "+375 212 55-55-55",
            "email": "centre@ngo.example",
            "under_state_social_order": True,
        },
        service_types=[service_type, ServiceType.objects.get(code="respite_care")],
    )
    return Ngo(agency, lead, worker, provider, service_type)


def share_consent(cast: Any, child: Any, **recipient: Any) -> Any:
    return consent_record(
        actor=cast.case_manager_a,
        child=child,
        kind="sharing",
        given_by="both",
        given_on=datetime.date(2025, 5, 1),
        **recipient,
    )


@pytest.fixture
def consented_child(cast: Any, register_child: Any, ngo: Ngo) -> Any:
    """A child of agency A whose family agreed to share the record with the NGO."""

    def make(**fields: Any) -> Any:
        child = register_child(**fields)
        share_consent(cast, child, agency=ngo.agency)
        return child

    return make


def send(cast: Any, ngo: Ngo, child: Any, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "actor": cast.case_manager_a,
        "case": child.case,
        "provider": ngo.provider,
        "service_type": ngo.service_type,
        "reason": "Мать после потери работы, конфликты в семье; нужна поддержка психолога.",
    }
    data.update(overrides)
    return actions.referral_send(**data)
