"""Each indicator on small hand-computed data sets, with the edge cases of its definition."""

from __future__ import annotations

import datetime

import pytest

from homeward.care.models import PlacementReview
from homeward.geo.models import Location
from homeward.indicators.engine import compute, period_ending, prior_year
from homeward.indicators.facts import rebuild
from homeward.indicators.models import Population
from homeward.indicators.tests.helpers import gatekeeping_decision

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 12, 31)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def put(cast, put_placement):
    district = cast.agency_a.area

    def put(child, care_type, start, end=None, exit_destination="", gatekeeping=None, area=None):
        area = area or district
        return put_placement(
            child=child,
            care_type=care_type,
            provider_name="—",
            region=area.parent,
            district=area,
            start=day(start),
            end=day(end) if end else None,
            exit_destination=exit_destination,
            reason="test",
            gatekeeping=gatekeeping,
        )

    return put


@pytest.fixture
def kid(register_child):
    counter = iter(range(1000))

    def kid(born="2015-06-01", sex="M"):
        return register_child(
            given_name=f"Ребёнок{next(counter)}", date_of_birth=day(born), sex=sex
        )

    return kid


def test_periods():
    assert period_ending(D) == type(period_ending(D))(day("2025-01-01"), D)
    assert prior_year(D).start == day("2024-01-01")
    assert prior_year(D).end == day("2024-12-31")


def test_fc2_counts_children_in_care_on_d_aged_0_to_17(cast, kid, put):
    Population.objects.create(
        location=cast.agency_a.area.parent.parent, year=2025, children=200_000
    )
    put(kid(), "foster", "2025-01-01")  # open: counts
    put(kid(), "foster", "2025-01-01", "2025-12-31", "reunified")  # ends on D: not in care
    put(kid(), "institution", "2025-12-31")  # starts on D: counts
    put(kid(born="2007-12-31"), "foster", "2024-01-01")  # 18 on D: too old
    put(kid(born="2008-01-01"), "foster", "2024-01-01")  # 17 on D: counts
    result = compute("FC2", D)
    assert result.numerator == 3
    assert result.denominator == 200_000
    assert result.value == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("reference", "counted"),
    [
        ("2026-02-28", 1),  # born 2008-02-29: still 17; born 2008-02-28: 18 that day
        ("2026-03-01", 0),  # both 18, the others older
        ("2024-02-29", 3),  # a leap D: born 2006-03-01 is 17, 2006-02-28 is 18; 2008: 16
    ],
)
def test_stock_ages_around_29_february(kid, put, reference, counted):
    # Stocks filter ages on D by the date of birth; it must agree with the whole-year age.
    put(kid(born="2008-02-29"), "foster", "2020-01-01")
    put(kid(born="2008-02-28"), "foster", "2020-01-01")
    put(kid(born="2006-03-01"), "foster", "2020-01-01")
    put(kid(born="2006-02-28"), "foster", "2020-01-01")
    on = day(reference)
    by_age = {
        row.group["age_band"]: row.numerator for row in compute("FC2", on, by=["age_band"]).rows
    }
    assert compute("FC2", on).numerator == counted
    assert sum(by_age.values()) == counted


def test_fc1_entries_a_one_day_gap_continues_the_episode(cast, kid, put):
    one = kid()
    put(one, "institution", "2024-06-01", "2025-03-01", "other_formal_care")
    put(one, "foster", "2025-03-02")  # starts one day after: same episode, not an entry
    two = kid()
    put(two, "institution", "2024-06-01", "2025-03-01", "reunified")
    put(two, "foster", "2025-03-03")  # two days after: a new episode, an entry in P
    put(kid(), "kinship", "2025-01-01")  # entry on P's first day
    put(kid(), "kinship", "2024-12-31")  # the day before P
    turning_18 = kid(born="2007-03-01")
    put(turning_18, "foster", "2025-02-28")  # entered at 17, counts (age on the event)
    late = kid(born="2007-03-01")
    put(late, "foster", "2025-03-01")  # entered on the 18th birthday: too old
    assert compute("FC1", D).numerator == 3


