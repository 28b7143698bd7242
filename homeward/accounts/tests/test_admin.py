"""Configuration in the administration pages, with every access change audited."""

from __future__ import annotations

import pytest

from conftest import login
from homeward.accounts.models import Agency
from homeward.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_pages_are_for_system_administrators_only(cast):
    assert login(cast.admin).get("/admin/").status_code == 200
    assert login(cast.supervisor_a).get("/admin/").status_code == 403
    assert login(cast.admin).get("/admin/registry/child/").status_code == 404


def test_granting_a_role_is_audited(cast):
    client = login(cast.admin)
    user = cast.analyst
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": user.username,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(user.memberships.get().pk),
            "memberships-0-user": str(user.pk),
            "memberships-0-agency": str(user.memberships.get().agency_id),
            "memberships-0-role": "analyst",
            "memberships-1-user": str(user.pk),
            "memberships-1-agency": str(cast.agency_a.pk),
            "memberships-1-role": "case_manager",
        }
    )
    data.pop("last_login", None)
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    events = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE, object_uuid=user.uuid)
    changes = [e.changes for e in events]
    assert {"is_staff": [False, True]} in changes
    assert {"membership": [None, "case_manager@A-SEC"]} in changes


def test_an_agency_added_in_admin_gets_its_tree_path(cast):
    client = login(cast.admin)
    response = client.post(
        "/admin/accounts/agency/add/",
        {
            "code": "A-NGO",
            "name": "НГО",
            "kind": "ngo",
            "parent": cast.agency_a.pk,
            "area": cast.agency_a.area.pk,
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="A-NGO").path == f"{cast.agency_a.path}/A-NGO"


def test_saving_an_agency_audits_what_changed_and_nothing_when_nothing_did(cast):
    from homeward.accounts.actions import agency_save

    agency = Agency.objects.get(pk=cast.agency_b.pk)
    before = AuditEvent.objects.count()
    agency_save(actor=cast.admin, agency=agency)
    assert AuditEvent.objects.count() == before
    agency.name = "Новое имя"
    agency_save(actor=cast.admin, agency=agency)
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditAction.UPDATE
    assert event.changes["name"][1] == "Новое имя"
    assert "path" not in event.changes
    agency.parent = cast.agency_a
    agency_save(actor=cast.admin, agency=agency)
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditAction.PERMISSION_CHANGE  # moving it changes who sees what
    assert event.changes["path"] == [cast.agency_b.path, f"{cast.agency_a.path}/{agency.code}"]
