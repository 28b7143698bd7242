"""The API as a client sees it: tokens, lists, details, writes and errors as JSON."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from conftest import PASSWORD, login, otp_code
from homeward.registry.models import Child

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user=None, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            token = token or self.token_for(user.username, otp=otp_code(user))
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def token_for(self, username: str, password: str = PASSWORD, otp: str = "") -> str:
        response = self.client.post(
            "/api/v1/auth/token",
            {"username": username, "password": password, "otp": otp},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return str(response.json()["token"])

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body, raw: bool = False):
        data = body if raw else json.dumps(body)
        return getattr(self.client, method)(
            f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )


def new_child(cast, **overrides):
    body = {
        "family_name": "Коваленко",
        "given_name": "Дарья",
        "patronymic": "Игоревна",
        "sex": "F",
        "date_of_birth": "2016-05-20",
        "home_location": cast.agency_a.area.code,
    }
    body.update(overrides)
    return body


def test_token_then_register_read_list_and_update_a_child(cast):
    api = Api(cast.case_manager_a)
    created = api.send("post", "/children", new_child(cast))
    assert created.status_code == 201, created.content
    child = created.json()
    assert child["family_name_latin"] == "Kovalenko"
    assert child["case_number"].startswith("BY-VI-")
    assert child["agency"] == cast.agency_a.code
    assert "id" in child and "pk" not in child

    detail = api.get(f"/children/{child['id']}")
    assert detail.status_code == 200
    assert detail.json()["case_number"] == child["case_number"]

    listed = api.get("/children", search="Kovalenko").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == child["id"]

    updated = api.send("patch", f"/children/{child['id']}", {"version": 1, "school_name": "СШ № 4"})
    assert updated.status_code == 200, updated.content
    assert updated.json()["school_name"] == "СШ № 4"
    assert updated.json()["version"] == 2


def test_wrong_password_gets_401_without_saying_which_part_was_wrong(cast):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "cm_a", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password."}
    unknown = Client().post(
        "/api/v1/auth/token",
        {"username": "nobody", "password": "wrong"},
        content_type="application/json",
    )
    assert unknown.json() == response.json()


def test_a_bad_or_revoked_token_is_refused(cast):
    assert Api(token="not-a-token").get("/children").status_code == 401
    api = Api(cast.case_manager_a)
    cast.case_manager_a.api_tokens.update(revoked_at=datetime.datetime.now(datetime.UTC))
    assert api.get("/children").status_code == 401


def test_list_pages_and_counts(cast, register_child):
    for index in range(7):
        register_child(
            given_name=f"Ребёнок{index}", date_of_birth=datetime.date(2012, 1, 1 + index)
        )
    api = Api(cast.case_manager_a)
    page = api.get("/children", page=2, page_size=5).json()
    assert page["count"] == 7
    assert len(page["items"]) == 2
    assert api.get("/children", page_size=1000).status_code == 422


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"location": "ZZ-99"}, "location", "Unknown location code."),
        ({"institution": "NOPE"}, "institution", "Select a valid choice."),
        ({"sex": "Q"}, "sex", "Select a valid choice."),
        ({"age_band": "9-99"}, "age_band", "Select a valid choice."),
        ({"sort": "hack"}, "sort", "Select a valid choice."),
        ({"search": "Ива\x00нов"}, "search", "Null characters are not allowed."),
    ],
)
def test_list_filters_are_checked_as_the_list_page_checks_them(
    cast, register_child, params, field, message
):
    register_child()
    response = Api(cast.case_manager_a).get("/children", **params)
    assert response.status_code == 422, response.content
    assert any(message in text for text in response.json()["errors"][field])


def test_every_order_of_the_list_is_offered_by_both_doors(cast, register_child):
    from homeward.registry.selectors import SORTS

    first, second = register_child(given_name="Анна"), register_child(given_name="Вера")
    api, page = Api(cast.case_manager_a), login(cast.case_manager_a)
    for order in SORTS:
        listed = api.get("/children", sort=order)
        assert listed.status_code == 200, (order, listed.content)
        ids = [item["id"] for item in listed.json()["items"]]
        assert sorted(ids) == sorted([str(first.uuid), str(second.uuid)])
        html = page.get("/children/", {"sort": order}).content.decode()
        assert "Correct the filters" not in html, order
    newest = api.get("/children", sort="-registered").json()["items"]
    oldest = api.get("/children", sort="registered").json()["items"]
    assert [item["id"] for item in newest] == [item["id"] for item in reversed(oldest)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"family_name": ""}, "family_name", "This field cannot be blank."),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "1899-01-01"}, "date_of_birth", "cannot be before 1900"),
        ({"date_of_birth": "not-a-date"}, "date_of_birth", "Enter a valid date"),
        ({"family_name": "Я" * 100_000}, "family_name", "at most 100 characters"),
        ({"given_name": "Ann\u0007"}, "given_name", "control characters"),
        ({"home_location": "ZZ-99"}, "home_location", "Unknown location code."),
        ({"home_location": "BY-VI"}, "home_location", "Choose a district or a locality."),
        ({"sex": "X"}, "sex", "is not a valid choice"),
        ({"legal_status": "lost"}, "legal_status", "is not a valid choice"),
        ({"disability_domains": ["flying"]}, "disability_domains", "Choose functional domains"),
        ({"surprise": 1}, "surprise", "This field is not allowed."),
    ],
)
def test_bad_input_gets_field_named_json_errors_and_saves_nothing(cast, change, field, message):
    response = Api(cast.case_manager_a).send("post", "/children", new_child(cast, **change))
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"], body
    assert any(message in text for text in body["errors"][field]), body
    assert not Child.objects.exists()


def test_missing_fields_are_named(cast):
    response = Api(cast.case_manager_a).send("post", "/children", {"given_name": "Оля"})
    assert response.status_code == 422
    assert {"family_name", "sex", "date_of_birth", "home_location"} <= set(
        response.json()["errors"]
    )


@pytest.mark.parametrize("body", [b"{not json", b'{"family_name": "\xff\xfe"}', b"\x00\x01"])
def test_a_body_that_is_not_json_in_utf8_gets_400(cast, body):
    response = Api(cast.case_manager_a).send("post", "/children", body, raw=True)
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON in UTF-8."


def test_errors_are_translated(cast):
    api = Api(cast.case_manager_a)
    api.headers["Accept-Language"] = "ru"
    response = api.send("post", "/children", new_child(cast, date_of_birth="2999-01-01"))
    assert response.json()["errors"]["date_of_birth"] == ["Дата рождения не может быть в будущем."]


def test_a_near_twin_answers_409_with_the_candidates_until_confirmed(cast, register_child):
    existing = register_child(family_name="Іваноў", given_name="Алесь")
    api = Api(cast.case_manager_a)
    twin = new_child(
        cast, family_name="Ivanov", given_name="Ales", sex="M", date_of_birth="2015-03-14"
    )
    conflict = api.send("post", "/children", twin)
    assert conflict.status_code == 409
    assert conflict.json()["duplicates"][0]["child"]["case_number"] == existing.case_number
    assert api.send("post", "/children", {**twin, "confirm_not_duplicate": True}).status_code == 201
    found = api.get(
        "/children/duplicates",
        family_name="Иванов",
        given_name="Алесь",
        date_of_birth="2015-03-14",
        sex="M",
    ).json()
    assert len(found) == 2


def test_a_stale_version_is_refused_with_409(cast, register_child):
    child = register_child()
    api = Api(cast.case_manager_a)
    assert (
        api.send("patch", f"/children/{child.uuid}", {"version": 1, "school_name": "A"}).status_code
        == 200
    )
    stale = api.send("patch", f"/children/{child.uuid}", {"version": 1, "school_name": "B"})
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.json()["errors"]["non_field_errors"][0]


def test_records_outside_scope_answer_404_and_are_not_counted(cast, register_child):
    theirs = register_child(agency=cast.agency_b)
    api = Api(cast.case_manager_a)
    assert api.get(f"/children/{theirs.uuid}").status_code == 404
    assert api.send("patch", f"/children/{theirs.uuid}", {"version": 1}).status_code == 404
    assert api.get("/children").json()["count"] == 0
    assert api.get("/children/not-a-uuid").status_code == 404
    unknown = api.get("/children/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
    assert unknown.json() == api.get(f"/children/{theirs.uuid}").json()


def test_a_child_cannot_be_registered_for_another_agency(cast):
    response = Api(cast.case_manager_a).send(
        "post", "/children", new_child(cast, agency=cast.agency_b.code)
    )
    assert response.status_code == 422
    assert "agency" in response.json()["errors"]


@pytest.mark.parametrize("user", ["analyst", "admin"])
def test_roles_without_child_data_get_403(cast, user):
    assert Api(getattr(cast, user)).get("/children").status_code == 403


def test_households_persons_and_relationships(cast, register_child):
    child = register_child()
    api = Api(cast.case_manager_a)
    household = api.send(
        "post",
        "/households",
        {"name": "Семья Ивановых", "location": cast.agency_a.area.code, "address": "ул. Мира, 1"},
    )
    assert household.status_code == 201, household.content
    household_id = household.json()["id"]
    mother = api.send(
        "post",
        "/persons",
        {
            "family_name": "Иванова",
            "given_name": "Ольга",
            "sex": "F",
            "date_of_birth": "1987-04-04",
            "household": household_id,
        },
    )
    assert mother.status_code == 201, mother.content
    assert mother.json()["family_name_latin"] == "Ivanova"
    link = api.send(
        "post",
        "/relationships",
        {"child": str(child.uuid), "kind": "mother", "person": mother.json()["id"]},
    )
    assert link.status_code == 201, link.content
    again = api.send(
        "post",
        "/relationships",
        {"child": str(child.uuid), "kind": "mother", "person": mother.json()["id"]},
    )
    assert again.status_code == 422
    joined = api.send("patch", f"/children/{child.uuid}", {"version": 1, "household": household_id})
    assert joined.json()["household"] == household_id
    assert api.get("/persons", search="Ivanova").json()["count"] == 1
    assert api.get(f"/households/{household_id}").json()["name"] == "Семья Ивановых"
    patched = api.send(
        "patch", f"/households/{household_id}", {"version": 1, "notes": "Мать работает"}
    )
    assert patched.json()["version"] == 2
    other = Api(cast.case_manager_b)
    assert other.get(f"/households/{household_id}").status_code == 404
    assert other.get(f"/persons/{mother.json()['id']}").status_code == 404
    assert other.get("/persons").json()["count"] == 0


def test_institutions_and_residents(cast, register_child):
    child = register_child()
    api = Api(cast.case_manager_a)
    institutions = api.get("/institutions").json()
    assert institutions["count"] == 1
    institution_id = institutions["items"][0]["id"]
    admitted = api.send(
        "post",
        f"/institutions/{institution_id}/residents",
        {"child": str(child.uuid), "admitted_on": "2024-01-10"},
    )
    assert admitted.status_code == 201, admitted.content
    overlapping = api.send(
        "post",
        f"/institutions/{institution_id}/residents",
        {"child": str(child.uuid), "admitted_on": "2024-02-10"},
    )
    assert overlapping.status_code == 422
    residents = api.get(f"/institutions/{institution_id}/residents").json()
    assert residents["count"] == 1
    assert api.get(f"/institutions/{institution_id}").json()["current_residents"] == 1
    too_early = api.send("patch", f"/residences/{admitted.json()['id']}", {"left_on": "2023-12-31"})
    assert too_early.status_code == 422
    left = api.send("patch", f"/residences/{admitted.json()['id']}", {"left_on": "2024-06-01"})
    assert left.json()["left_on"] == "2024-06-01"
    # institution staff see their current residents only; others see none of this child
    assert (
        Api(cast.case_manager_b).get(f"/institutions/{institution_id}/residents").json()["count"]
        == 0
    )


def test_only_administrators_change_institutions_and_locations(cast):
    body = {
        "code": "NEW-1",
        "name": "Новый дом",
        "kind": "childrens_home",
        "agency": cast.region_a.code,
        "location": cast.agency_a.area.code,
        "capacity": 20,
    }
    assert Api(cast.case_manager_a).send("post", "/institutions", body).status_code == 403
    admin = Api(cast.admin)
    created = admin.send("post", "/institutions", body)
    assert created.status_code == 201, created.content
    assert admin.send("post", "/institutions", body).status_code == 422  # code taken
    location = {
        "code": "BY-VI-99",
        "parent": "BY-VI",
        "level": "district",
        "name_local": "Новы раён",
        "name_latin": "New District",
        "latitude": "55.1",
        "longitude": "30.2",
    }
    assert Api(cast.case_manager_a).send("post", "/locations", location).status_code == 403
    made = admin.send("post", "/locations", location)
    assert made.status_code == 201, made.content
    wrong_level = admin.send("post", "/locations", {**location, "code": "X1", "parent": "BY"})
    assert wrong_level.status_code == 422


def test_locations_list_and_detail(cast):
    api = Api(cast.case_manager_a)
    regions = api.get("/locations", level="region", parent="BG", page_size=100).json()
    assert regions["count"] == 28
    ruse = api.get("/locations/BG-18").json()
    assert ruse["iso_code"] == "BG-18"
    assert ruse["name_local"] == "Област Русе"
    districts = api.get("/locations", parent="BY-VI", page_size=100).json()
    assert districts["count"] == 21
    assert all(d["latitude"] is not None for d in districts["items"])
    assert api.get("/locations/NOPE").status_code == 404


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/children", "/api/v1/auth/token", "/api/v1/locations"} <= set(paths)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
