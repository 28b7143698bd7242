"""Foster carers through the API: the same rules as the pages, errors as translated JSON."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.api.tests.test_api import Api
from homeward.carers.tests.helpers import approved_household, locality

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_create_read_update_and_move_a_carer(cast, foster_worker):
    api = Api(foster_worker)
    created = api.send(
        "post",
        "/carers",
        {"name": "Семья Козловых", "location": locality().code, "languages": ["ru", "be"]},
    )
    assert created.status_code == 201, created.content
    carer = created.json()
    assert carer["stage"] == "enquiry"
    assert carer["agency"] == cast.agency_a.code
    assert carer["worker"] == foster_worker.username
    assert "pk" not in carer
    path = f"/carers/{carer['id']}"
    assert api.get(path).json()["name"] == "Семья Козловых"
    patched = api.send("patch", path, {"version": 1, "phone": "+375 29 000-00-00"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["version"] == 2
    stale = api.send("patch", path, {"version": 1, "phone": "1"})
    assert stale.status_code == 409
    moved = api.send("post", f"{path}/stage", {"to": "information_visit", "version": 2})
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "information_visit"
    refused = api.send("post", f"{path}/stage", {"to": "approved", "version": 3})
    assert refused.status_code == 422
    assert refused.json()["errors"]["to"] == [
        "A household cannot go from “Information visit” to “Approved”."
    ]
    listed = api.get("/carers", stage="information_visit").json()
    assert listed["count"] == 1
    events = api.get(f"{path}/events").json()
    assert [e["to_stage"] for e in events if e["type"] == "stage_changed"] == [
        "information_visit",
        "enquiry",
    ]


def test_bad_input_is_refused_with_field_errors(cast, foster_worker):
    api = Api(foster_worker)
    bad = api.send("post", "/carers", {"name": "", "location": "NOWHERE", "languages": ["klingon"]})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"location": ["Unknown location code."]}
    bad = api.send("post", "/carers", {"name": "Семья", "location": "BY-VI", "languages": ["xx"]})
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert errors["languages"] == ["Choose languages from the list."]
    assert errors["location"] == ["Choose a district or a locality."]
    extra = api.send("post", "/carers", {"name": "Семья", "location": "BY-VI", "colour": 1})
    assert extra.json()["errors"] == {"colour": ["This field is not allowed."]}


def test_approval_without_checks_is_refused_through_the_api(cast, foster_worker):
    api = Api(foster_worker)
    carer = api.send("post", "/carers", {"name": "Семья", "location": locality().code}).json()
    path = f"/carers/{carer['id']}"
    refused = api.send(
        "post",
        f"{path}/approval",
        {
            "decided_on": TODAY().isoformat(),
            "version": 1,
            "terms": {"panel": "Комиссия", "max_children": 1, "age_min": 0, "age_max": 17},
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["to"] == ["A household cannot go from “Enquiry” to “Approved”."]


def test_members_checks_training_visits_and_reviews(cast, foster_worker, course):
    household = approved_household(foster_worker, cast.agency_a, course)
    api = Api(foster_worker)
    path = f"/carers/{household.uuid}"
    member = api.send(
        "post",
        f"{path}/members",
        {"family_name": "Петров", "given_name": "Олег", "sex": "M", "role": "partner"},
    )
    assert member.status_code == 201, member.content
    check = api.send(
        "post",
        f"{path}/checks",
        {
            "kind": "criminal_record",
            "member": member.json()["id"],
            "done_on": TODAY().isoformat(),
            "expires_on": (TODAY() + datetime.timedelta(days=365)).isoformat(),
            "result": "passed",
        },
    )
    assert check.status_code == 201, check.content
    wrong = api.send(
        "post",
        f"{path}/checks",
        {"kind": "health", "done_on": "2999-01-01", "result": "passed"},
    )
    assert wrong.status_code == 422
    assert set(wrong.json()["errors"]) == {"done_on", "member"}
    courses = api.get("/training-courses").json()
    training = api.send(
        "post",
        f"{path}/training",
        {"course": courses[0]["id"], "completed_on": TODAY().isoformat(), "hours": "8"},
    )
    assert training.status_code == 201, training.content
    visit = api.send(
        "post",
        f"{path}/visits",
        {"visited_on": TODAY().isoformat(), "kind": "psychological", "visitor": "Психолог"},
    )
    assert visit.status_code == 201, visit.content
    detail = api.get(path).json()
    body = {"reviewed_on": TODAY().isoformat(), "outcome": "continue", "version": detail["version"]}
    # the new adult has no health check yet: the approval cannot continue
    refused = api.send("post", f"{path}/reviews", body)
    assert refused.status_code == 422
    assert (
        "Check “Health” for Петров Олег is missing." in refused.json()["errors"]["non_field_errors"]
    )
    api.send(
        "post",
        f"{path}/checks",
        {
            "kind": "health",
            "member": member.json()["id"],
            "done_on": TODAY().isoformat(),
            "result": "passed",
        },
    )
    review = api.send("post", f"{path}/reviews", body)
    assert review.status_code == 201, review.content
    assert api.get(path).json()["training_hours"] == "48.0"
    assert len(api.get(f"{path}/checks").json()) == 6
    dashboard = api.get("/carer-dashboard").json()
    assert dashboard["stages"]["approved"] == 1
    assert dashboard["vacancies_total"] == 2


def test_the_list_reads_a_fixed_number_of_queries(cast, foster_worker, course):
    api = Api(foster_worker)
    for index in range(3):
        approved_household(foster_worker, cast.agency_a, course, name=f"Семья {index}")
    api.get("/carers")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert api.get("/carers").json()["count"] == 3
    for index in range(3, 6):
        approved_household(foster_worker, cast.agency_a, course, name=f"Семья {index}")
    with CaptureQueriesContext(connection) as more:
        assert api.get("/carers").json()["count"] == 6
    assert len(more) == len(few)


def test_other_roles_cannot_write_or_see_outside_their_region(cast, foster_worker):
    api = Api(foster_worker)
    carer = api.send("post", "/carers", {"name": "Семья", "location": locality().code}).json()
    case_manager = Api(cast.case_manager_a)
    assert case_manager.get(f"/carers/{carer['id']}").status_code == 200
    assert (
        case_manager.send("post", f"/carers/{carer['id']}/stage", {"to": "x", "version": 1})
    ).status_code == 403
    assert Api(cast.case_manager_b).get(f"/carers/{carer['id']}").status_code == 404
    assert Api(cast.analyst).get("/carers").status_code == 403


def test_the_list_is_filtered_by_area_through_both_doors(cast, foster_worker):
    from conftest import login
    from homeward.geo.models import Location

    places = Location.objects.filter(level="locality", path__startswith="BY/BY-VI/")
    first = places.order_by("path").first()
    assert first is not None
    other = places.exclude(parent=first.parent).order_by("path").first()
    assert other is not None
    api = Api(foster_worker)
    for name, place in (("Семья Первых", first), ("Семья Других", other)):
        created = api.send("post", "/carers", {"name": name, "location": place.code})
        assert created.status_code == 201, created.content
    assert first.parent is not None
    district = first.parent.code
    listed = api.get("/carers", location=district).json()
    assert [carer["name"] for carer in listed["items"]] == ["Семья Первых"]
    assert api.get("/carers", location="BY-VI").json()["count"] == 2
    client = login(foster_worker)
    html = client.get("/carers/", {"location": district}).content.decode()
    assert "Семья Первых" in html
    assert "Семья Других" not in html
    # a filter that cannot be read: an error naming it, never the whole list
    unknown = api.get("/carers", location="NOWHERE")
    assert unknown.status_code == 422
    assert unknown.json()["errors"]["location"] == [
        "Unknown location code. Choose a place from the list."
    ]
    assert api.get("/carers", stage="flying").json()["errors"]["stage"]
    page = client.get("/carers/", {"location": "NOWHERE"}).content.decode()
    assert "Correct the filters" in page
    assert "Семья Первых" not in page