def test_fc3_residential_exits_to_family(kid, put):
    to_family = kid()
    put(to_family, "institution", "2023-01-01", "2025-05-01", "other_formal_care")
    put(to_family, "foster", "2025-05-02")
    to_another_home = kid()
    put(to_another_home, "institution", "2023-01-01", "2025-05-01", "other_formal_care")
    put(to_another_home, "small_group_home", "2025-05-01")
    reunified = kid()
    put(reunified, "small_group_home", "2023-01-01", "2025-07-01", "reunified")
    aged_out = kid(born="2008-02-01")
    put(aged_out, "institution", "2020-01-01", "2025-10-01", "aged_out")
    result = compute("FC3", D)
    assert (result.numerator, result.denominator) == (2, 3)


def test_fc4_residential_to_family_ratio(kid, put):
    put(kid(), "institution", "2025-01-01")
    put(kid(), "institution", "2025-01-01")
    put(kid(), "small_group_home", "2025-01-01")
    put(kid(), "foster", "2025-01-01")
    put(kid(), "kinship", "2025-01-01")
    put(kid(), "independent_living", "2025-01-01")  # in neither
    result = compute("FC4", D)
    assert (result.numerator, result.denominator, result.value) == (3, 2, 1.5)


def test_fc8_gatekeeping_dated_on_or_before_the_start(cast, kid, put):
    def decision(child, on):
        return gatekeeping_decision(child, cast.agency_a, day(on))

    on_time = kid()
    put(on_time, "foster", "2025-04-01", gatekeeping=decision(on_time, "2025-04-01"))
    late = kid()
    put(late, "foster", "2025-04-01", gatekeeping=decision(late, "2025-04-05"))
    put(kid(), "foster", "2025-04-01")
    result = compute("FC8", D)
    assert (result.numerator, result.denominator) == (1, 3)
    ttp = compute("TTP", D)
    assert ttp.numerator == 2
    assert ttp.value == pytest.approx(-2.0)  # median of 0 and −4 days


def test_ttp_median(cast, kid, put):
    for waited in (2, 4, 10):
        child = kid()
        decision = gatekeeping_decision(child, cast.agency_a, day("2025-04-01"))
        put(
            child,
            "foster",
            (day("2025-04-01") + datetime.timedelta(days=waited)).isoformat(),
            gatekeeping=decision,
        )
    assert compute("TTP", D).value == 4


def test_fc9_reviews_within_the_interval(kid, put):
    reviewed = put(kid(), "foster", "2025-01-01")
    PlacementReview.objects.create(
        placement=reviewed, reviewed_on=day("2025-11-01"), next_review_on=day("2026-02-01")
    )
    overdue = put(kid(), "foster", "2025-01-01")
    PlacementReview.objects.create(
        placement=overdue, reviewed_on=day("2025-06-01"), next_review_on=day("2025-09-01")
    )
    put(kid(), "foster", "2025-11-15")  # recent start, no review needed yet
    # reviewed again after D: on D, the latest review is the one before
    on_time_then = put(kid(), "foster", "2025-01-01")
    late_then = put(kid(), "foster", "2025-01-01")
    for placement, reviews in (
        (on_time_then, ["2025-11-01", "2026-01-15"]),
        (late_then, ["2025-06-01", "2026-01-10"]),
    ):
        for when in reviews:
            PlacementReview.objects.create(
                placement=placement, reviewed_on=day(when), next_review_on=day("2026-06-01")
            )  # fmt: skip
    rebuild()  # the reviews were written around the actions
    result = compute("FC9", D)
    assert (result.numerator, result.denominator) == (3, 5)


