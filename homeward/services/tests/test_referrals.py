"""Referrals: deadlines in working days, consent, allowed moves, who sees what, escalation."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from homeward.access.models import Share
from homeward.accounts.models import Notification
from homeward.audit.models import AuditEvent
from homeward.cases.actions import consent_withdraw
from homeward.cases.models import CaseEvent, CaseEventType
from homeward.core.errors import StaleVersionError
from homeward.services import actions
from homeward.services.models import Referral, ReferralEvent, ReferralStatus
from homeward.services.pipeline import add_working_days
from homeward.services.tests.helpers import send, share_consent

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(
    ("sent", "days", "due"),
    [
        (local(2026, 3, 2, 10, 0), 3, local(2026, 3, 5, 10, 0)),  # Monday → Thursday
        (local(2026, 3, 6, 15, 30), 3, local(2026, 3, 11, 15, 30)),  # Friday → Wednesday
        (local(2026, 3, 6, 15, 30), 1, local(2026, 3, 9, 15, 30)),  # Friday → Monday
        (local(2026, 3, 7, 9, 0), 3, local(2026, 3, 11, 9, 0)),  # Saturday → Wednesday
        (local(2026, 3, 8, 9, 0), 5, local(2026, 3, 13, 9, 0)),  # Sunday → Friday
        (local(2026, 3, 4, 12, 0), 10, local(2026, 3, 18, 12, 0)),  # two weeks
    ],
)
def test_the_deadline_counts_working_days_only(sent, days, due):
    assert add_working_days(sent, days) == due


@pytest.mark.parametrize(
    ("country", "sent", "days", "due"),
    [
        # Bulgaria: 3 March is Liberation Day
        ("BG", local(2026, 3, 2, 10, 0), 3, local(2026, 3, 6, 10, 0)),
        # Belarus: 20 April is a day off moved from Saturday 25 April, 21 April is Radunitsa
        ("BY", local(2026, 4, 17, 9, 0), 2, local(2026, 4, 23, 9, 0)),
        # Belarus: 1 May (Friday); 9 May is a Saturday and changes nothing
        ("BY", local(2026, 4, 30, 12, 0), 1, local(2026, 5, 4, 12, 0)),
        # across the year's end: 1 and 2 January, then a weekend
        ("BY", local(2025, 12, 31, 12, 0), 1, local(2026, 1, 5, 12, 0)),
        # the same dates in a country that keeps other holidays
        ("BG", local(2026, 4, 17, 9, 0), 2, local(2026, 4, 21, 9, 0)),
        # no country named, or one the holidays package does not know: weekends only
        ("", local(2026, 3, 2, 10, 0), 3, local(2026, 3, 5, 10, 0)),
        ("ZZ", local(2026, 3, 2, 10, 0), 3, local(2026, 3, 5, 10, 0)),
    ],
)
def test_the_deadline_leaves_out_the_public_holidays_where_the_answer_is_due(
    country, sent, days, due
):
    assert add_working_days(sent, days, country) == due


def test_a_referral_is_due_by_the_receiving_agencys_calendar(
    cast, ngo, consented_child, monkeypatch
):
    # sent on the Friday before the Belarusian days off of 20 and 21 April 2026
    friday = local(2026, 4, 17, 16, 0)
    monkeypatch.setattr(timezone, "now", lambda: friday)
    assert ngo.provider.agency.area.country_code == "BY"
    referral = send(cast, ngo, consented_child())
    days = referral.service_type.response_working_days
    assert referral.due_at == add_working_days(friday, days, "BY")
    assert referral.due_at > add_working_days(friday, days)


def test_a_referral_sent_on_a_friday_is_due_on_wednesday(cast, ngo, consented_child, monkeypatch):
    friday = local(2026, 3, 6, 16, 0)
    monkeypatch.setattr(timezone, "now", lambda: friday)
    referral = send(cast, ngo, consented_child())
    assert referral.sent_at == friday
    assert referral.due_at == local(2026, 3, 11, 16, 0)


def test_a_referral_without_consent_is_refused_and_nothing_is_saved(cast, ngo, register_child):
    child = register_child()
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        send(cast, ngo, child)
    assert "no standing consent" in str(refused.value.message_dict["consent"])
    assert Referral.objects.count() == 0
    assert Share.objects.count() == 0
    assert not CaseEvent.objects.filter(type=CaseEventType.REFERRAL_SENT).exists()
    assert AuditEvent.objects.count() == audit_before

    page = login(cast.case_manager_a).post(
        f"/services/cases/{child.case.uuid}/refer/",
        {
            "service_type": ngo.service_type.code,
            "provider": ngo.provider.uuid,
            "reason": "Нужна консультация психолога.",
        },
    )
    assert page.status_code == 422
    assert "There is no standing consent to share this child" in page.content.decode()
    assert Referral.objects.count() == 0
    assert Share.objects.count() == 0


def test_a_consent_to_another_agency_or_a_withdrawn_one_does_not_count(cast, ngo, register_child):
    child = register_child()
    other = share_consent(cast, child, agency=cast.agency_b)
    with pytest.raises(ValidationError, match="does not allow sharing"):
        send(cast, ngo, child, consent=other)
    mine = share_consent(cast, child, agency=ngo.agency)
    consent_withdraw(actor=cast.case_manager_a, consent=mine, withdrawn_on=timezone.localdate())
    with pytest.raises(ValidationError, match="no standing consent"):
        send(cast, ngo, child)
    assert Referral.objects.count() == 0


def test_a_consent_for_the_service_type_opens_the_record_to_the_provider(cast, ngo, register_child):
    child = register_child()
    consent = share_consent(cast, child, service_type="psychological_counselling")
    worker = login(ngo.worker)
    assert worker.get(f"/children/{child.uuid}/").status_code == 404
    referral = send(cast, ngo, child)
    assert referral.consent == consent
    assert referral.share.agency == ngo.agency
    assert worker.get(f"/children/{child.uuid}/").status_code == 200
    # ... but not for another service the provider offers
    with pytest.raises(ValidationError, match="no standing consent"):
        send(cast, ngo, child, service_type=ngo.provider.service_types.get(code="respite_care"))


def test_the_allowed_moves_and_the_refused_ones(cast, ngo, consented_child):
    referral = send(cast, ngo, consented_child())
    with pytest.raises(ValidationError, match="Only the receiving agency"):
        actions.referral_accept(actor=cast.case_manager_a, referral=referral, version=1)
    with pytest.raises(ValidationError, match="Only the receiving agency"):
        actions.referral_accept(actor=cast.case_manager_b, referral=referral, version=1)
    with pytest.raises(ValidationError, match="cannot move from"):
        actions.referral_start(actor=ngo.worker, referral=referral, version=1)
    with pytest.raises(ValidationError, match="reason for declining"):
        actions.referral_decline(actor=ngo.worker, referral=referral, reason=" ", version=1)
    with pytest.raises(StaleVersionError):
        actions.referral_accept(actor=ngo.worker, referral=referral, version=7)

    referral = actions.referral_accept(actor=ngo.worker, referral=referral, version=1)
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == ngo.worker
    with pytest.raises(ValidationError, match="cannot move from"):
        actions.referral_accept(actor=ngo.worker, referral=referral, version=2)
    with pytest.raises(ValidationError, match="cannot move from"):
        actions.referral_complete(actor=ngo.worker, referral=referral, outcome="x", version=2)
    referral = actions.referral_start(actor=ngo.lead, referral=referral, version=2)
    with pytest.raises(ValidationError, match="outcome"):
        actions.referral_complete(actor=ngo.worker, referral=referral, outcome="", version=3)
    referral = actions.referral_complete(
        actor=ngo.worker, referral=referral, outcome="8 встреч, конфликты снизились.", version=3
    )
    assert referral.status == ReferralStatus.COMPLETED
    with pytest.raises(ValidationError, match="cannot move from"):
        actions.referral_withdraw(
            actor=cast.case_manager_a, referral=referral, reason="не нужно", version=4
        )
    history = list(referral.events.values_list("from_status", "type"))
    assert history == [
        ("", "sent"),
        ("sent", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "completed"),
    ]
    answered = CaseEvent.objects.filter(type=CaseEventType.REFERRAL_ANSWERED)
    assert answered.count() == 1 and answered.get().data["status"] == "accepted"


def test_only_the_sender_side_withdraws(cast, ngo, consented_child):
    referral = send(cast, ngo, consented_child())
    with pytest.raises(ValidationError, match="Only the workers of the case"):
        actions.referral_withdraw(actor=ngo.worker, referral=referral, reason="x", version=1)
    referral = actions.referral_withdraw(
        actor=cast.supervisor_a, referral=referral, reason="Семья переехала.", version=1
    )
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.share is not None and referral.share.revoked_at is not None


def test_a_closed_case_or_a_duplicate_or_a_service_not_offered_is_refused(
    cast, ngo, consented_child
):
    from homeward.services.models import ServiceType

    child = consented_child()
    send(cast, ngo, child)
    with pytest.raises(ValidationError, match="already has an open referral"):
        send(cast, ngo, child)
    with pytest.raises(ValidationError, match="does not offer this service"):
        send(cast, ngo, child, service_type=ServiceType.objects.get(code="legal_counselling"))
    with pytest.raises(ValidationError, match="Give the reason"):
        send(
            cast,
            ngo,
            child,
            service_type=ngo.provider.service_types.get(code="respite_care"),
            reason="  ",
        )
    # Agency B sees nothing of the case, let alone referring it.
    with pytest.raises(ValidationError, match="Only the workers of this case"):
        send(cast, ngo, child, actor=cast.case_manager_b)
    assert Referral.objects.count() == 1


def test_the_receiving_agency_sees_the_child_only_while_the_referral_is_open(
    cast, ngo, consented_child
):
    child = consented_child()
    worker, other = login(ngo.worker), login(cast.case_manager_b)
    assert worker.get(f"/children/{child.uuid}/").status_code == 404
    referral = send(cast, ngo, child)
    assert worker.get(f"/children/{child.uuid}/").status_code == 200
    detail = worker.get(f"/services/referrals/{referral.uuid}/")
    assert detail.status_code == 200
    assert child.full_name in detail.content.decode()
    # other agencies: nothing, not even that the referral exists
    assert other.get(f"/services/referrals/{referral.uuid}/").status_code == 404
    assert other.get(f"/children/{child.uuid}/").status_code == 404
    assert login(cast.working_group).get(f"/services/referrals/{referral.uuid}/").status_code == 404
    # a receiver may not refer the case on
    assert worker.get(f"/services/cases/{child.case.uuid}/refer/").status_code in (403, 404)

    declined = worker.post(
        f"/services/referrals/{referral.uuid}/decline/",
        {"text": "Нет свободных мест до сентября.", "version": 1},
    )
    assert declined.status_code == 302
    assert worker.get(f"/children/{child.uuid}/").status_code == 404
    after = worker.get(f"/services/referrals/{referral.uuid}/").content.decode()
    assert child.full_name not in after
    assert "Нет свободных мест" in after
    case_page = login(cast.case_manager_a).get(f"/cases/{child.case.uuid}/").content.decode()
    assert "Declined" in case_page


def test_completing_a_referral_closes_the_share(cast, ngo, consented_child):
    child = consented_child()
    worker = login(ngo.worker)
    referral = send(cast, ngo, child)
    assert (
        worker.post(f"/services/referrals/{referral.uuid}/accept/", {"version": 1}).status_code
        == 302
    )
    assert (
        worker.post(f"/services/referrals/{referral.uuid}/start/", {"version": 2}).status_code
        == 302
    )
    empty = worker.post(
        f"/services/referrals/{referral.uuid}/complete/", {"text": "", "version": 3}
    )
    assert empty.status_code == 422
    done = worker.post(
        f"/services/referrals/{referral.uuid}/complete/",
        {"text": "Курс завершён, семья справляется.", "version": 3},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert worker.get(f"/children/{child.uuid}/").status_code == 404
    # a second click on an old page is refused with a message, not a 500
    again = worker.post(f"/services/referrals/{referral.uuid}/accept/", {"version": 1}, follow=True)
    assert "Someone else changed this record" in again.content.decode()


def overdue(referral):
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=5)
    )


def test_escalation_notifies_both_sides_once_and_shows_on_both_sides(
    cast, ngo, consented_child, django_capture_on_commit_callbacks
):
    child = consented_child()
    referral = send(cast, ngo, child)
    waiting = send(cast, ngo, consented_child(given_name="Пётр"))  # not yet due
    assert actions.referrals_escalate() == []
    overdue(referral)
    with django_capture_on_commit_callbacks(execute=True):
        escalated = actions.referrals_escalate()
    assert [r.pk for r in escalated] == [referral.pk]
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"sup_a", "ngo_lead"}
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@ngo.example", "sup_a@a.example"]
    assert child.case_number in mail.outbox[0].body
    assert child.full_name not in mail.outbox[0].body  # no names in email
    assert CaseEvent.objects.filter(type=CaseEventType.REFERRAL_ESCALATED).count() == 1
    assert ReferralEvent.objects.filter(type="escalated").count() == 1

    # idempotent: again, by the command and by the task
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.referrals_escalate() == []
        call_command("referrals_escalate", stdout=open("/dev/null", "w"))  # noqa: SIM115
        from homeward.services.tasks import referral_escalate, referrals_escalate_all

        assert referrals_escalate_all.enqueue().return_value == 0
        assert referral_escalate.enqueue(str(referral.uuid)).return_value == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2

    sender_page = login(cast.case_manager_a).get(f"/cases/{child.case.uuid}/").content.decode()
    assert "Escalated" in sender_page
    inbox = login(ngo.worker).get("/services/referrals/received/")
    rows = list(inbox.context["page"].object_list)
    assert rows[0].pk == referral.pk and rows[1].pk == waiting.pk  # escalated first
    assert "Escalated" in inbox.content.decode()
    supervisor = login(cast.supervisor_a)
    notes = supervisor.get("/services/notifications/").content.decode()
    assert child.case_number in notes and "was not answered by" in notes
    assert supervisor.get(f"/services/referrals/{referral.uuid}/").status_code == 200
    supervisor.post(
        "/services/notifications/read/", {"source": f"referral-escalation:{referral.uuid}"}
    )
    assert Notification.objects.get(user=cast.supervisor_a).read_at is not None
    assert Notification.objects.get(user=ngo.lead).read_at is None
    # stored in the deployment's language, shown in the reader's
    supervisor.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    russian = supervisor.get("/services/notifications/").content.decode()
    assert "Психологическое консультирование" in russian


def test_a_referral_answered_in_time_is_never_escalated(cast, ngo, consented_child):
    referral = send(cast, ngo, consented_child())
    actions.referral_accept(actor=ngo.worker, referral=referral, version=1)
    overdue(referral)
    assert actions.referrals_escalate() == []
    assert not Notification.objects.exists()


def test_without_supervisors_the_receiving_members_are_told(cast, ngo, consented_child):
    from homeward.accounts.models import Membership

    Membership.objects.filter(user=ngo.lead).delete()
    referral = send(cast, ngo, consented_child())
    overdue(referral)
    actions.referrals_escalate()
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "sup_a",
        "ngo_worker",
    }


def test_the_inbox_page_runs_a_bounded_number_of_queries(cast, ngo, consented_child):
    worker = login(ngo.worker)
    send(cast, ngo, consented_child())
    worker.get("/services/referrals/received/")
    with CaptureQueriesContext(connection) as few:
        page = worker.get("/services/referrals/received/")
    assert len(page.context["page"].object_list) == 1
    for index in range(6):
        referral = send(cast, ngo, consented_child(given_name=f"Ребёнок{index}"))
        if index % 2:
            overdue(referral)
    actions.referrals_escalate()
    with CaptureQueriesContext(connection) as many:
        page = worker.get("/services/referrals/received/")
    assert len(page.context["page"].object_list) == 7
    assert len(many) == len(few)


def test_my_work_lists_referrals_waiting_for_an_answer(cast, ngo, consented_child):
    child = consented_child()
    referral = send(cast, ngo, child)
    mine = login(cast.case_manager_a).get("/cases/my-work/")
    assert [r.pk for r in mine.context["referrals"].sent] == [referral.pk]
    lead = login(ngo.lead).get("/cases/my-work/")
    assert [r.pk for r in lead.context["referrals"].to_answer] == [referral.pk]
    assert child.case_number in lead.content.decode()


def test_referring_from_the_case_page_step_by_step(cast, ngo, consented_child):
    child = consented_child()
    client = login(cast.case_manager_a)
    case_page = client.get(f"/cases/{child.case.uuid}/").content.decode()
    assert f"/services/cases/{child.case.uuid}/refer/" in case_page
    assert "Refer to a service" in case_page
    url = f"/services/cases/{child.case.uuid}/refer/"
    first = client.get(url)
    assert first.status_code == 200
    assert "Show providers" in first.content.decode()
    assert "Send the referral" not in first.content.decode()
    second = client.get(
        url,
        {"service_type": "psychological_counselling"},
        headers={"HX-Request": "true", "HX-Target": "referral-step"},
    )
    fragment = second.content.decode()
    assert "<html" not in fragment
    assert "Центр «Крепкая семья»" in fragment and "Send the referral" in fragment
    nothing = client.get(url, {"service_type": "legal_counselling"}).content.decode()
    assert "No active provider offers this service" in nothing
    no_reason = client.post(
        url, {"service_type": "psychological_counselling", "provider": ngo.provider.uuid}
    )
    assert no_reason.status_code == 422
    sent = client.post(
        url,
        {
            "service_type": "psychological_counselling",
            "provider": ngo.provider.uuid,
            "reason": "Подросток замкнулся после смерти бабушки.",
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert sent["Location"] == f"/services/referrals/{referral.uuid}/"
    detail = client.get(sent["Location"]).content.decode()
    assert "Withdraw" in detail and ">Accept<" not in detail
    receiver = login(ngo.worker).get(sent["Location"]).content.decode()
    assert ">Accept<" in receiver and "Decline" in receiver and "Withdraw" not in receiver
    assert "Подросток замкнулся" in receiver
    outbox = client.get("/services/referrals/sent/").content.decode()
    assert child.case_number in outbox
    case_page = client.get(f"/cases/{child.case.uuid}/").content.decode()
    assert "Центр «Крепкая семья»" in case_page and "Referral sent" in case_page


def test_a_worker_backend_is_asked_to_check_the_referral_at_its_deadline(
    cast, ngo, consented_child, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(cast, ngo, consented_child())
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "homeward.services.tasks.referral_escalate"
    assert queued.run_after == referral.due_at
    assert queued.args_kwargs["args"] == [str(referral.uuid)]
