"""Every role × every child-data page and endpoint × a record in scope and one out of scope."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from conftest import PASSWORD, login, otp_code
from homeward.institutions.actions import resident_admit

pytestmark = pytest.mark.django_db

# (name, method, path template); {id} is the child's UUID, {case} their case's
WEB = [
    ("profile", "get", "/children/{id}/"),
    ("case page", "get", "/cases/{case}/"),
    ("chronology", "get", "/cases/{case}/chronology/"),
    ("assessments", "get", "/assessments/cases/{case}/"),
    ("refer", "get", "/services/cases/{case}/refer/"),
    ("matches", "get", "/matching/children/{id}/"),
    ("subject access", "get", "/children/{id}/subject-access/"),
    ("edit", "get", "/children/{id}/edit/"),
    ("add relative", "get", "/children/{id}/relatives/new/"),
    ("record consent", "get", "/cases/children/{id}/consents/new/"),
    ("share", "get", "/access/children/{id}/share/"),
]
API = [
    ("api detail", "get", "/api/v1/children/{id}"),
    ("api update", "patch", "/api/v1/children/{id}"),
    ("api consents", "get", "/api/v1/children/{id}/consents"),
    ("api case", "get", "/api/v1/cases/{case}"),
    ("api notes", "get", "/api/v1/cases/{case}/notes"),
    ("api plans", "get", "/api/v1/cases/{case}/plans"),
    ("api matches", "get", "/api/v1/children/{id}/matches"),
]
ENDPOINTS = WEB + API

OK, NOT_FOUND, FORBIDDEN = 200, 404, 403
# role -> (its in-scope record or None, answers for [in scope, out of scope] per endpoint kind)
SUPERVISION = {name: (OK, NOT_FOUND) for name, _m, _p in ENDPOINTS}
# a subject-access export is for supervisors (and data protection officers), not case workers
CASEWORK = {**SUPERVISION, "subject access": (FORBIDDEN, FORBIDDEN)}
READ_ONLY = {
    "profile": (OK, NOT_FOUND),
    "edit": (FORBIDDEN, FORBIDDEN),
    "add relative": (FORBIDDEN, FORBIDDEN),
    "record consent": (FORBIDDEN, FORBIDDEN),
    "share": (FORBIDDEN, FORBIDDEN),
    "api detail": (OK, NOT_FOUND),
    "api update": (FORBIDDEN, FORBIDDEN),
    "api consents": (FORBIDDEN, FORBIDDEN),
    # a share opens the case as it stands (plan, notes, assessments) to read, not to act on
    "case page": (OK, NOT_FOUND),
    "chronology": (OK, NOT_FOUND),
    "assessments": (OK, NOT_FOUND),
    "refer": (FORBIDDEN, FORBIDDEN),
    "matches": (FORBIDDEN, FORBIDDEN),
    "subject access": (FORBIDDEN, FORBIDDEN),
    "api case": (OK, NOT_FOUND),
    "api notes": (OK, NOT_FOUND),
    "api plans": (OK, NOT_FOUND),
    "api matches": (FORBIDDEN, FORBIDDEN),
}
NO_CHILD_DATA = {name: (FORBIDDEN, FORBIDDEN) for name, _m, _p in ENDPOINTS}

DESIGN = {
    "case_manager_a": ("mine", CASEWORK),
    "supervisor_a": ("mine", SUPERVISION),
    "case_manager_b": ("theirs", CASEWORK),
    "working_group": ("shared", READ_ONLY),
    "institution_staff": ("resident", READ_ONLY),
    "analyst": (None, NO_CHILD_DATA),
    "admin": (None, NO_CHILD_DATA),
}


# Everything each role should find in its lists: what its work or a share brings it.
VISIBLE = {
    "case_manager_a": {"mine", "shared"},
    "supervisor_a": {"mine", "shared"},
    "case_manager_b": {"theirs", "resident"},
    "working_group": {"shared"},
    "institution_staff": {"resident"},
    "analyst": set(),
    "admin": set(),
}


@pytest.fixture
def records(cast, register_child):
    from homeward.access.actions import share_create
    from homeward.accounts.models import WorkingGroup
    from homeward.cases.actions import consent_record

    mine = register_child(given_name="Мой")
    theirs = register_child(agency=cast.agency_b, given_name="Чужой")
    shared = register_child(given_name="Общий", date_of_birth=datetime.date(2008, 1, 1))
    resident = register_child(agency=cast.agency_b, given_name="Живущий")
    resident_admit(
        actor=cast.case_manager_b,
        institution=cast.institution,
        child=resident,
        admitted_on=datetime.date(2024, 1, 1),
    )
    group = WorkingGroup.objects.create(name="МРГ", area=cast.agency_a.area)
    group.members.add(cast.working_group)
    consent = consent_record(
        actor=cast.case_manager_a,
        child=shared,
        kind="sharing",
        given_by="child",
        given_on=datetime.date(2025, 1, 1),
        working_group=group,
    )
    share_create(actor=cast.case_manager_a, child=shared, consent=consent)
    return {"mine": mine, "theirs": theirs, "shared": shared, "resident": resident}


def api_client(user) -> Client:
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD, "otp": otp_code(user)},
        content_type="application/json",
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def call(web: Client, api: Client, method: str, path: str, child) -> int:
    url = path.format(id=child.uuid, case=child.case.uuid)
    if url.startswith("/api/"):
        if method == "patch":
            return api.patch(
                url, {"version": child.version}, content_type="application/json"
            ).status_code
        return api.get(url).status_code
    return web.get(url).status_code


@pytest.mark.parametrize("role", sorted(DESIGN))
def test_every_endpoint_answers_as_designed(cast, records, role):
    user = getattr(cast, role)
    own_key, design = DESIGN[role]
    web, api = login(user), api_client(user)
    outside = records["theirs"] if own_key != "theirs" else records["mine"]
    answers = {}
    for name, method, path in ENDPOINTS:
        expected_in, expected_out = design[name]
        if own_key is not None:
            answers[(name, "in scope")] = (
                call(web, api, method, path, records[own_key]),
                expected_in,
            )
        answers[(name, "out of scope")] = (call(web, api, method, path, outside), expected_out)
    wrong = {key: got for key, (got, expected) in answers.items() if got != expected}
    assert wrong == {}, f"{role}: {wrong}"


@pytest.mark.parametrize("role", sorted(DESIGN))
def test_out_of_scope_records_never_appear_in_lists_search_or_counts(cast, records, role):
    user = getattr(cast, role)
    own_key, _design = DESIGN[role]
    visible = {records[key].case_number for key in VISIBLE[role]}
    web, api = login(user), api_client(user)
    page = web.get("/children/")
    if own_key is None:
        assert page.status_code == 403
        assert api.get("/api/v1/children").status_code == 403
        return
    listed = {c.case_number for c in page.context["page"].object_list}
    assert listed == visible
    body = api.get("/api/v1/children").json()
    assert {c["case_number"] for c in body["items"]} == visible
    assert body["count"] == len(visible)
    for other in set(records) - {own_key}:
        child = records[other]
        if child.case_number in visible:
            continue
        searched = api.get(
            "/api/v1/children", {"search": child.family_name + " " + child.given_name}
        )
        assert child.case_number not in {c["case_number"] for c in searched.json()["items"]}
        by_number = web.get("/children/", {"q": child.case_number})
        assert by_number.context["page"].paginator.count == 0


def test_duplicate_warnings_do_not_reveal_out_of_scope_children(cast, records):
    theirs = records["theirs"]
    api = api_client(cast.case_manager_a)
    found = api.get(
        "/api/v1/children/duplicates",
        {
            "family_name": theirs.family_name,
            "given_name": theirs.given_name,
            "date_of_birth": theirs.date_of_birth.isoformat(),
            "sex": theirs.sex,
        },
    ).json()
    assert found == []
