"""The audit trail: what is recorded, who may read it, and that tampering is detected."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from conftest import login
from homeward.audit.actions import audit_record
from homeward.audit.chain import verify
from homeward.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_views_and_changes_are_recorded_with_before_and_after(cast, register_child):
    child = register_child()
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_uuid=child.uuid)
    assert created.changes["family_name"] == [None, "Иванов"]
    client = login(cast.case_manager_a)
    client.get(f"/children/{child.uuid}/")
    view = AuditEvent.objects.filter(action=AuditAction.VIEW, object_uuid=child.uuid).get()
    assert view.actor == cast.case_manager_a
    assert view.ip_address == "127.0.0.1"
    client.post(
        f"/children/{child.uuid}/edit/",
        {
            "family_name": "Петров",
            "given_name": "Алексей",
            "patronymic": "Сергеевич",
            "sex": "M",
            "date_of_birth": "2015-03-14",
            "legal_status": "unknown",
            "home_location": cast.agency_a.area.code,
            "version": 1,
        },
    )
    update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_uuid=child.uuid)
    assert update.changes["family_name"] == ["Иванов", "Петров"]
    assert update.changes["family_name_latin"] == ["Ivanov", "Petrov"]
    assert "given_name" not in update.changes


def test_logins_and_failures_are_recorded(cast, client):
    client.post("/accounts/login/", {"username": "cm_a", "password": "wrong"})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor_username == "cm_a"
    assert failed.actor is None


def test_the_chain_verifies_and_names_the_first_tampered_event(cast, register_child):
    for index in range(3):
        register_child(given_name=f"Ребёнок{index}")
    checked, broken = verify()
    assert broken is None
    assert checked == AuditEvent.objects.count()
    call_command("audit", "verify")
    target = AuditEvent.objects.order_by("seq")[2]
    with connection.cursor() as cursor:
        # what an attacker with database access would do: drop the guard, then edit a row
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
        cursor.execute(
            "UPDATE audit_auditevent SET detail = 'nothing to see' WHERE seq = %s", [target.seq]
        )
    checked, broken = verify()
    assert broken is not None
    assert broken.seq == target.seq
    assert checked == target.seq - 1
    with pytest.raises(CommandError, match=f"#{target.seq}"):
        call_command("audit", "verify")


def test_audit_events_cannot_be_edited(cast):
    event = audit_record(actor=cast.admin, action=AuditAction.LOGIN, obj=cast.admin)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")


def test_the_audit_page_is_for_supervisors_and_administrators(cast, register_child):
    child = register_child()
    login(cast.case_manager_a).get(f"/children/{child.uuid}/")
    supervisor = login(cast.supervisor_a)
    page = supervisor.get("/audit/", {"record": child.case_number, "action": "view"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert login(cast.case_manager_a).get("/audit/").status_code == 403
    assert login(cast.analyst).get("/audit/").status_code == 403
    admin_page = login(cast.admin).get("/audit/", {"record": child.case_number})
    assert admin_page.status_code == 200
    assert "Иванов" not in admin_page.content.decode()  # field names, not child data


def test_who_has_seen_the_record_is_on_the_childs_page(cast, register_child):
    child = register_child()
    login(cast.case_manager_a).get(f"/children/{child.uuid}/")
    page = login(cast.supervisor_a).get(f"/children/{child.uuid}/").content.decode()
    assert "Who has seen this record" in page
    assert "cm_a" in page
    own = login(cast.case_manager_a).get(f"/children/{child.uuid}/").content.decode()
    assert "Who has seen this record" not in own


def test_no_admin_page_or_api_changes_audit_events(cast):
    from django.contrib import admin

    from homeward.audit.models import AuditEvent as Model

    assert Model not in admin.site._registry
    schema = login(cast.admin).get("/api/v1/openapi.json").json()
    methods = {m for path, ops in schema["paths"].items() if "audit" in path for m in ops}
    assert methods == {"get"}
