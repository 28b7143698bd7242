"""The episode facts the indicators read: the rules per placement, and that every way of
changing placements or the child keeps them current."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from homeward.care import actions as care
from homeward.care.models import Placement
from homeward.indicators.facts import Person, Stay, child_facts, stale, within_a_year
from homeward.indicators.models import PlacementFact
from homeward.registry.actions import child_anonymise, child_update

pytestmark = pytest.mark.django_db

day = datetime.date.fromisoformat


def stay(pk, care_type, start, end=None, exit_destination=""):
    return Stay(
        pk, care_type, None, 1, 2, day(start), day(end) if end else None, exit_destination, None
    )


def test_episodes_entries_exits_and_neighbours():
    person = Person(day("2015-06-15"), "F", True)
    stays = [
        # episode 1: an institution, then foster care starting a day after it ended
        stay(1, "institution", "2020-01-01", "2020-06-01", "other_formal_care"),
        stay(2, "foster", "2020-06-02", "2021-01-10", "reunified"),
        # episode 2, two days after: one placement, reunified again
        stay(3, "kinship", "2021-01-12", "2021-03-01", "reunified"),
        # episode 3, still running; listed out of order on purpose
        stay(5, "institution", "2022-05-01"),
        stay(4, "small_group_home", "2022-02-01", "2022-05-01", "other_formal_care"),
    ]
    facts = {f.placement_id: f for f in child_facts(7, person, stays)}

    assert [facts[pk].is_entry for pk in (1, 2, 3, 4, 5)] == [True, False, True, True, False]
    assert [facts[pk].is_exit for pk in (1, 2, 3, 4, 5)] == [False, True, True, False, False]
    assert [facts[pk].episode_order for pk in (1, 2, 3, 4, 5)] == [1, 2, 1, 1, 2]
    assert facts[1].next_family and not facts[1].next_residential
    assert facts[4].next_residential and not facts[4].next_family
    assert not facts[2].next_family and not facts[2].next_residential
    # RU12: the episode begun on 2020-01-01 ended reunified on 2021-01-10, more than a year
    # later; the one begun on 2021-01-12 within it
    assert not facts[1].reunified_within_a_year and facts[3].reunified_within_a_year
    assert not facts[2].reunified_within_a_year  # not an entry
    # RE12: after the exit of 2021-01-10, the next entry came two days later; after that of
    # 2021-03-01, eleven months later
    assert facts[2].reentered_within_a_year and facts[3].reentered_within_a_year
    # neighbours for RU12 and RE12
    assert facts[1].previous_entry is None
    assert facts[2].previous_entry == day("2020-01-01")
    assert facts[3].previous_entry == day("2020-01-01")
    assert not facts[5].reentered_within_a_year  # still open
    assert facts[2].previous_reunified_exit is None
    assert facts[3].previous_reunified_exit == day("2021-01-10")
    # the child's, copied, and ages at both ends
    assert (facts[1].sex, facts[1].disability, facts[1].born) == ("F", True, day("2015-06-15"))
    assert (facts[2].age_at_start, facts[2].age_at_end) == (4, 5)
    assert facts[5].age_at_end is None


def test_within_a_year_is_the_same_calendar_day_twelve_months_on():
    assert within_a_year(day("2023-05-10"), day("2024-05-10"))
    assert not within_a_year(day("2023-05-10"), day("2024-05-11"))
    assert within_a_year(day("2024-02-29"), day("2025-02-28"))
    assert not within_a_year(day("2024-02-29"), day("2025-03-01"))
    assert not within_a_year(day("2024-02-29"), None)


def test_a_two_day_gap_starts_a_new_episode_and_a_one_day_gap_does_not():
    person = Person(day("2010-01-01"), "M", False)
    one_day = child_facts(
        1, person, [stay(1, "foster", "2020-01-01", "2020-02-01", "other_formal_care"),
                    stay(2, "foster", "2020-02-02")]
    )  # fmt: skip
    two_days = child_facts(
        1, person, [stay(1, "foster", "2020-01-01", "2020-02-01", "other_formal_care"),
                    stay(2, "foster", "2020-02-03")]
    )  # fmt: skip
    assert [f.is_entry for f in one_day] == [True, False]
    assert [f.is_entry for f in two_days] == [True, True]


@pytest.fixture
def child(register_child):
    return register_child(date_of_birth=day("2014-03-10"), sex="M")


def test_the_care_actions_keep_the_facts_current(cast, child):
    placement = care.placement_start(
        actor=cast.case_manager_a,
        child=child,
        care_type="foster",
        start=day("2024-01-10"),
        district=cast.agency_a.area,
        reason="test",
        provider_name="A family",
        emergency=True,
    )
    fact = PlacementFact.objects.get(placement=placement)
    assert fact.is_entry and not fact.is_exit and fact.end is None
    care.placement_review(
        actor=cast.case_manager_a, placement=placement, reviewed_on=day("2024-04-01"), notes="ok"
    )
    fact.refresh_from_db()
    assert fact.last_review_on == day("2024-04-01")
    care.placement_end(
        actor=cast.case_manager_a,
        placement=placement,
        end=day("2024-06-01"),
        exit_destination="reunified",
    )
    fact.refresh_from_db()
    assert fact.is_exit and fact.exit_destination == "reunified" and fact.age_at_end == 10
    assert stale([child.pk]) == []


def test_approving_and_reviewing_the_care_plan_keep_the_facts_current(cast, child, put_placement):
    from homeward.cases import actions as case_actions
    from homeward.plans import actions as plans

    placement = put_placement(
        child=child,
        care_type="foster",
        provider_name="—",
        region=cast.agency_a.area.parent,
        district=cast.agency_a.area,
        start=day("2024-05-01"),
        reason="test",
    )
    case = child.case
    for step in ["initial_assessment", "comprehensive_assessment", "case_planning"]:
        case = case_actions.case_move(
            actor=cast.case_manager_a, case=case, to=step, version=case.version
        )
    plan = plans.plan_create(actor=cast.case_manager_a, case=case, starts_on=day("2024-06-01"))
    plans.goal_add(
        actor=cast.case_manager_a,
        plan=plan,
        version=1,
        agency=cast.agency_a,
        domain="family",
        text="Return home",
        action_text="Family visits",
        responsible="Case manager",
        due_on=day("2030-01-01"),
    )
    plan.refresh_from_db()
    plan = plans.plan_submit(actor=cast.case_manager_a, plan=plan, version=plan.version)
    plan = plans.plan_decide(actor=cast.supervisor_a, plan=plan, approve=True, version=plan.version)
    fact = PlacementFact.objects.get(placement=placement)
    assert fact.plan_decided_on == timezone.localdate()
    assert fact.plan_review_due == plan.next_review_on
    plans.plan_review(
        actor=cast.case_manager_a,
        plan=plan,
        version=plan.version,
        reviewed_on=timezone.localdate(),
        outcome="partly",
        notes="",
        next_review_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    fact.refresh_from_db()
    assert fact.plan_review_due == timezone.localdate() + datetime.timedelta(days=30)
    assert stale([child.pk]) == []


def test_correcting_the_child_updates_the_facts_and_anonymising_keeps_no_birthday(
    cast, child, put_placement
):
    placement = put_placement(
        child=child,
        care_type="institution",
        institution=cast.institution,
        region=cast.agency_a.area.parent,
        district=cast.agency_a.area,
        start=day("2023-05-01"),
        reason="test",
    )
    child_update(
        actor=cast.case_manager_a,
        child=child,
        version=child.version,
        changes={"sex": "F", "has_disability": True, "disability_domains": ["mobility"]},
    )
    fact = PlacementFact.objects.get(placement=placement)
    assert (fact.sex, fact.disability) == ("F", True)
    child_anonymise(actor=None, child=child)
    fact.refresh_from_db()
    assert fact.born == day("2014-03-01")


def test_the_command_finds_and_mends_facts_written_around_the_actions(cast, child, put_placement):
    placement = put_placement(
        child=child,
        care_type="foster",
        provider_name="—",
        region=cast.agency_a.area.parent,
        district=cast.agency_a.area,
        start=day("2023-05-01"),
        reason="test",
    )
    Placement.objects.filter(pk=placement.pk).update(
        end=day("2024-01-01"), exit_destination="adopted"
    )
    with pytest.raises(CommandError, match="1 children"):
        call_command("indicators_facts", "--check")
    call_command("indicators_facts", verbosity=0)
    call_command("indicators_facts", "--check")
    assert PlacementFact.objects.get(placement=placement).is_exit


def test_moves_to_a_family_and_the_previous_move():
    person = Person(day("2012-01-01"), "F", False)
    facts = {
        f.placement_id: f
        for f in child_facts(
            1,
            person,
            [
                stay(1, "institution", "2020-01-01", "2020-06-01", "other_formal_care"),
                stay(2, "foster", "2020-06-01", "2021-01-01", "other_formal_care"),  # to family
                stay(3, "small_group_home", "2021-01-01", "2022-01-01", "reunified"),  # home
                stay(4, "institution", "2023-01-01", "2023-05-01", "other"),  # not a move
            ],
        )
    }
    assert [facts[pk].moved_to_family for pk in (1, 2, 3, 4)] == [True, False, True, False]
    assert facts[1].previous_move_end is None
    assert facts[3].previous_move_end == day("2020-06-01")
    assert facts[4].previous_move_end == day("2022-01-01")
