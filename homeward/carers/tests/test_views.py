"""The foster-care worker's pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from homeward.carers.models import CarerHousehold, Stage
from homeward.carers.tests.helpers import (
    HOME_STUDY_ANSWERS,
    approved_household,
    enquiry,
    locality,
    move,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_the_pages_of_an_approved_household(cast, foster_worker, course):
    household = approved_household(foster_worker, cast.agency_a, course)
    client = login(foster_worker)
    for path in (
        "/carers/",
        "/carers/?stage=approved",
        "/carers/dashboard/",
        "/carers/courses/",
        f"/carers/{household.uuid}/",
        f"/carers/{household.uuid}/edit/",
        f"/carers/{household.uuid}/move/",
        f"/carers/{household.uuid}/terms/",
        f"/carers/{household.uuid}/members/new/",
        f"/carers/{household.uuid}/checks/new/",
        f"/carers/{household.uuid}/documents/new/",
        f"/carers/{household.uuid}/training/new/",
        f"/carers/{household.uuid}/visits/new/",
        f"/carers/{household.uuid}/reviews/new/",
        f"/carers/{household.uuid}/home-study/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get(f"/carers/{household.uuid}/").content.decode()
    assert household.name in page
    assert "Approval panel → Approved" in page
    assert "Foster carers" in client.get("/carers/").content.decode()  # in the navigation


def test_an_enquiry_and_its_moves_through_the_pages(cast, foster_worker):
    client = login(foster_worker)
    created = client.post(
        "/carers/new/",
        {
            "name": "Семья Волковых",
            "location": locality().code,
            "languages": ["ru"],
            "enquiry_on": TODAY().isoformat(),
        },
    )
    assert created.status_code == 302
    household = CarerHousehold.objects.get(name="Семья Волковых")
    moved = client.post(
        f"/carers/{household.uuid}/move/", {"to": "information_visit", "version": 1}
    )
    assert moved.status_code == 302
    stale = client.post(f"/carers/{household.uuid}/move/", {"to": "application", "version": 1})
    assert stale.status_code == 422
    assert "Someone else changed this record" in stale.content.decode()
    wrong = client.post(f"/carers/{household.uuid}/move/", {"to": "approved", "version": 2})
    assert wrong.status_code == 422
    household.refresh_from_db()
    assert household.stage == Stage.INFORMATION_VISIT


def test_bad_input_on_the_forms_changes_nothing(cast, foster_worker):
    client = login(foster_worker)
    response = client.post("/carers/new/", {"name": "", "location": "NOWHERE"})
    assert response.status_code == 422
    assert "Unknown location code" in response.content.decode()
    assert not CarerHousehold.objects.exists()


def test_approval_refused_on_the_page_says_what_is_missing(cast, foster_worker):
    household = enquiry(foster_worker, cast.agency_a)
    for stage in (Stage.INFORMATION_VISIT, Stage.APPLICATION, Stage.TRAINING, Stage.HOME_STUDY):
        move(foster_worker, household, stage)
    client = login(foster_worker)
    started = client.post(f"/carers/{household.uuid}/home-study/")
    assert started.status_code == 302
    page = client.get(f"/carers/{household.uuid}/home-study/")
    assert page.status_code == 200
    study = household.home_studies.get()
    data = {"version": study.version, "completed_on": TODAY().isoformat(), "intent": "submit"}
    incomplete = client.post(f"/carers/{household.uuid}/home-study/", data)
    assert incomplete.status_code == 422
    for key, value in HOME_STUDY_ANSWERS.items():
        data[f"a-{key}"] = "yes" if value is True else str(value)
    submitted = client.post(f"/carers/{household.uuid}/home-study/", data)
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    move(foster_worker, household, Stage.PANEL)
    household.refresh_from_db()
    refused = client.post(
        f"/carers/{household.uuid}/approve/",
        {
            "decided_on": TODAY().isoformat(),
            "panel": "Комиссия",
            "max_children": 1,
            "age_min": 0,
            "age_max": 17,
            "sexes": ["F", "M"],
            "term": "both",
            "version": household.version,
        },
    )
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "The household cannot be approved yet." in text
    assert "Add the main carer to the household." in text


def test_the_list_page_reads_a_fixed_number_of_queries(cast, foster_worker, course):
    client = login(foster_worker)
    approved_household(foster_worker, cast.agency_a, course, name="Семья 1")
    client.get("/carers/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/carers/").status_code == 200
    for index in range(2, 5):
        approved_household(foster_worker, cast.agency_a, course, name=f"Семья {index}")
    with CaptureQueriesContext(connection) as more:
        assert client.get("/carers/").status_code == 200
    assert len(more) == len(few)


def test_who_may_see_and_change(cast, foster_worker, course):
    household = enquiry(foster_worker, cast.agency_a)
    assert login(cast.case_manager_a).get(f"/carers/{household.uuid}/").status_code == 200
    assert login(cast.case_manager_a).get(f"/carers/{household.uuid}/move/").status_code == 403
    assert login(cast.case_manager_b).get(f"/carers/{household.uuid}/").status_code == 404
    assert login(cast.analyst).get("/carers/").status_code == 403
    assert login(cast.case_manager_a).get("/carers/new/").status_code == 403
