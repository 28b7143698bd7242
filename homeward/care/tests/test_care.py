"""Gatekeeping before placement, placements and their warnings, episodes, reviews."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import login
from homeward.care import actions
from homeward.care.episodes import episodes
from homeward.care.models import Placement, PlacementWarning
from homeward.cases.models import Task
from homeward.geo.models import Location
from homeward.institutions.models import Residence
from homeward.registry.actions import relationship_add

pytestmark = pytest.mark.django_db

GATEKEEPING = {
    "decided_on": datetime.date(2025, 1, 10),
    "outcome": "place",
    "care_type": "foster",
    "necessity": "Семья получала поддержку 6 месяцев; риск остаётся высоким.",
    "suitability": "Приёмная семья в том же районе, рядом со школой.",
    "alternatives": "Родственники отказались.",
    "assessment_reference": "Комплексная оценка от 05.01.2025",
    "decision_maker": "Комиссия по делам несовершеннолетних",
    "legal_basis": "Кодекс о браке и семье, ст. 85",
}


def district(cast):
    return cast.agency_a.area


def decide(cast, child, **overrides):
    return actions.gatekeeping_record(
        actor=cast.case_manager_a,
        child=child,
        agency=cast.agency_a,
        data={**GATEKEEPING, **overrides},
    )


def place(cast, child, **overrides):
    data = {
        "care_type": "foster",
        "start": datetime.date(2025, 2, 1),
        "district": district(cast),
        "reason": "Угроза жизни и здоровью",
        "provider_name": "Семья Петровых",
    }
    data.update(overrides)
    return actions.placement_start(actor=cast.case_manager_a, child=child, **data)


def test_no_placement_without_a_gatekeeping_decision_unless_emergency(cast, register_child):
    child = register_child()
    with pytest.raises(ValidationError, match="gatekeeping decision first"):
        place(cast, child)
    decide(cast, child, decided_on=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="gatekeeping decision first"):
        place(cast, child)  # the only decision comes after the start
    decide(cast, child)
    placement = place(cast, child)
    assert placement.gatekeeping is not None
    assert placement.warnings == []


def test_an_emergency_placement_is_flagged_until_the_decision_follows(cast, register_child):
    child = register_child()
    placement = place(cast, child, emergency=True, start=timezone.localdate())
    assert PlacementWarning.GATEKEEPING_MISSING in placement.warnings
    task = Task.objects.get(source=f"gatekeeping:{placement.uuid}")
    assert task.completed_at is None
    decide(cast, child, decided_on=timezone.localdate())
    placement.refresh_from_db()
    assert placement.gatekeeping is not None
    assert PlacementWarning.GATEKEEPING_MISSING not in placement.warnings
    task.refresh_from_db()
    assert task.completed_at is not None


def test_warnings_under_3_residential_outside_district_and_siblings_apart(cast, register_child):
    today = timezone.localdate()
    baby = register_child(given_name="Малыш", date_of_birth=today - datetime.timedelta(days=400))
    sister = register_child(given_name="Сестра", sex="F", date_of_birth=datetime.date(2016, 1, 1))
    relationship_add(actor=cast.case_manager_a, child=baby, kind="sibling", related_child=sister)
    decide(cast, sister, decided_on=today - datetime.timedelta(days=30))
    place(cast, sister, start=today - datetime.timedelta(days=20))
    decide(cast, baby, decided_on=today - datetime.timedelta(days=10))
    elsewhere = Location.objects.filter(level="district").exclude(pk=district(cast).pk).first()
    placement = place(
        cast,
        baby,
        care_type="institution",
        institution=cast.institution,
        provider_name="",
        district=elsewhere,
        start=today - datetime.timedelta(days=5),
    )
    assert set(placement.warnings) == {
        PlacementWarning.UNDER_3_RESIDENTIAL,
        PlacementWarning.OUTSIDE_HOME_DISTRICT,
        PlacementWarning.SIBLINGS_SEPARATED,
    }
    assert Residence.objects.filter(
        child=baby, institution=cast.institution, left_on__isnull=True
    ).exists()


def test_bad_input_is_refused(cast, register_child):
    child = register_child()
    decide(cast, child)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot start in the future"):
        place(cast, child, start=tomorrow)
    with pytest.raises(ValidationError, match="Name the carers"):
        place(cast, child, provider_name="")
    placement = place(cast, child)
    with pytest.raises(ValidationError, match="already in another placement"):
        place(cast, child, start=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        actions.placement_end(
            actor=cast.case_manager_a,
            placement=placement,
            end=datetime.date(2025, 1, 1),
            exit_destination="reunified",
        )
    with pytest.raises(ValidationError, match="Say where the child went"):
        actions.placement_end(
            actor=cast.case_manager_a,
            placement=placement,
            end=datetime.date(2025, 5, 1),
            exit_destination="",
        )
    assert Placement.objects.get().end is None


def test_episodes_join_placements_a_day_apart_and_count_the_third(cast, register_child):
    child = register_child()
    decide(cast, child)
    first = place(cast, child, start=datetime.date(2025, 2, 1))
    actions.placement_end(
        actor=cast.case_manager_a,
        placement=first,
        end=datetime.date(2025, 3, 1),
        exit_destination="other_formal_care",
    )
    second = place(
        cast, child, start=datetime.date(2025, 3, 2), provider_name="Бабушка", care_type="kinship"
    )
    actions.placement_end(
        actor=cast.case_manager_a,
        placement=second,
        end=datetime.date(2025, 4, 1),
        exit_destination="other_formal_care",
    )
    third = place(cast, child, start=datetime.date(2025, 4, 1))
    assert PlacementWarning.MANY_PLACEMENTS in third.warnings
    actions.placement_end(
        actor=cast.case_manager_a,
        placement=third,
        end=datetime.date(2025, 6, 1),
        exit_destination="reunified",
    )
    later = place(cast, child, start=datetime.date(2025, 6, 3))
    groups = episodes(list(Placement.objects.filter(child=child)))
    assert [len(g) for g in groups] == [3, 1]
    assert groups[1] == [later]


def test_reviews_set_the_next_review_and_its_task(cast, register_child):
    child = register_child()
    decide(cast, child)
    placement = place(cast, child)
    assert placement.next_review_on == datetime.date(2025, 2, 1) + datetime.timedelta(days=91)
    assert Task.objects.filter(source=f"placement-review:{placement.uuid}").exists()
    actions.placement_review(
        actor=cast.case_manager_a,
        placement=placement,
        reviewed_on=datetime.date(2025, 4, 20),
        notes="Всё хорошо",
    )
    placement.refresh_from_db()
    assert placement.next_review_on == datetime.date(2025, 7, 20)
    assert (
        Task.objects.filter(
            source__startswith=f"placement-review:{placement.uuid}", completed_at__isnull=True
        ).count()
        == 1
    )


def test_the_pages_record_and_show_the_care_history(cast, register_child):
    child = register_child()
    client = login(cast.case_manager_a)
    data = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in GATEKEEPING.items()
    }
    assert client.post(f"/care/children/{child.uuid}/gatekeeping/new/", data).status_code == 302
    response = client.post(
        f"/care/children/{child.uuid}/placements/new/",
        {
            "care_type": "foster",
            "start": "2025-02-01",
            "district": district(cast).code,
            "provider_name": "Семья Петровых",
            "reason": "Угроза жизни",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    page = client.get(f"/children/{child.uuid}/").content.decode()
    assert "Care history" in page and "Семья Петровых" in page
    ended = client.post(
        f"/care/placements/{placement.uuid}/end/",
        {"end": "2025-08-01", "exit_destination": "reunified", "version": placement.version},
    )
    assert ended.status_code == 302
    assert (
        login(cast.case_manager_b).get(f"/care/placements/{placement.uuid}/end/").status_code == 404
    )


def test_placements_through_the_api(cast, register_child):
    from homeward.api.tests.test_api import Api

    child = register_child()
    api = Api(cast.case_manager_a)
    body = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in GATEKEEPING.items()
    }
    assert api.send("post", f"/children/{child.uuid}/gatekeeping", body).status_code == 201
    placement = {
        "care_type": "foster",
        "start": "2025-02-01",
        "district": district(cast).code,
        "reason": "Угроза",
        "provider_name": "Семья Петровых",
    }
    assert (
        api.send(
            "post", f"/children/{child.uuid}/placements", {**placement, "district": "NOPE"}
        ).status_code
        == 422
    )
    created = api.send("post", f"/children/{child.uuid}/placements", placement)
    assert created.status_code == 201, created.content
    overlap = api.send(
        "post", f"/children/{child.uuid}/placements", {**placement, "start": "2025-03-01"}
    )
    assert overlap.status_code == 422
    assert "start" in overlap.json()["errors"]
    data = created.json()
    ended = api.send(
        "post",
        f"/placements/{data['id']}/end",
        {"version": data["version"], "end": "2025-06-01", "exit_destination": "reunified"},
    )
    assert ended.json()["exit_destination"] == "reunified"
    listed = api.get(f"/children/{child.uuid}/placements").json()
    assert [p["end"] for p in listed] == ["2025-06-01"]
    assert Api(cast.case_manager_b).get(f"/children/{child.uuid}/placements").status_code == 404
