"""Foster carers made through the actions, as far along the pipeline as a test needs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from conftest import make_user
from homeward.access.roles import Role
from homeward.carers import actions
from homeward.carers.models import Stage, TrainingCourse
from homeward.geo.models import Location

HOME_STUDY_ANSWERS = {
    "motivation": "Мы хотим помочь ребёнку остаться рядом с родными местами.",
    "household_agrees": True,
    "parenting": 4,
    "needs": 3,
    "birth_family": 3,
    "behaviour": 3,
    "space": 4,
    "own_bed": True,
    "network": 3,
    "recommended_term": "both",
    "recommendation": "Рекомендуем к утверждению.",
}
TERMS = {
    "panel": "Комиссия по опеке",
    "max_children": 2,
    "age_min": 0,
    "age_max": 17,
    "sexes": ["F", "M"],
    "sibling_groups": True,
    "disabilities": True,
    "disability_domains": [],
    "term": "both",
    "professional": False,
    "notes": "",
}


def make_foster_worker(cast: Any) -> Any:
    return make_user("fcw_a", cast.agency_a, Role.FOSTER_CARE_WORKER)


def make_course() -> TrainingCourse:
    return TrainingCourse.objects.create(
        name="Школа замещающих родителей",
        topics=["disability", "sibling_groups", "trauma"],
        hours=Decimal(40),
    )


def locality(code_prefix: str = "BY-VI") -> Location:
    found = (
        Location.objects.filter(level="locality", path__startswith=f"BY/{code_prefix}/")
        .order_by("path")
        .first()
    )
    assert found is not None
    return found


def move(actor: Any, household: Any, to: str, note: str = "") -> Any:
    household.refresh_from_db()
    return actions.carer_move(
        actor=actor, household=household, to=to, version=household.version, note=note
    )


def enquiry(actor: Any, agency: Any, **data: Any) -> Any:
    values = {"name": "Семья Петровых", "location": locality(), "languages": ["ru", "be"]}
    values.update(data)
    return actions.carer_enquiry(actor=actor, agency=agency, data=values)


def ready_for_panel(actor: Any, household: Any, course: TrainingCourse, **kwargs: Any) -> Any:
    """Members, passed checks, training and a submitted home study; the household at panel."""
    today = timezone.localdate()
    done = today - datetime.timedelta(days=10)
    valid = today + datetime.timedelta(days=365)
    main = actions.member_add(
        actor=actor,
        household=household,
        data={
            "family_name": "Петрова",
            "given_name": "Анна",
            "sex": "F",
            "date_of_birth": datetime.date(1980, 5, 1),
            "role": "main_carer",
            **kwargs.get("member", {}),
        },
    )
    move(actor, household, Stage.INFORMATION_VISIT)
    move(actor, household, Stage.APPLICATION)
    for kind in ("references", "home_safety"):
        actions.check_record(
            actor=actor,
            household=household,
            data={"kind": kind, "done_on": done, "expires_on": valid, "result": "passed"},
        )
    for kind in ("health", "criminal_record"):
        actions.check_record(
            actor=actor,
            household=household,
            data={
                "kind": kind,
                "member": main,
                "done_on": done,
                "expires_on": valid,
                "result": "passed",
            },
        )
    move(actor, household, Stage.TRAINING)
    actions.training_record(actor=actor, household=household, course=course, completed_on=done)
    move(actor, household, Stage.HOME_STUDY)
    household.refresh_from_db()
    study = actions.home_study_start(actor=actor, household=household)
    actions.home_study_save(
        actor=actor,
        study=study,
        answers=HOME_STUDY_ANSWERS,
        completed_on=done,
        version=study.version,
        submit=True,
    )
    move(actor, household, Stage.PANEL)
    household.refresh_from_db()
    return household


def approve(actor: Any, household: Any, **terms: Any) -> Any:
    household.refresh_from_db()
    return actions.carer_approve(
        actor=actor,
        household=household,
        decided_on=timezone.localdate(),
        terms={**TERMS, **terms},
        version=household.version,
    )


def approved_household(
    actor: Any,
    agency: Any,
    course: TrainingCourse,
    terms: dict[str, Any] | None = None,
    **data: Any,
) -> Any:
    household = enquiry(actor, agency, **data)
    ready_for_panel(actor, household, course)
    return approve(actor, household, **(terms or {}))
