"""The demo loads through the actions, twice without duplicating, with every demo login."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from homeward.demo.loader import PASSWORD, USERS, demo_load
from homeward.institutions.models import Institution
from homeward.registry.models import Child

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_every_login(geo):
    first = demo_load(children=40)
    assert first.children >= 40
    counts = (Child.objects.count(), Institution.objects.count())
    assert demo_load(children=40).skipped
    assert (Child.objects.count(), Institution.objects.count()) == counts
    request = RequestFactory().post("/accounts/login/")
    for username, *_rest in USERS:
        assert authenticate(request, username=username, password=PASSWORD) is not None, username
    assert Institution.objects.count() >= 6
    assert all(
        c.case_number and c.family_name_latin and c.household_id for c in Child.objects.all()
    )
    from homeward.institutions.models import Residence

    assert Residence.objects.filter(left_on__isnull=True).exists()
    # the foster-care service's pipeline and the NGO's referrals are there to look at
    from homeward.carers.models import CarerHousehold, Stage
    from homeward.services.models import Referral

    assert CarerHousehold.objects.filter(stage=Stage.APPROVED).count() == 5
    assert CarerHousehold.objects.filter(stage=Stage.ENQUIRY).exists()
    assert Referral.objects.exists()
