"""The journey through the API: an enquiry becomes an approved carer, a child's matches are
ranked, a match is accepted, the placement follows with its review task, and the placement
ends with the child going home."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from homeward.api.tests.test_api import Api
from homeward.carers.tests.helpers import HOME_STUDY_ANSWERS, locality
from homeward.cases.models import Task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_enquiry_to_reunification(cast, foster_worker, course):
    worker = Api(foster_worker)
    done = (TODAY() - datetime.timedelta(days=3)).isoformat()
    valid = (TODAY() + datetime.timedelta(days=365)).isoformat()

    # an enquiry, and the household through the pipeline
    carer = ok(
        worker.send(
            "post",
            "/carers",
            {"name": "Семья Новиковых", "location": locality().code, "languages": ["ru"]},
        ),
        201,
    )
    path = f"/carers/{carer['id']}"
    main = ok(
        worker.send(
            "post",
            f"{path}/members",
            {"family_name": "Новикова", "given_name": "Ольга", "sex": "F", "role": "main_carer"},
        ),
        201,
    )
    version = carer["version"]
    for stage in ("information_visit", "application", "training", "home_study"):
        version = ok(worker.send("post", f"{path}/stage", {"to": stage, "version": version}))[
            "version"
        ]
    study = ok(worker.send("post", f"{path}/home-study", {}), 201)
    submitted = ok(
        worker.send(
            "patch",
            f"/home-studies/{study['id']}",
            {
                "answers": HOME_STUDY_ANSWERS,
                "completed_on": done,
                "submit": True,
                "version": study["version"],
            },
        )
    )
    assert submitted["status"] == "submitted"
    assert submitted["scores"]["capacity"]["level"] == "fair"
    version = ok(worker.send("post", f"{path}/stage", {"to": "panel", "version": version}))[
        "version"
    ]
    approval = {
        "decided_on": TODAY().isoformat(),
        "version": version,
        "terms": {
            "panel": "Комиссия по опеке",
            "max_children": 2,
            "age_min": 3,
            "age_max": 14,
            "sibling_groups": True,
        },
    }

    # approving without the checks and the training is refused, saying what is missing
    refused = worker.send("post", f"{path}/approval", approval)
    assert refused.status_code == 422
    missing = refused.json()["errors"]["non_field_errors"]
    assert missing[0] == "The household cannot be approved yet."
    assert "Check “Criminal record” for Новикова Ольга is missing." in missing

    for kind, member in (
        ("references", None),
        ("home_safety", None),
        ("health", main["id"]),
        ("criminal_record", main["id"]),
    ):
        ok(
            worker.send(
                "post",
                f"{path}/checks",
                {
                    "kind": kind,
                    "member": member,
                    "done_on": done,
                    "expires_on": valid,
                    "result": "passed",
                },
            ),
            201,
        )
    ok(
        worker.send(
            "post",
            f"{path}/training",
            {"course": str(course.uuid), "completed_on": done},
        ),
        201,
    )
    approved = ok(worker.send("post", f"{path}/approval", approval))
    assert approved["stage"] == "approved"
    assert approved["vacancy"] == 2
    assert approved["terms"]["sexes"] == ["F", "M"]

    # a child who needs a family: registered, and the gatekeeping decision says foster care
    case_manager = Api(cast.case_manager_a)
    child = ok(
        case_manager.send(
            "post",
            "/children",
            {
                "family_name": "Морозова",
                "given_name": "Алина",
                "sex": "F",
                "date_of_birth": "2016-04-02",
                "home_location": cast.agency_a.area.code,
            },
        ),
        201,
    )
    ok(
        case_manager.send(
            "post",
            f"/children/{child['id']}/gatekeeping",
            {
                "decided_on": done,
                "outcome": "place",
                "care_type": "foster",
                "necessity": "Поддержка семьи не помогла.",
                "suitability": "Приёмная семья рядом.",
                "alternatives": "Родственников нет.",
                "assessment_reference": "Оценка",
                "decision_maker": "Комиссия",
                "legal_basis": "Кодекс",
            },
        ),
        201,
    )
    ok(
        case_manager.send(
            "put", f"/children/{child['id']}/matching-needs", {"languages": ["ru"], "term": "long"}
        )
    )

    # matches for the child, with reasons in words
    ranking = ok(case_manager.get(f"/children/{child['id']}/matches"))
    assert [r["household"] for r in ranking["results"]] == [carer["id"]]
    texts = [reason["text"] for reason in ranking["results"][0]["reasons"]]
    assert "speaks Russian" in texts
    assert any(text.endswith("km from home") for text in texts)

    # choosing stores a proposal with its weights; accepting places the child
    match = ok(
        case_manager.send("post", f"/children/{child['id']}/matches", {"household": carer["id"]}),
        201,
    )
    assert match["status"] == "proposed"
    proposal = ok(case_manager.get(f"/match-proposals/{match['proposal']}"))
    assert proposal["weights"]["relatives"] == 30.0
    placements = ok(
        case_manager.send("post", f"/matches/{match['id']}/accept", {"reason": "Подбор семьи"})
    )
    assert len(placements) == 1
    placement = placements[0]
    assert placement["care_type"] == "foster"
    assert ok(worker.get(path))["vacancy"] == 1

    # the review is due: a task for the case manager
    review = Task.objects.get(source=f"placement-review:{placement['id']}")
    assert review.assigned_to == cast.case_manager_a
    assert review.due_at.date() == datetime.date.fromisoformat(placement["next_review_on"])

    # the placement ends with the child going home; the place is free again
    listed = ok(case_manager.get(f"/children/{child['id']}/placements"))
    ended = ok(
        case_manager.send(
            "post",
            f"/placements/{placement['id']}/end",
            {
                "version": listed[0]["version"],
                "end": TODAY().isoformat(),
                "exit_destination": "reunified",
            },
        )
    )
    assert ended["exit_destination"] == "reunified"
    review.refresh_from_db()
    assert review.completed_at is not None
    assert ok(worker.get(path))["vacancy"] == 2


def test_batch_proposals_and_decisions_through_the_api(cast, register_child, foster_worker, course):
    from homeward.carers.tests.helpers import approved_household
    from homeward.matching.tests.test_matching import decide

    child = register_child()
    decide(cast, child)
    approved_household(foster_worker, cast.agency_a, course, name="Семья А")
    approved_household(foster_worker, cast.agency_a, course, name="Семья Б")
    api = Api(foster_worker)
    assert api.send("post", "/match-proposals", {"region": "BY-HO"}).status_code == 422
    proposal = ok(api.send("post", "/match-proposals", {"region": "BY-VI"}), 201)
    assert proposal["summary"]["matched_children"] == 1
    assert proposal["weights"] == ok(api.get("/matching-weights/BY-VI"))["weights"]
    match = proposal["matches"][0]
    other = next(
        r["household"]
        for r in ok(api.get(f"/children/{child.uuid}/matches"))["results"]
        if r["household"] != match["household"]
    )
    changed = ok(api.send("post", f"/matches/{match['id']}/change", {"household": other}))
    assert changed["replaces"] == match["id"]
    again = api.send("post", f"/matches/{match['id']}/accept", {})
    assert again.status_code == 422
    assert again.json()["errors"]["non_field_errors"] == ["This match has already been decided."]
    rejected = ok(api.send("post", f"/matches/{changed['id']}/reject", {"note": "Нет"}))
    assert rejected["status"] == "rejected"
    listed = ok(api.get("/match-proposals"))
    assert listed["count"] == 1
    weights = ok(
        api.send("put", "/matching-weights/BY-VI", {"weights": {"home": 50}, "version": None})
    )
    assert weights["own"] is True and weights["weights"]["home"] == 50.0
    assert Api(cast.case_manager_a).get("/matching-weights/BY-VI").status_code == 403


def test_a_proposal_reads_a_fixed_number_of_queries(cast, register_child, foster_worker, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.carers.tests.helpers import approved_household
    from homeward.matching.actions import proposal_for_region
    from homeward.matching.tests.test_matching import decide, region_a

    api = Api(foster_worker)
    api.get("/match-proposals")  # the token's first use is recorded once

    def measured(count: int) -> int:
        for index in range(count):
            child = register_child(given_name=f"Ребёнок{count}{index}")
            decide(cast, child)
            approved_household(foster_worker, cast.agency_a, course, name=f"Семья {count}{index}")
        proposal = proposal_for_region(actor=foster_worker, region=region_a())
        with CaptureQueriesContext(connection) as queries:
            body = ok(api.get(f"/match-proposals/{proposal.uuid}"))
        assert len(body["matches"]) >= count
        return len(queries)

    assert measured(1) == measured(3)
