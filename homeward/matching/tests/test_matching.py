"""Matching with the database: who waits, ranking with reasons, batch proposals, and the
decisions that alone place a child."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import login
from homeward.care import actions as care_actions
from homeward.care.models import Placement
from homeward.carers import actions as carer_actions
from homeward.carers.models import CarerPlacementLink
from homeward.carers.selectors import carer_get
from homeward.carers.tests.helpers import approved_household, locality
from homeward.cases.models import Task
from homeward.geo.models import Location
from homeward.matching import actions, selectors
from homeward.matching.engine import batch_plan, rank_for_child
from homeward.matching.models import MatchingWeights, MatchStatus, ProposedMatch
from homeward.registry.actions import person_create, relationship_add

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
GATEKEEPING = {
    "outcome": "place",
    "care_type": "foster",
    "necessity": "Поддержка семьи не устранила угрозу.",
    "suitability": "Семейная форма, рядом со школой.",
    "alternatives": "Родственники рассмотрены.",
    "assessment_reference": "Комплексная оценка",
    "decision_maker": "Комиссия",
    "legal_basis": "Кодекс о браке и семье",
}


def decide(cast, child, **overrides):
    return care_actions.gatekeeping_record(
        actor=cast.case_manager_a,
        child=child,
        agency=cast.agency_a,
        data={**GATEKEEPING, "decided_on": TODAY() - datetime.timedelta(days=5), **overrides},
    )


def waiting_child(cast, register_child, **fields):
    child = register_child(**fields)
    decide(cast, child)
    return child


def region_a():
    return Location.objects.get(code="BY-VI")


def test_who_waits_for_a_family(cast, register_child, foster_worker):
    waiting = waiting_child(cast, register_child, given_name="Ждёт")
    register_child(given_name="Без решения")
    support = register_child(given_name="Поддержка")
    decide(cast, support, outcome="family_support", care_type="")
    placed = waiting_child(cast, register_child, given_name="Устроен")
    care_actions.placement_start(
        actor=cast.case_manager_a,
        child=placed,
        care_type="kinship",
        start=TODAY(),
        district=cast.agency_a.area,
        reason="Бабушка",
        provider_name="Бабушка",
    )
    found = list(selectors.waiting_children(foster_worker, region_a()))
    assert found == [waiting]
    assert list(selectors.waiting_children(cast.case_manager_b, region_a())) == []


def test_siblings_wait_as_one_unit(cast, register_child, foster_worker):
    elder = waiting_child(cast, register_child, given_name="Старший")
    younger = waiting_child(
        cast, register_child, given_name="Младший", date_of_birth=datetime.date(2018, 1, 1)
    )
    alone = waiting_child(cast, register_child, given_name="Один", family_name="Сидоров")
    relationship_add(actor=cast.case_manager_a, child=younger, kind="sibling", related_child=elder)
    units = selectors.units_of(list(selectors.waiting_children(foster_worker, region_a())))
    assert sorted(len(u) for u in units) == [1, 2]
    pair = next(u for u in units if len(u) == 2)
    assert set(pair) == {elder, younger}
    assert selectors.sibling_unit(foster_worker, elder) == [elder, younger]
    assert selectors.sibling_unit(foster_worker, alone) == [alone]


def test_ranking_puts_relatives_first_and_explains(cast, register_child, foster_worker, course):
    child = waiting_child(cast, register_child, school_location=locality())
    stranger = approved_household(foster_worker, cast.agency_a, course, name="Семья Орловых")
    grandmother = person_create(
        actor=cast.case_manager_a,
        agency=cast.agency_a,
        data={"family_name": "Иванова", "given_name": "Мария", "sex": "F"},
    )
    relationship_add(actor=cast.case_manager_a, child=child, kind="grandparent", person=grandmother)
    relatives = approved_household(
        foster_worker,
        cast.agency_a,
        course,
        name="Семья Ивановых",
        location=locality("BY-HO"),  # far away, in another region
    )
    carer_actions.member_add(
        actor=foster_worker,
        household=relatives,
        data={"family_name": "Иванова", "given_name": "Мария", "sex": "F", "role": "partner"},
    )
    relatives.members.filter(role="partner").update(person=grandmother)
    too_young = approved_household(
        foster_worker, cast.agency_a, course, name="Семья Малых", terms={"age_max": 3}
    )
    ranking = rank_for_child(cast.case_manager_a, child)
    names = [r.household.name for r in ranking.results]
    assert names == ["Семья Ивановых", "Семья Орловых"]
    assert too_young.name not in names
    first = [reason.text for reason in ranking.results[0].reasons]
    assert first[0] == "relatives of the child"
    second = [reason.text for reason in ranking.results[1].reasons]
    assert any(text.endswith("km from school") for text in second)
    assert ranking.results[1].household == stranger
    assert ranking.considered == 2


def test_batch_proposal_keeps_siblings_together_and_stores_the_weights(
    cast, register_child, foster_worker, course
):
    elder = waiting_child(cast, register_child, given_name="Старший")
    younger = waiting_child(
        cast, register_child, given_name="Младший", date_of_birth=datetime.date(2018, 1, 1)
    )
    relationship_add(actor=cast.case_manager_a, child=younger, kind="sibling", related_child=elder)
    single = waiting_child(cast, register_child, given_name="Один", family_name="Сидоров")
    approved_household(foster_worker, cast.agency_a, course, name="Семья А")
    approved_household(
        foster_worker,
        cast.agency_a,
        course,
        name="Семья Б",
        terms={"max_children": 1, "sibling_groups": False},
    )
    actions.weights_set(
        actor=foster_worker, region=region_a(), weights={"home": 40, "school": 0}, version=None
    )
    proposal = actions.proposal_for_region(actor=foster_worker, region=region_a())
    assert proposal.weights["home"] == 40.0
    assert proposal.weights["school"] == 0.0
    assert proposal.summary["children"] == 3
    assert proposal.summary["matched_children"] == 3
    matches = list(proposal.matches.prefetch_related("children"))
    assert len(matches) == 2
    by_size = {len(m.children.all()): m for m in matches}
    assert set(by_size[2].children.all()) == {elder, younger}
    assert by_size[2].household.name == "Семья А"
    assert list(by_size[1].children.all()) == [single]
    assert all(m.status == MatchStatus.PROPOSED for m in matches)
    assert all(m.reasons for m in matches)
    # nothing is placed by the proposal itself
    assert not Placement.objects.filter(child__in=[elder, younger, single]).exists()


def test_accepting_a_match_places_the_children_and_takes_a_place(
    cast, register_child, foster_worker, course
):
    child = waiting_child(cast, register_child)
    household = approved_household(foster_worker, cast.agency_a, course)
    match = actions.match_for_child(actor=foster_worker, children=[child], household=household)
    placements = actions.match_accept(actor=cast.case_manager_a, match=match, reason="Подбор")
    assert len(placements) == 1
    placement = placements[0]
    assert placement.care_type == "foster"
    assert placement.provider_name == household.name
    assert CarerPlacementLink.objects.get(placement=placement).household == household
    assert carer_get(foster_worker, household.uuid).vacancy == 1
    assert Task.objects.filter(source=f"placement-review:{placement.uuid}").exists()
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
    with pytest.raises(ValidationError, match="already been decided"):
        actions.match_accept(actor=cast.case_manager_a, match=match)
    assert selectors.waiting_children(foster_worker, region_a()).count() == 0


def test_a_child_in_an_institution_moves_to_the_carers(cast, register_child, foster_worker, course):
    child = register_child()
    decide(cast, child, care_type="institution", decided_on=TODAY() - datetime.timedelta(days=60))
    stay = care_actions.placement_start(
        actor=cast.case_manager_a,
        child=child,
        care_type="institution",
        institution=cast.institution,
        start=TODAY() - datetime.timedelta(days=50),
        district=cast.agency_a.area,
        reason="Оставлен",
    )
    decide(cast, child)
    household = approved_household(foster_worker, cast.agency_a, course)
    match = actions.match_for_child(actor=foster_worker, children=[child], household=household)
    actions.match_accept(actor=cast.case_manager_a, match=match)
    stay.refresh_from_db()
    assert stay.end == TODAY()
    assert stay.exit_destination == "other_formal_care"


def test_accepting_a_carer_whose_approval_lapsed_is_refused(
    cast, register_child, foster_worker, course
):
    child = waiting_child(cast, register_child)
    household = approved_household(foster_worker, cast.agency_a, course)
    match = actions.match_for_child(actor=foster_worker, children=[child], household=household)
    lapsed = TODAY() - datetime.timedelta(days=1)
    type(household).objects.filter(pk=household.pk).update(approval_expires_on=lapsed)
    with pytest.raises(ValidationError) as caught:
        actions.match_accept(actor=cast.case_manager_a, match=match)
    message = caught.value.messages[0]
    assert message.startswith(f"The approval of {household.name} lapsed on ")
    assert "annual review" in message
    assert not Placement.objects.filter(child=child).exists()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_accepting_is_refused_when_the_room_is_gone(cast, register_child, foster_worker, course):
    first = waiting_child(cast, register_child, given_name="Первый")
    second = waiting_child(cast, register_child, given_name="Второй")
    household = approved_household(foster_worker, cast.agency_a, course, terms={"max_children": 2})
    household.refresh_from_db()
    carer_actions.terms_set(
        actor=foster_worker,
        household=household,
        decided_on=TODAY(),
        terms={
            "panel": "Комиссия",
            "max_children": 1,
            "age_min": 0,
            "age_max": 17,
            "sexes": ["F", "M"],
        },
        version=household.version,
    )
    one = actions.match_for_child(actor=foster_worker, children=[first], household=household)
    other = actions.match_for_child(actor=foster_worker, children=[second], household=household)
    actions.match_accept(actor=cast.case_manager_a, match=one)
    with pytest.raises(ValidationError) as caught:
        actions.match_accept(actor=cast.case_manager_a, match=other)
    assert "0 places free for 1 children" in caught.value.messages


def test_reject_and_change_one_match_at_a_time(cast, register_child, foster_worker, course):
    child = waiting_child(cast, register_child)
    first = approved_household(foster_worker, cast.agency_a, course, name="Семья А")
    second = approved_household(foster_worker, cast.agency_a, course, name="Семья Б")
    proposal = actions.proposal_for_region(actor=foster_worker, region=region_a())
    match = proposal.matches.get()
    other = second if match.household == first else first
    changed = actions.match_change(actor=foster_worker, match=match, household=other)
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert changed.replaces == match
    assert changed.household == other
    assert list(changed.children.all()) == [child]
    rejected = actions.match_reject(actor=foster_worker, match=changed, note="Не подходит")
    assert rejected.status == MatchStatus.REJECTED
    assert not Placement.objects.filter(child=child).exists()


def test_weights_are_checked(cast, foster_worker):
    with pytest.raises(ValidationError) as caught:
        actions.weights_set(
            actor=foster_worker,
            region=region_a(),
            weights={"home": -1, "colour": 3, "school": "far"},
            version=None,
        )
    errors = caught.value.message_dict
    assert errors["home"] == ["Enter a number from 0 to 100."]
    assert errors["school"] == ["Enter a number from 0 to 100."]
    assert errors["colour"] == ["This field cannot be set here."]
    zero = dict.fromkeys(selectors.CRITERIA, 0)
    with pytest.raises(ValidationError, match="At least one"):
        actions.weights_set(actor=foster_worker, region=region_a(), weights=zero, version=None)
    assert not MatchingWeights.objects.exists()


def test_the_batch_plan_for_an_empty_region(cast, foster_worker):
    plan = batch_plan(foster_worker, region_a())
    assert plan.units == []
    assert plan.solution.status == "empty"


def test_matching_pages(cast, register_child, foster_worker, course):
    child = waiting_child(cast, register_child)
    household = approved_household(foster_worker, cast.agency_a, course)
    client = login(foster_worker)
    page = client.get(f"/matching/children/{child.uuid}/")
    assert page.status_code == 200
    assert household.name in page.content.decode()
    assert "places free" in page.content.decode()
    chosen = client.post(f"/matching/children/{child.uuid}/", {"household": str(household.uuid)})
    assert chosen.status_code == 302
    match = ProposedMatch.objects.get()
    assert chosen["Location"] == f"/matching/matches/{match.uuid}/accept/"
    assert client.get(chosen["Location"]).status_code == 200
    bad = client.post(chosen["Location"], {"start": "not a date"})
    assert bad.status_code == 422
    accepted = client.post(chosen["Location"], {"start": TODAY().isoformat(), "reason": "Подбор"})
    assert accepted.status_code == 302
    assert Placement.objects.filter(child=child, care_type="foster").exists()
    assert client.get("/matching/").status_code == 200
    assert client.get(f"/matching/proposals/{match.proposal.uuid}/").status_code == 200
    assert client.get("/matching/weights/").status_code == 200
    assert client.get("/matching/weights/BY-VI/").status_code == 200
    assert client.get("/matching/weights/BY-HO/").status_code == 404
    assert login(cast.analyst).get(f"/matching/children/{child.uuid}/").status_code == 403
    # the case manager of the child sees the link on the profile and the ranking
    profile = login(cast.case_manager_a).get(f"/children/{child.uuid}/").content.decode()
    assert f"/matching/children/{child.uuid}/" in profile


def test_batch_pages(cast, register_child, foster_worker, course):
    waiting_child(cast, register_child)
    approved_household(foster_worker, cast.agency_a, course)
    client = login(foster_worker)
    made = client.post("/matching/", {"region": "BY-VI"})
    assert made.status_code == 302
    detail = client.get(made["Location"])
    assert detail.status_code == 200
    match = ProposedMatch.objects.get()
    assert client.get(f"/matching/matches/{match.uuid}/change/").status_code == 200
    rejected = client.post(f"/matching/matches/{match.uuid}/reject/", {"note": "Нет"})
    assert rejected.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert client.post("/matching/", {"region": "BY-HO"}).status_code == 422
