"""Institutions and residents through the web pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import login
from homeward.institutions.actions import resident_admit
from homeward.institutions.models import Residence

pytestmark = pytest.mark.django_db


def test_admit_and_discharge_a_resident(cast, register_child):
    child = register_child()
    client = login(cast.case_manager_a)
    url = f"/institutions/{cast.institution.uuid}/"
    assert "Дом ребёнка A" in client.get("/institutions/").content.decode()
    response = client.post(
        f"{url}admit/", {"child": child.case_number, "admitted_on": "2023-09-01"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert child.full_name in page
    stay = Residence.objects.get()
    profile = client.get(f"/children/{child.uuid}/").content.decode()
    assert "Дом ребёнка A" in profile
    response = client.post(
        f"/institutions/residences/{stay.uuid}/discharge/", {"left_on": "2022-01-01"}
    )
    assert response.status_code == 422
    assert "before the admission" in response.content.decode()
    response = client.post(
        f"/institutions/residences/{stay.uuid}/discharge/", {"left_on": "2024-05-31"}
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.left_on == datetime.date(2024, 5, 31)


def test_admission_refuses_unknown_or_foreign_children_and_overlaps(cast, register_child):
    mine = register_child()
    theirs = register_child(agency=cast.agency_b, given_name="Борис")
    client = login(cast.case_manager_a)
    url = f"/institutions/{cast.institution.uuid}/admit/"
    for number in ["BY-VI-2000-99999", theirs.case_number]:
        response = client.post(url, {"child": number, "admitted_on": "2023-09-01"})
        assert response.status_code == 422
        assert "No child with this case number" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"child": mine.case_number, "admitted_on": future})
    assert "cannot be in the future" in response.content.decode()
    client.post(url, {"child": mine.case_number, "admitted_on": "2023-09-01"})
    again = client.post(url, {"child": mine.case_number, "admitted_on": "2024-01-01"})
    assert "already has a stay" in again.content.decode()
    assert Residence.objects.count() == 1


def test_institution_staff_see_their_current_residents_only(cast, register_child):
    resident = register_child(agency=cast.agency_b, given_name="Резидент")
    outsider = register_child(agency=cast.agency_b, given_name="Посторонний")
    resident_admit(
        actor=cast.case_manager_b,
        institution=cast.institution,
        child=resident,
        admitted_on=datetime.date(2023, 1, 1),
    )
    staff = login(cast.institution_staff)
    assert staff.get(f"/children/{resident.uuid}/").status_code == 200
    assert staff.get(f"/children/{outsider.uuid}/").status_code == 404
    listing = staff.get("/children/").content.decode()
    assert "Резидент" in listing
    assert "Посторонний" not in listing


def test_the_analyst_sees_institutions_but_no_residents(cast, register_child):
    child = register_child()
    resident_admit(
        actor=cast.case_manager_a,
        institution=cast.institution,
        child=child,
        admitted_on=datetime.date(2023, 1, 1),
    )
    page = login(cast.analyst).get(f"/institutions/{cast.institution.uuid}/").content.decode()
    assert "Дом ребёнка A" in page
    assert child.family_name not in page
    assert child.case_number not in page