def test_ru12_reunified_within_twelve_calendar_months(kid, put):
    exactly = kid()
    put(exactly, "institution", "2024-03-10", "2025-03-10", "reunified")  # on the anniversary
    a_day_late = kid()
    put(a_day_late, "institution", "2024-03-10", "2025-03-11", "reunified")
    via_foster = kid()
    put(via_foster, "institution", "2024-05-01", "2024-08-01", "other_formal_care")
    put(via_foster, "foster", "2024-08-01", "2025-01-15", "reunified")  # same episode
    twice = kid()
    put(twice, "foster", "2024-02-01", "2024-04-01", "other")  # first entry: not reunified
    put(twice, "foster", "2024-06-01", "2024-07-01", "reunified")  # second entry ignored
    result = compute("RU12", D)
    assert (result.numerator, result.denominator) == (2, 4)


def test_re12_reentry_on_day_365_counts(kid, put):
    back = kid()
    put(back, "foster", "2023-01-01", "2024-03-01", "reunified")
    put(back, "foster", "2025-03-01")  # twelve months after the exit: counts
    too_late = kid()
    put(too_late, "foster", "2023-01-01", "2024-03-01", "reunified")
    put(too_late, "foster", "2025-03-02")
    stayed_home = kid()
    put(stayed_home, "foster", "2023-01-01", "2024-05-01", "reunified")
    result = compute("RE12", D)
    assert (result.numerator, result.denominator) == (1, 3)


def test_stab_counts_placements_of_the_current_episode(kid, put):
    moved_twice = kid()
    put(moved_twice, "institution", "2023-01-01", "2024-01-01", "other_formal_care")
    put(moved_twice, "foster", "2024-01-01", "2025-01-01", "other_formal_care")
    put(moved_twice, "kinship", "2025-01-02")
    earlier_episode = kid()
    put(earlier_episode, "institution", "2020-01-01", "2021-01-01", "reunified")
    put(earlier_episode, "institution", "2021-06-01", "2022-01-01", "reunified")
    put(earlier_episode, "foster", "2024-01-01")
    result = compute("STAB", D)
    assert (result.numerator, result.denominator) == (1, 2)


def test_fc7_care_plan_coverage(cast, kid, put):
    from django.utils import timezone

    from homeward.plans.models import CarePlan

    covered = kid()
    put(covered, "foster", "2025-01-01")
    CarePlan.objects.create(
        case=covered.case,
        status="approved",
        starts_on=day("2025-01-01"),
        next_review_on=day("2026-02-01"),
        decided_at=timezone.make_aware(datetime.datetime(2025, 2, 1)),
    )
    overdue = kid()
    put(overdue, "foster", "2025-01-01")
    CarePlan.objects.create(
        case=overdue.case,
        status="approved",
        starts_on=day("2025-01-01"),
        next_review_on=day("2025-12-01"),
        decided_at=timezone.make_aware(datetime.datetime(2025, 2, 1)),
    )
    put(kid(), "foster", "2025-01-01")
    rebuild()  # the plans were written around the actions
    result = compute("FC7", D)
    assert (result.numerator, result.denominator) == (1, 3)


def test_disaggregation_by_sex_age_band_and_region(cast, kid, put):
    other = Location.objects.filter(level="district", parent__code="BY-HO").first()
    Population.objects.create(location=cast.agency_a.area.parent, year=2025, children=50_000)
    put(kid(sex="F", born="2024-01-01"), "foster", "2025-02-01")
    put(kid(sex="M", born="2012-01-01"), "institution", "2025-02-01")
    put(kid(sex="M", born="2012-01-01"), "institution", "2025-02-01", area=other)
    by_sex = compute("FC2", D, by=["sex", "age_band"])
    counts = {(r.group["sex"], r.group["age_band"]): r.numerator for r in by_sex.rows}
    assert counts == {("F", "0-2"): 1, ("M", "7-13"): 2}
    assert all(r.value is None for r in by_sex.rows)  # no population by sex and age
    by_region = compute("FC2", D, by=["region"])
    rates = {r.group["region"]: r.value for r in by_region.rows}
    assert rates["BY-VI"] == pytest.approx(4.0)
    assert rates["BY-HO"] is None
    vitebsk = compute("FC2", D, area=cast.agency_a.area.parent)
    assert vitebsk.numerator == 2
