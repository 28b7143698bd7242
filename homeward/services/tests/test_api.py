"""Services and referrals through the API, as a client sees them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import PASSWORD, otp_code
from homeward.services.models import Referral

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user) -> None:
        self.client = Client()
        response = self.client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": PASSWORD, "otp": otp_code(user)},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.headers = {"Authorization": f"Bearer {response.json()['token']}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def patch(self, path: str, body):
        return self.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def test_send_accept_start_complete_through_the_api(cast, ngo, consented_child, register_child):
    child = consented_child()
    sender, receiver = Api(cast.case_manager_a), Api(ngo.worker)
    body = {
        "provider": str(ngo.provider.uuid),
        "service_type": "psychological_counselling",
        "reason": "Нужна поддержка психолога после развода родителей.",
    }
    refused = sender.post(f"/cases/{register_child(given_name='Без').case.uuid}/referrals", body)
    assert refused.status_code == 422
    assert "consent" in refused.json()["errors"]
    assert Referral.objects.count() == 0

    sent = sender.post(f"/cases/{child.case.uuid}/referrals", body)
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    assert referral["status"] == "sent"
    assert referral["receiving_agency"] == "NGO-VI"
    assert referral["case_number"] == child.case_number
    assert referral["allowed_moves"] == ["accepted", "declined", "withdrawn"]
    assert "id" in referral and "pk" not in referral
    rid = referral["id"]

    inbox = receiver.get("/referrals/received").json()
    assert inbox["count"] == 1 and inbox["items"][0]["id"] == rid
    assert receiver.get("/referrals/received", status="completed").json()["count"] == 0
    assert sender.post(f"/referrals/{rid}/accept", {"version": 1}).status_code == 422
    accepted = receiver.post(f"/referrals/{rid}/accept", {"version": 1})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert receiver.post(f"/referrals/{rid}/accept", {"version": 1}).status_code == 409
    started = receiver.post(f"/referrals/{rid}/start", {"version": 2})
    assert started.json()["status"] == "in_progress"
    missing = receiver.post(f"/referrals/{rid}/complete", {"version": 3, "outcome": " "})
    assert missing.status_code == 422 and "outcome" in missing.json()["errors"]
    done = receiver.post(
        f"/referrals/{rid}/complete", {"version": 3, "outcome": "10 встреч; конфликты реже."}
    )
    assert done.status_code == 200
    assert done.json()["status"] == "completed" and done.json()["allowed_moves"] == []

    mine = sender.get("/referrals/sent").json()
    assert mine["count"] == 1 and mine["items"][0]["outcome"].startswith("10 встреч")
    assert sender.get(f"/cases/{child.case.uuid}/referrals").json()[0]["status"] == "completed"
    assert Api(cast.case_manager_b).get(f"/referrals/{rid}").status_code == 404
    assert receiver.get(f"/children/{child.uuid}").status_code == 404  # the share has closed


def test_the_catalogue_through_the_api(cast, ngo):
    reader = Api(cast.case_manager_a)
    types = reader.get("/service-types").json()
    assert any(t["code"] == "sos_parent" for t in types)
    providers = reader.get("/providers", service_type="psychological_counselling").json()
    assert [p["id"] for p in providers["items"]] == [str(ngo.provider.uuid)]
    assert reader.get("/providers", area="NOWHERE").status_code == 422
    assert reader.post("/providers", {}).status_code == 403

    admin = Api(cast.admin)
    created = admin.post(
        "/providers",
        {
            "agency": "NGO-VI",
            "name": "Группа поддержки родителей",
            "service_types": ["parent_support_group"],
            "area": "BY-VI",
            "under_state_social_order": True,
        },
    )
    assert created.status_code == 201, created.content
    provider = created.json()
    assert provider["service_types"] == ["parent_support_group"]
    assert admin.post("/providers", {**provider, "id": None}).status_code == 422
    unknown = admin.post(
        "/providers",
        {"agency": "NGO-VI", "name": "X", "service_types": ["nope"], "area": "BY-VI"},
    )
    assert unknown.status_code == 422 and "service_types" in unknown.json()["errors"]
    patched = admin.patch(f"/providers/{provider['id']}", {"version": 1, "capacity": 40})
    assert patched.status_code == 200 and patched.json()["capacity"] == 40
    stale = admin.patch(f"/providers/{provider['id']}", {"version": 1, "capacity": 50})
    assert stale.status_code == 409

    new_type = admin.post(
        "/service-types",
        {
            "code": "mediation",
            "name_en": "Family mediation",
            "name_ru": "Семейная медиация",
            "name_be": "Сямейная медыяцыя",
            "name_bg": "Семейна медиация",
        },
    )
    assert new_type.status_code == 201 and new_type.json()["response_working_days"] == 3
    assert admin.patch("/service-types/mediation", {"version": 1, "code": "x"}).status_code == 422
    renamed = admin.patch("/service-types/mediation", {"version": 1, "response_working_days": 2})
    assert renamed.json()["response_working_days"] == 2


def test_notifications_through_the_api(cast, ngo, consented_child):
    import datetime

    from django.utils import timezone

    from homeward.services.actions import referrals_escalate
    from homeward.services.tests.helpers import send

    referral = send(cast, ngo, consented_child())
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    referrals_escalate()
    lead = Api(ngo.lead)
    listed = lead.get("/notifications", unread=True).json()
    assert listed["count"] == 1
    assert listed["items"][0]["source"] == f"referral-escalation:{referral.uuid}"
    received = lead.get("/referrals/received").json()["items"][0]
    assert received["escalated_at"] is not None and received["overdue"] is True
    assert lead.post("/notifications/read", {}).status_code == 422
    assert lead.post("/notifications/read", {"all": True}).json() == {"marked_read": 1}
    assert lead.get("/notifications", unread=True).json()["count"] == 0
