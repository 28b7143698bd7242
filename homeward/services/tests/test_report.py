"""The referral report on a small set computed by hand."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from homeward.services import actions
from homeward.services.models import Referral, ServiceType
from homeward.services.report import referral_report
from homeward.services.tests.helpers import send

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DUE = T0 + datetime.timedelta(hours=72)


def at(referral, **fields):
    values = {"sent_at": T0, "due_at": DUE}
    values.update({name: T0 + datetime.timedelta(hours=h) for name, h in fields.items()})
    Referral.objects.filter(pk=referral.pk).update(**values)


@pytest.fixture
def hand_set(cast, ngo, consented_child):
    """Psychology: answered after 2 h (completed), 10 h (declined), 100 h (late, in progress),
    one unanswered past its deadline, one withdrawn unanswered before it.
    Respite care: answered after 4 h and 8 h, the second withdrawn after acceptance."""
    worker = ngo.worker
    respite = ServiceType.objects.get(code="respite_care")
    children = [consented_child(given_name=f"Ребёнок{i}") for i in range(7)]
    r1, r2, r3, r4, r5 = (send(cast, ngo, child) for child in children[:5])
    r6 = send(cast, ngo, children[5], service_type=respite)
    r7 = send(cast, ngo, children[6], service_type=respite)
    r1 = actions.referral_accept(actor=worker, referral=r1, version=1)
    r1 = actions.referral_start(actor=worker, referral=r1, version=2)
    actions.referral_complete(actor=worker, referral=r1, outcome="Помогло.", version=3)
    actions.referral_decline(actor=worker, referral=r2, reason="Нет мест.", version=1)
    r3 = actions.referral_accept(actor=worker, referral=r3, version=1)
    actions.referral_start(actor=worker, referral=r3, version=2)
    actions.referral_withdraw(actor=cast.case_manager_a, referral=r5, reason="Переезд.", version=1)
    actions.referral_accept(actor=worker, referral=r6, version=1)
    r7 = actions.referral_accept(actor=worker, referral=r7, version=1)
    actions.referral_withdraw(actor=cast.case_manager_a, referral=r7, reason="Не нужно.", version=2)
    at(r1, answered_at=2)
    at(r2, answered_at=10)
    at(r3, answered_at=100)
    at(r4)
    at(r5, withdrawn_at=24)
    at(r6, answered_at=4)
    at(r7, answered_at=8, withdrawn_at=30)
    return ngo


def test_the_report_numbers_match_the_hand_count(hand_set):
    now = T0 + datetime.timedelta(days=10)
    with CaptureQueriesContext(connection) as queries:
        rows = referral_report(now=now)
    assert len(queries) <= 3  # grouped in the database, whatever the number of referrals
    by_type = {row.service_type.code: row for row in rows}
    psychology = by_type["psychological_counselling"]
    assert psychology.agency_code == "NGO-VI"
    assert psychology.received == 5
    assert psychology.answered == 3
    assert psychology.median_answer == datetime.timedelta(hours=10)
    assert (psychology.answered_on_time, psychology.judged) == (2, 4)
    assert psychology.on_time_share == 0.5
    assert (psychology.completed, psychology.accepted) == (1, 2)
    assert psychology.completion_rate == 0.5
    respite = by_type["respite_care"]
    assert respite.received == 2
    assert respite.median_hours == 6.0  # the middle two of an even count, averaged
    assert respite.on_time_share == 1.0
    assert respite.completion_rate == 0.0


def test_a_referral_still_within_its_deadline_is_not_judged_yet(hand_set):
    before_deadline = T0 + datetime.timedelta(hours=50)
    psychology = next(
        r for r in referral_report(now=before_deadline) if r.service_type.code.startswith("psy")
    )
    assert (psychology.answered_on_time, psychology.judged) == (2, 3)


def test_the_report_filters_by_period_agency_and_service(hand_set):
    assert referral_report(since=datetime.date(2026, 3, 3)) == []
    assert len(referral_report(until=datetime.date(2026, 3, 2))) == 2
    assert referral_report(agency_code="B-SEC") == []
    only = referral_report(service_type=ServiceType.objects.get(code="respite_care"))
    assert [row.received for row in only] == [2]


def test_the_report_page_and_api_for_those_who_see_reports(cast, hand_set):
    analyst = login(cast.analyst)
    page = analyst.get("/services/report/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "NGO-VI" in text and "10.0" in text
    assert "Иванов" not in text  # aggregates only
    bad = analyst.get("/services/report/", {"since": "2026-03-05", "until": "2026-03-01"})
    assert bad.status_code == 422
    assert "comes before its start" in bad.content.decode()
    assert login(cast.case_manager_a).get("/services/report/").status_code == 403
    from homeward.services.tests.test_api import Api

    api = Api(cast.analyst)
    rows = api.get("/reports/referrals", since="2026-03-01").json()
    psychology = next(r for r in rows if r["service_type"] == "psychological_counselling")
    assert psychology["received"] == 5
    assert psychology["median_hours_to_answer"] == 10.0
    assert psychology["answered_on_time_of"] == 4
    assert api.get("/reports/referrals", service_type="nope").status_code == 422
    assert timezone.now() > DUE  # the unanswered one is past its deadline today
