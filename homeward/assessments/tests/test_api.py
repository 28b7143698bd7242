"""Assessments through the API: templates, drafts with versions, refusals as JSON with field
names, submission, approval, comparison and scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.api.tests.test_api import Api
from homeward.assessments.models import AssessmentTemplate
from homeward.assessments.tests.conftest import INITIAL_OK, wellbeing

pytestmark = pytest.mark.django_db


def test_templates_are_listed_with_their_definitions(cast, shipped):
    api = Api(cast.case_manager_a)
    listed = api.get("/assessment-templates")
    assert listed.status_code == 200
    assert {t["code"] for t in listed.json()} == set(shipped)
    detail = api.get("/assessment-templates/wellbeing_scale").json()
    assert detail["version"] == 1
    assert detail["title"]["bg"] == "Скала за благополучието на детето"
    assert len(detail["definition"]["sections"]) == 7
    assert api.get("/assessment-templates/nothing").status_code == 404


def test_an_assessment_from_draft_to_approval_through_the_api(cast, case, shipped):
    api = Api(cast.case_manager_a)
    base = f"/cases/{case.uuid}/assessments"
    unknown = api.send("post", base, {"template": "nothing"})
    assert unknown.status_code == 422
    assert "template" in unknown.json()["errors"]
    created = api.send("post", base, {"template": "comprehensive_child"})
    assert created.status_code == 201, created.content
    assessment = created.json()
    assert (assessment["status"], assessment["template_version"]) == ("draft", 1)
    url = f"/assessments/{assessment['id']}"

    first = api.send("patch", url, {"version": 1, "answers": {"health_rating": 3}})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = api.send("patch", url, {"version": 1, "answers": {"health_rating": 2}})
    assert stale.status_code == 409
    assert "Someone else changed" in stale.json()["errors"]["non_field_errors"][0]

    refused = api.send(
        "patch",
        url,
        {
            "version": 2,
            "answers": {
                "development_rating": 9,
                "chronic_condition": False,
                "chronic_details": "Астма",
                "colour": "blue",
            },
        },
    )
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors["answers.development_rating"] == ["Choose a value from 1 to 4."]
    assert "does not apply" in errors["answers.chronic_details"][0]
    assert errors["answers.colour"] == ["This form has no such question."]
    assert api.get(url).json()["answers"] == {"health_rating": 3}

    incomplete = api.send("post", f"{url}/submit", {"version": 2})
    assert incomplete.status_code == 422
    assert incomplete.json()["errors"]["answers.child_views"] == ["Answer this question."]

    complete = {
        "health_rating": 3,
        "clinic_registered": True,
        "immunisations": "partly",
        "chronic_condition": True,
        "chronic_details": "Бронхиальная астма",
        "medicines": [{"name": "Сальбутамол", "dose": "по необходимости"}],
        "development_rating": 3,
        "attends": "school",
        "attendance": "gaps",
        "learning_rating": 2,
        "emotional_rating": 2,
        "behaviour_signs": ["anxious"],
        "child_views": "Хочет жить с мамой.",
        "family_rating": 3,
        "lives_with": "one_parent",
        **dict.fromkeys(
            [
                "func_seeing",
                "func_hearing",
                "func_mobility",
                "func_communication",
                "func_learning",
                "func_self_care",
            ],
            "none",
        ),
        "disability_status": "no",
    }
    saved = api.send("patch", url, {"version": 2, "answers": complete})
    assert saved.status_code == 200, saved.content
    submitted = api.send("post", f"{url}/submit", {"version": 3, "completed_on": "2025-02-01"})
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["completed_on"] == "2025-02-01"
    assert body["scores"]["needs_met"] == {"value": 2.6, "level": "some_concern"}
    assert body["scores"]["functioning"] == {"value": 0.0, "level": "none"}

    own = api.send("post", f"{url}/approve", {"version": 4})
    assert own.status_code == 403  # case managers do not approve
    supervisor = Api(cast.supervisor_a)
    returned = supervisor.send("post", f"{url}/return", {"version": 4, "comment": ""})
    assert returned.status_code == 422
    assert "comment" in returned.json()["errors"]
    approved = supervisor.send("post", f"{url}/approve", {"version": 4, "comment": "Хорошо"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "sup_a"

    listed = api.get(base).json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == assessment["id"]


def test_the_initial_assessment_sets_the_case_risk_through_the_api(cast, case, shipped):
    api = Api(cast.case_manager_a)
    created = api.send(
        "post", f"/cases/{case.uuid}/assessments", {"template": "initial_assessment"}
    )
    url = f"/assessments/{created.json()['id']}"
    danger = {**INITIAL_OK, "immediate_danger": True, "danger_details": "Отец угрожает ножом."}
    assert api.send("patch", url, {"version": 1, "answers": danger}).status_code == 200
    assert api.send("post", f"{url}/submit", {"version": 2}).status_code == 200
    assert api.get(f"/cases/{case.uuid}").json()["risk_level"] == "high"


def test_two_assessments_compared_through_the_api(cast, case, shipped):
    api = Api(cast.case_manager_a)
    ids = []
    for score in (2, 3):
        created = api.send(
            "post", f"/cases/{case.uuid}/assessments", {"template": "wellbeing_scale"}
        )
        url = f"/assessments/{created.json()['id']}"
        api.send("patch", url, {"version": 1, "answers": wellbeing(score)})
        assert api.send("post", f"{url}/submit", {"version": 2}).status_code == 200
        ids.append(created.json()["id"])
    compared = api.get("/assessments/compare", first=ids[1], second=ids[0])
    assert compared.status_code == 200, compared.content
    body = compared.json()
    assert (body["before"], body["after"]) == (ids[0], ids[1])
    assert body["worse"] == 0
    assert body["improved"] == 12 + 7  # twelve factors, six domains and the overall score
    overall = next(s for s in body["scores"] if s["key"] == "overall")
    assert overall["change"] == "improved"
    assert overall["before"] == "2 (Poor)"
    same = api.get("/assessments/compare", first=ids[0], second=ids[0])
    assert same.status_code == 422
    assert api.get("/assessments/compare", first=ids[0], second="nope").status_code == 422
    draft = api.send("post", f"/cases/{case.uuid}/assessments", {"template": "wellbeing_scale"})
    unfinished = api.get("/assessments/compare", first=ids[0], second=draft.json()["id"])
    assert unfinished.status_code == 422
    assert unfinished.json()["errors"]["second"] == ["Only submitted assessments are compared."]


def test_another_agency_sees_nothing(cast, case, shipped):
    api = Api(cast.case_manager_a)
    created = api.send("post", f"/cases/{case.uuid}/assessments", {"template": "wellbeing_scale"})
    url = f"/assessments/{created.json()['id']}"
    other = Api(cast.case_manager_b)
    assert other.get(url).status_code == 404
    assert other.send("patch", url, {"version": 1, "answers": {}}).status_code == 404
    assert other.get(f"/cases/{case.uuid}/assessments").status_code == 404
    assert (
        other.send(
            "post", f"/cases/{case.uuid}/assessments", {"template": "initial_assessment"}
        ).status_code
        == 404
    )


def test_administrators_add_a_version_through_the_api(cast, shipped):
    definition = shipped["initial_assessment"].definition
    assert (
        Api(cast.case_manager_a)
        .send(
            "post", "/assessment-templates/initial_assessment/versions", {"definition": definition}
        )
        .status_code
        == 403
    )
    admin = Api(cast.admin)
    bad = admin.send(
        "post", "/assessment-templates/initial_assessment/versions", {"definition": {"x": 1}}
    )
    assert bad.status_code == 422
    assert "definition" in bad.json()["errors"]
    made = admin.send(
        "post",
        "/assessment-templates/initial_assessment/versions",
        {"definition": definition, "requires_approval": True},
    )
    assert made.status_code == 201, made.content
    assert made.json()["version"] == 2
    assert AssessmentTemplate.objects.filter(code="initial_assessment").count() == 2


def test_the_list_runs_a_bounded_number_of_queries(cast, case, shipped):
    api = Api(cast.case_manager_a)
    base = f"/cases/{case.uuid}/assessments"
    api.send("post", base, {"template": "wellbeing_scale"})
    with CaptureQueriesContext(connection) as few:
        assert api.get(base).status_code == 200
    for code in ("initial_assessment", "family_needs", "comprehensive_child"):
        api.send("post", base, {"template": code})
    with CaptureQueriesContext(connection) as many:
        assert api.get(base).json()["count"] == 4
    assert len(many) == len(few)
