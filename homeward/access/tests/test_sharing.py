"""Sharing under consent, withdrawal, emergency access and special-category details."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import login
from homeward.access.actions import share_create
from homeward.accounts.models import WorkingGroup
from homeward.audit.models import AuditAction, AuditEvent
from homeward.cases.actions import consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(cast):
    group = WorkingGroup.objects.create(name="Межведомственная группа", area=cast.agency_a.area)
    group.members.add(cast.working_group)
    return group


def sharing_consent(cast, child, group):
    return consent_record(
        actor=cast.case_manager_a,
        child=child,
        kind="sharing",
        given_by="both",
        given_on=datetime.date(2025, 5, 1),
        working_group=group,
    )


def test_a_working_group_sees_a_child_only_while_shared_and_consented(cast, register_child, group):
    child = register_child(date_of_birth=datetime.date(2015, 3, 14))
    member = login(cast.working_group)
    assert member.get(f"/children/{child.uuid}/").status_code == 404
    consent = sharing_consent(cast, child, group)
    manager = login(cast.case_manager_a)
    response = manager.post(f"/access/children/{child.uuid}/share/", {"consent": consent.uuid})
    assert response.status_code == 302
    assert member.get(f"/children/{child.uuid}/").status_code == 200
    withdrawn = manager.post(
        f"/cases/consents/{consent.uuid}/withdraw/",
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert withdrawn.status_code == 302
    assert member.get(f"/children/{child.uuid}/").status_code == 404


def test_stopping_a_share_ends_access(cast, register_child, group):
    child = register_child()
    share = share_create(
        actor=cast.case_manager_a, child=child, consent=sharing_consent(cast, child, group)
    )
    member = login(cast.working_group)
    assert member.get(f"/children/{child.uuid}/").status_code == 200
    login(cast.case_manager_a).post(f"/access/shares/{share.uuid}/revoke/")
    assert member.get(f"/children/{child.uuid}/").status_code == 404


def test_an_expired_share_ends_access(cast, register_child, group):
    child = register_child()
    share = share_create(
        actor=cast.case_manager_a, child=child, consent=sharing_consent(cast, child, group)
    )
    type(share).objects.filter(pk=share.pk).update(
        until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert login(cast.working_group).get(f"/children/{child.uuid}/").status_code == 404


def test_consent_follows_the_age_bands(cast, register_child):
    today = timezone.localdate()
    toddler = register_child(given_name="Малыш", date_of_birth=today.replace(year=today.year - 3))
    teenager = register_child(
        given_name="Подросток", date_of_birth=today.replace(year=today.year - 15)
    )
    client = login(cast.case_manager_a)
    form = {"kind": "case_management", "given_on": today.isoformat()}
    refused = client.post(
        f"/cases/children/{toddler.uuid}/consents/new/", {**form, "given_by": "child"}
    )
    assert refused.status_code == 422
    assert "At this age consent is given by" in refused.content.decode()
    assert (
        client.post(
            f"/cases/children/{teenager.uuid}/consents/new/", {**form, "given_by": "child"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/cases/children/{teenager.uuid}/consents/new/", {**form, "given_by": "caregiver"}
        ).status_code
        == 422
    )


def test_consent_to_sharing_must_name_one_recipient(cast, register_child, group):
    child = register_child()
    client = login(cast.case_manager_a)
    base = {"kind": "sharing", "given_by": "both", "given_on": "2025-05-01"}
    assert client.post(f"/cases/children/{child.uuid}/consents/new/", base).status_code == 422
    both = {**base, "working_group": group.uuid, "agency": cast.agency_b.code}
    assert client.post(f"/cases/children/{child.uuid}/consents/new/", both).status_code == 422
    one = {**base, "working_group": group.uuid}
    assert client.post(f"/cases/children/{child.uuid}/consents/new/", one).status_code == 302


def test_a_referral_share_opens_the_record_to_the_receiving_agency(cast, register_child):
    child = register_child()
    consent = consent_record(
        actor=cast.case_manager_a,
        child=child,
        kind="sharing",
        given_by="both",
        given_on=datetime.date(2025, 5, 1),
        agency=cast.agency_b,
    )
    share_create(actor=cast.case_manager_a, child=child, consent=consent)
    other_agency = login(cast.case_manager_b)
    assert other_agency.get(f"/children/{child.uuid}/").status_code == 200
    assert other_agency.get(f"/children/{child.uuid}/edit/").status_code == 200


def test_disability_details_are_hidden_from_those_who_only_got_a_share(cast, register_child, group):
    child = register_child(has_disability=True, disability_domains=["hearing", "learning"])
    share_create(
        actor=cast.case_manager_a, child=child, consent=sharing_consent(cast, child, group)
    )
    own = login(cast.case_manager_a).get(f"/children/{child.uuid}/").content.decode()
    assert "Hearing" in own
    shared = login(cast.working_group).get(f"/children/{child.uuid}/").content.decode()
    assert "Hearing" not in shared
    assert "details not shown to your role" in shared


def test_break_glass_opens_one_record_for_a_while_and_is_recorded(cast, register_child):
    theirs = register_child(agency=cast.agency_b)
    supervisor = login(cast.supervisor_a)
    assert supervisor.get(f"/children/{theirs.uuid}/").status_code == 404
    short = supervisor.post(
        "/access/break-glass/", {"case_number": theirs.case_number, "reason": "urgent"}
    )
    assert short.status_code == 422
    response = supervisor.post(
        "/access/break-glass/",
        {
            "case_number": theirs.case_number,
            "reason": "Police call at night: the child was found alone at the station.",
        },
    )
    assert response.status_code == 302
    assert supervisor.get(f"/children/{theirs.uuid}/").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.object_uuid == theirs.uuid
    assert "Police call" in event.detail
    listing = supervisor.get("/access/break-glass/").content.decode()
    assert theirs.case_number in listing
    theirs.break_glass.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert supervisor.get(f"/children/{theirs.uuid}/").status_code == 404


def test_case_managers_have_no_break_glass(cast, register_child):
    assert login(cast.case_manager_a).get("/access/break-glass/").status_code == 403
