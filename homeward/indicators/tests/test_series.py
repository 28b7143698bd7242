"""A series read in one pass gives, day by day, what computing each day on its own gives."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from homeward.care.models import PlacementReview
from homeward.indicators import catalogue, engine, operational
from homeward.indicators.facts import rebuild
from homeward.indicators.models import Population
from homeward.indicators.tests.helpers import gatekeeping_decision
from homeward.plans.models import CarePlan

pytestmark = pytest.mark.django_db

CARE_TYPES = ["institution", "small_group_home", "kinship", "foster", "guardianship"]
EXITS = ["reunified", "adopted", "other"]


@pytest.fixture
def histories(cast, register_child, put_placement):
    """Forty children with one to three episodes of one to three placements each since 2022,
    in two districts, some in institution A, with reviews and gatekeeping decisions, drawn
    from a fixed seed."""
    rng = random.Random(20261206)
    districts = [cast.agency_a.area, cast.agency_b.area]
    for number in range(40):
        agency = cast.agency_a if number % 3 else cast.agency_b
        child = register_child(
            agency=agency,
            given_name=f"Дитя{number}",
            sex=rng.choice("FM"),
            date_of_birth=datetime.date(2008 + number % 17, 1 + number % 12, 1 + number % 27),
            has_disability=number % 5 == 0,
        )
        if number % 2:  # an approved care plan, due for review at one of the month ends or not
            CarePlan.objects.create(
                case=child.case,
                status="approved",
                starts_on=datetime.date(2024, 1, 1),
                next_review_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=20 * number),
                decided_at=timezone.make_aware(datetime.datetime(2024, 1, 1 + number % 28)),
            )
        start = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        district = districts[number % 3 == 0]
        for _episode in range(rng.randint(1, 3)):
            for order in range(rng.randint(1, 3)):
                care_type = rng.choice(CARE_TYPES)
                end = start + datetime.timedelta(days=rng.randrange(20, 400))
                last = order == 2 or rng.random() < 0.4
                still_open = end > datetime.date(2026, 6, 1)
                decision = None
                if rng.random() < 0.6:
                    decision = gatekeeping_decision(
                        child,
                        agency,
                        start - datetime.timedelta(days=rng.randrange(0, 30)),
                        care_type,
                    )
                placement = put_placement(
                    child=child,
                    care_type=care_type,
                    provider_name="—",
                    institution=cast.institution if care_type == "institution" else None,
                    region=district.parent,
                    district=district,
                    start=start,
                    end=None if still_open else end,
                    exit_destination=""
                    if still_open
                    else (rng.choice(EXITS) if last else "other_formal_care"),
                    reason="test",
                    gatekeeping=decision,
                )
                for months in range(3, 40, 3):
                    reviewed = start + datetime.timedelta(days=30 * months + rng.randrange(40))
                    if reviewed >= (end if not still_open else datetime.date(2026, 12, 1)):
                        break
                    PlacementReview.objects.create(
                        placement=placement, reviewed_on=reviewed, next_review_on=reviewed
                    )
                if still_open:
                    break
                start = end + datetime.timedelta(days=rng.choice([0, 1]) if not last else 200)
                if last:
                    break
    for area in [cast.agency_a.area, cast.agency_a.area.parent, cast.agency_a.area.parent.parent]:
        for year in (2024, 2025, 2026):
            Population.objects.create(location=area, year=year, children=1000 + year)
    rebuild()  # the reviews and plans were written around the actions


@pytest.mark.parametrize("indicator", sorted(engine.INDICATORS))
def test_the_series_equals_each_day_computed_alone(cast, histories, indicator):
    days = catalogue.month_ends(datetime.date(2026, 3, 31), 14)
    district = cast.agency_a.area
    for area, institution in [
        (None, None),
        (district, None),
        (district.parent.parent, None),
        (None, cast.institution),
    ]:
        together = engine.series(indicator, days, area, institution=institution)
        alone = [engine.compute(indicator, day, area, institution=institution) for day in days]
        assert [(r.day, r.numerator, r.denominator, r.value) for r in together] == [
            (r.day, r.numerator, r.denominator, r.value) for r in alone
        ], (indicator, area, institution)
    national = engine.series(indicator, days)
    assert any(r.numerator for r in national), "the data give the indicator something to count"


@pytest.mark.parametrize("indicator", ["RES", "REINT"])
def test_a_count_of_facts_as_a_series_equals_each_day_computed_alone(cast, histories, indicator):
    days = catalogue.month_ends(datetime.date(2026, 3, 31), 14)
    district = cast.agency_a.area
    for area, institution in [(None, None), (district, None), (None, cast.institution)]:
        together = operational.series(indicator, days, area, institution=institution)
        alone = [operational.compute(indicator, day, area, institution=institution) for day in days]
        assert [(r.day, r.numerator, r.value) for r in together] == [
            (r.day, r.numerator, r.value) for r in alone
        ], (indicator, area, institution)
        assert catalogue.series(indicator, days, area, institution=institution) == together
    assert any(r.numerator for r in operational.series(indicator, days))
