"""Cases and care plans through the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.api.tests.test_api import Api

pytestmark = pytest.mark.django_db


def test_a_case_from_registration_to_closure_through_the_api(
    cast, register_child, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    register_child()
    api = Api(cast.case_manager_a)
    mine = api.get("/cases", mine="true").json()
    assert mine["count"] == 1
    case = mine["items"][0]
    assert case["allowed_moves"] == ["initial_assessment"]
    case_id = case["id"]
    wrong = api.send("post", f"/cases/{case_id}/move", {"to": "implementation", "version": 1})
    assert wrong.status_code == 422
    assert "cannot move" in wrong.json()["errors"]["status"][0]
    risk = api.send("post", f"/cases/{case_id}/risk", {"risk_level": "medium", "version": 1})
    assert risk.json()["risk_level"] == "medium"
    stale = api.send("post", f"/cases/{case_id}/move", {"to": "initial_assessment", "version": 1})
    assert stale.status_code == 409
    version = risk.json()["version"]
    for step in ["initial_assessment", "comprehensive_assessment", "case_planning"]:
        moved = api.send("post", f"/cases/{case_id}/move", {"to": step, "version": version})
        assert moved.status_code == 200, moved.content
        version = moved.json()["version"]
    tasks = api.get("/tasks").json()
    assert [t["title"] for t in tasks["items"]] == ["Complete the step: Case planning"]

    plan = api.send("post", f"/cases/{case_id}/plans", {"starts_on": "2026-11-01"}).json()
    goal = {
        "version": plan["version"],
        "domain": "education",
        "text": "Регулярно посещает школу",
        "action": {
            "text": "Договориться с классным руководителем",
            "responsible": "Петрова",
            "due_on": "2026-12-01",
        },
    }
    plan = api.send("post", f"/plans/{plan['id']}/goals", goal).json()
    plan = api.send("post", f"/plans/{plan['id']}/submit", {"version": plan["version"]}).json()
    own = api.send(
        "post", f"/plans/{plan['id']}/decision", {"approve": True, "version": plan["version"]}
    )
    assert own.status_code == 403  # a case manager has no right to approve
    supervisor = Api(cast.supervisor_a)
    plan = supervisor.send(
        "post", f"/plans/{plan['id']}/decision", {"approve": True, "version": plan["version"]}
    ).json()
    assert plan["status"] == "approved"
    moved = api.send("post", f"/cases/{case_id}/move", {"to": "implementation", "version": version})
    assert moved.status_code == 200, moved.content
    version = moved.json()["version"]

    note = api.send(
        "post",
        f"/cases/{case_id}/notes",
        {"kind": "visit", "happened_on": "2026-11-05", "text": "Визит: ребёнок в школе."},
    )
    assert note.status_code == 201
    upload = api.client.post(
        f"/api/v1/cases/{case_id}/attachments",
        {"file": SimpleUploadedFile("act.pdf", b"%PDF-1.4 act"), "description": "Акт"},
        headers=api.headers,
    )
    assert upload.status_code == 201, upload.content
    download = api.client.get(f"/api/v1/attachments/{upload.json()['id']}", headers=api.headers)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 act"
    conference = api.send(
        "post",
        f"/cases/{case_id}/conferences",
        {
            "held_on": "2026-11-06",
            "agencies": [cast.agency_a.code],
            "participants": "школа, поликлиника",
            "decisions": "Продолжить план.",
            "action_items": [
                {"assignee": "cm_a", "text": "Позвонить в школу", "due_on": "2026-11-30"}
            ],
        },
    )
    assert conference.status_code == 201, conference.content
    review = api.send(
        "post",
        f"/plans/{plan['id']}/reviews",
        {"version": plan["version"], "reviewed_on": "2026-11-10", "outcome": "goals_met"},
    )
    assert review.status_code == 201, review.content

    closing = api.send(
        "post", f"/cases/{case_id}/closure", {"reason": "Цели достигнуты", "version": version}
    )
    assert closing.json()["closure_requested"] is True
    closed = supervisor.send(
        "post",
        f"/cases/{case_id}/closure/decision",
        {"approve": True, "version": closing.json()["version"]},
    )
    assert closed.json()["status"] == "closed"
    detail = api.get(f"/cases/{case_id}").json()
    kinds = [e["type"] for e in detail["events"]]
    assert kinds[0] == "closed"
    assert {
        "opened",
        "risk_set",
        "plan_approved",
        "note_added",
        "attachment_added",
        "conference_held",
    } <= set(kinds)
    assert api.get(f"/plans/{plan['id']}/pdf").content.startswith(b"%PDF")
    assert Api(cast.case_manager_b).get(f"/cases/{case_id}").status_code == 404


def test_team_load_and_reassignment(cast, register_child):
    from homeward.accounts.models import Membership
    from homeward.tests.factories import UserFactory

    colleague = UserFactory(username="cm_a2")
    Membership.objects.create(
        user=colleague,
        agency=cast.agency_a,
        role="case_manager",
        team=cast.case_manager_a.memberships.get().team,
    )
    case = register_child().case
    supervisor = Api(cast.supervisor_a)
    assert {row["user"]: row["open_cases"] for row in supervisor.get("/team").json()} == {
        "cm_a": 1,
        "cm_a2": 0,
    }
    outsider = register_child(agency=cast.agency_b).case
    refused = supervisor.send(
        "post", "/team/reassign", {"cases": [str(outsider.uuid)], "case_manager": "cm_a2"}
    )
    assert refused.status_code == 422
    done = supervisor.send(
        "post", "/team/reassign", {"cases": [str(case.uuid)], "case_manager": "cm_a2"}
    )
    assert done.json() == {"reassigned": 1}
    assert (
        Api(cast.case_manager_a)
        .send("post", "/team/reassign", {"cases": [str(case.uuid)], "case_manager": "cm_a"})
        .status_code
        == 403
    )
