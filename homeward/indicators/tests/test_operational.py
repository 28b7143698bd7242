"""The operational indicators on small hand-computed data sets (docs/indicators.md)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from homeward.assessments.loader import assessments_load
from homeward.assessments.models import Assessment, AssessmentTemplate
from homeward.cases.models import Case
from homeward.indicators import catalogue
from homeward.indicators.operational import compute
from homeward.services.models import Referral
from homeward.services.tests.helpers import ngo, send  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 12, 31)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def put(cast, put_placement):
    district = cast.agency_a.area

    def put(child, care_type, start, end=None, exit_destination="", institution=None, area=None):
        area = area or district
        return put_placement(
            child=child,
            care_type=care_type,
            provider_name="—",
            institution=institution,
            region=area.parent,
            district=area,
            start=day(start),
            end=day(end) if end else None,
            exit_destination=exit_destination,
            reason="test",
        )

    return put


@pytest.fixture
def kid(register_child):
    counter = iter(range(1000))

    def kid(born="2015-06-01", sex="M", **fields):
        return register_child(
            given_name=f"Ребёнок{next(counter)}", date_of_birth=day(born), sex=sex, **fields
        )

    return kid


def test_children_in_residential_care_on_a_date_by_institution(cast, put, kid):
    home = cast.institution
    put(kid(), "institution", "2025-01-01", institution=home)  # counted
    put(
        kid(), "institution", "2024-06-01", "2025-12-31", "reunified", institution=home
    )  # ended on D
    put(kid(), "small_group_home", "2025-12-31")  # starts on D: counted, no institution
    put(kid(), "foster", "2025-01-01")  # family-based
    put(kid(born="2007-12-31"), "institution", "2025-01-01", institution=home)  # 18 on D
    put(kid(born="2008-01-01"), "institution", "2025-01-01", institution=home)  # 17 on D
    moved = kid()  # moved from the institution to a small group home: counted there
    put(moved, "institution", "2025-02-01", "2025-03-01", "other_formal_care", institution=home)
    put(moved, "small_group_home", "2025-03-01")
    result = compute("RES", D, by=["institution"])
    assert result.numerator == 4
    assert {tuple(r.group.values()): r.numerator for r in result.rows} == {
        ("INST-A",): 2,
        (None,): 2,
    }
    assert compute("RES", D, institution=home).numerator == 2
    other_area = cast.agency_b.area
    assert compute("RES", D, area=other_area).numerator == 0
    assert compute("RES", D, area=cast.agency_a.area.parent).numerator == 4


def test_change_against_a_baseline_date(cast, put, kid):
    home = cast.institution
    b = day("2024-12-31")
    for _ in range(20):  # 20 children on the baseline date, 13 left home by D, 0 new
        put(kid(), "institution", "2024-01-01", "2025-06-01", "reunified", institution=home)
    for _ in range(7):  # in care on both dates
        put(kid(), "institution", "2024-01-01", institution=home)
    put(kid(), "institution", "2025-02-01", institution=home)  # entered after B
    result = compute("RESCHG", D, by=["institution"], baseline=b)
    assert (result.numerator, result.denominator) == (8, 27)
    assert result.value == pytest.approx((8 - 27) / 27)
    assert result.extra == {"baseline": b, "change": -19}
    assert result.rows[0].extra == {"change": -19}
    # by age band the two days are counted apart (a child's band differs between them)
    by_age = compute("RESCHG", D, by=["age_band"], baseline=b)
    assert (by_age.numerator, by_age.denominator) == (8, 27)
    assert sum(r.numerator for r in by_age.rows) == 8
    assert sum(r.denominator or 0 for r in by_age.rows) == 27
    # the default baseline is the same day a year before
    assert compute("RESCHG", D).extra["baseline"] == b
    # nobody on the baseline: no change can be worked out
    nothing = compute("RESCHG", day("2025-03-01"), baseline=day("2023-12-31"))
    assert (nothing.numerator, nothing.denominator, nothing.value) == (28, 0, None)


def test_children_who_moved_from_residential_care_to_a_family_or_home(put, kid):
    a = kid()  # to foster care after a gap of one day: the same episode
    put(a, "institution", "2025-01-01", "2025-03-01", "other_formal_care")
    put(a, "foster", "2025-03-02")
    b = kid()  # home
    put(b, "institution", "2024-01-01", "2025-05-01", "reunified")
    c = kid()  # to another institution
    put(c, "institution", "2024-01-01", "2025-06-01", "other_formal_care")
    put(c, "small_group_home", "2025-06-01")
    d = kid()  # a gap of two days: a new episode, not a move
    put(d, "institution", "2024-01-01", "2025-06-01", "other")
    put(d, "foster", "2025-06-03")
    e = kid()  # moved twice in the year: one child
    put(e, "institution", "2025-01-01", "2025-02-01", "other_formal_care")
    put(e, "kinship", "2025-02-01", "2025-04-01", "other_formal_care")
    put(e, "institution", "2025-04-01", "2025-08-01", "other_formal_care")
    put(e, "foster", "2025-08-01")
    f = kid()  # adopted, but in 2024
    put(f, "institution", "2023-01-01", "2024-12-31", "adopted")
    assert compute("MOVED", D).numerator == 3
    assert compute("MOVED", D).value == 3.0


def test_reintegrations_and_breakdowns(put, kid):
    a = kid()
    put(a, "foster", "2025-01-01", "2025-04-01", "other_formal_care")  # breakdown
    put(a, "institution", "2025-04-01", "2025-12-31", "reunified")  # reintegration on D
    b = kid()
    put(b, "foster", "2024-01-01", "2025-05-01", "reunified")  # reintegration, planned end
    c = kid()
    put(c, "kinship", "2020-01-01", "2025-02-01", "aged_out")  # planned end
    put(c, "independent_living", "2025-02-01")
    d = kid()
    put(d, "foster", "2025-01-01", "2025-03-01", "other")  # no placement after it
    e = kid()  # reunified, back in care the next day: not the end of the episode
    put(e, "institution", "2025-01-01", "2025-06-01", "reunified")
    put(e, "institution", "2025-06-02")
    f = kid()
    put(f, "foster", "2023-01-01", "2024-12-31", "reunified")  # before P
    assert compute("REINT", D).numerator == 2
    breakdowns = compute("BREAK", D)
    assert (breakdowns.numerator, breakdowns.denominator) == (1, 4)
    assert breakdowns.value == pytest.approx(0.25)
    rows = compute("BREAK", D, by=["care_type"]).rows
    by_type = {r.group["care_type"]: (r.numerator, r.denominator) for r in rows}
    assert by_type == {"foster": (1, 3), "kinship": (0, 1)}


@override_settings(FAMILY_ASSESSMENT_TARGETS={"BY-VI": 4, "BY-HO": 2})
def test_families_assessed_against_the_target(cast, register_child):
    assessments_load()
    template = AssessmentTemplate.objects.filter(code="family_needs").first()
    other = AssessmentTemplate.objects.exclude(code="family_needs").first()

    def assess(case, status, submitted, tpl=template):
        return Assessment.objects.create(
            case=case,
            template=tpl,
            status=status,
            submitted_at=at(submitted) if submitted else None,
        )

    c1 = register_child(given_name="Один").case
    c2 = register_child(given_name="Два").case
    c3 = register_child(given_name="Три").case
    c4 = register_child(given_name="Четыре", agency=cast.agency_b).case
    assess(c1, "approved", "2025-03-01T10:00")
    assess(c1, "submitted", "2025-09-01T10:00")  # the same family again: once
    assess(c2, "submitted", "2025-12-31T23:00")  # late on D: in P
    assess(c3, "draft", None)
    assess(c3, "approved", "2024-12-31T10:00")  # before P
    assess(c3, "approved", "2025-05-01T10:00", tpl=other)  # another form
    assess(c4, "approved", "2025-05-01T10:00")
    everywhere = compute("ASSESS", D)
    assert (everywhere.numerator, everywhere.denominator) == (3, 6)
    region = compute("ASSESS", D, area=cast.agency_a.area.parent, by=["district", "region"])
    assert (region.numerator, region.denominator, region.value) == (2, 4, 0.5)
    rows = compute("ASSESS", D, by=["region"]).rows
    assert {r.group["region"]: (r.numerator, r.denominator) for r in rows} == {
        "BY-VI": (2, 4),
        "BY-HO": (1, 2),
    }


def test_referral_response_times(cast, register_child, ngo):  # noqa: F811
    from homeward.services.tests.helpers import share_consent

    def referral(sent, due, answered=None, withdrawn=None):
        child = register_child(given_name=f"Р{Referral.objects.count()}")
        share_consent(cast, child, agency=ngo.agency)
        made = send(cast, ngo, child)
        Referral.objects.filter(pk=made.pk).update(
            sent_at=at(sent),
            due_at=at(due),
            answered_at=at(answered) if answered else None,
            withdrawn_at=at(withdrawn) if withdrawn else None,
        )

    referral("2025-03-01T09:00", "2025-03-04T09:00", "2025-03-01T19:00")  # 10 h, on time
    referral("2025-04-01T09:00", "2025-04-04T09:00", "2025-04-03T09:00")  # 48 h, on time
    referral("2025-05-01T09:00", "2025-05-04T09:00", "2025-05-06T09:00")  # 120 h, late
    referral("2025-06-01T09:00", "2025-06-04T09:00", "2025-06-01T13:00")  # 4 h, on time
    referral("2025-07-01T09:00", "2025-07-04T09:00")  # unanswered, overdue: late
    referral("2025-12-30T09:00", "2026-01-02T09:00")  # not due yet: not counted
    referral("2025-08-01T09:00", "2025-08-04T09:00", withdrawn="2025-08-02T09:00")  # withdrawn
    referral("2024-12-01T09:00", "2024-12-04T09:00", "2024-12-02T09:00")  # before P
    hours = compute("REFT", D)
    assert hours.numerator == 4
    assert hours.value == pytest.approx((10 + 48) / 2)  # median of 4, 10, 48, 120
    on_time = compute("REFOT", D)
    assert (on_time.numerator, on_time.denominator) == (3, 5)
    by_service = compute("REFT", D, by=["service_type"]).rows
    assert [(r.group, r.numerator) for r in by_service] == [
        ({"service_type": "psychological_counselling"}, 4)
    ]
    assert by_service[0].value == pytest.approx(29)


def test_caseload_per_case_manager(cast, register_child):
    for index in range(3):
        register_child(given_name=f"А{index}")  # case manager A: 3 open cases
    closed = register_child(given_name="Закрыт").case  # closed in June: open on 31 May only
    later = register_child(given_name="Позже").case  # opened after D
    register_child(given_name="Б", agency=cast.agency_b)  # case manager B: 1
    Case.objects.update(opened_on=day("2025-01-01"))
    Case.objects.filter(pk=closed.pk).update(closed_on=day("2025-06-01"))
    Case.objects.filter(pk=later.pk).update(opened_on=day("2026-02-01"))
    result = compute("CASELOAD", D)
    assert (result.numerator, result.denominator) == (4, 2)
    assert result.value == pytest.approx(2)  # median of 1 and 3
    assert result.extra == {"max": 3}
    rows = compute("CASELOAD", D, by=["agency"]).rows
    by_agency = {r.group["agency"]: (r.numerator, r.value, r.extra["max"]) for r in rows}
    assert by_agency == {"A-SEC": (3, 3, 3), "B-SEC": (1, 1, 1)}
    by_region = {r.group["region"]: r.numerator for r in compute("CASELOAD", D, by=["region"]).rows}
    assert by_region == {cast.agency_a.area.parent.code: 3, cast.agency_b.area.parent.code: 1}
    in_district = compute("CASELOAD", D, by=["district"]).rows
    assert {r.group["district"]: r.value for r in in_district} == {
        cast.agency_a.area.code: 3,
        cast.agency_b.area.code: 1,
    }
    may = compute("CASELOAD", day("2025-05-31"))
    assert (may.numerator, may.value, may.extra["max"]) == (5, 2.5, 4)
    assert compute("CASELOAD", D, area=cast.agency_b.area).numerator == 1


def test_every_indicator_of_the_catalogue_computes(cast):
    for ident in catalogue.CATALOGUE:
        result = catalogue.compute(ident, D, by=catalogue.dimensions(ident)[:1])
        assert result.numerator == 0, ident
    assert catalogue.month_ends(day("2025-12-31"), 3) == [
        day("2025-10-31"),
        day("2025-11-30"),
        day("2025-12-31"),
    ]
    assert catalogue.month_ends(day("2025-03-15"), 2) == [day("2025-01-31"), day("2025-02-28")]
    assert catalogue.month_ends_between(day("2024-12-15"), day("2025-02-28")) == [
        day("2024-12-31"),
        day("2025-01-31"),
        day("2025-02-28"),
    ]
