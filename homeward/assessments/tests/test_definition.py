"""The checks a definition passes before it is used: shipped files and administrators' edits."""

from __future__ import annotations

import copy
import json

import pytest

from homeward.assessments.definition import definition_errors, template_file_errors
from homeward.assessments.loader import template_files
from homeward.assessments.tests.conftest import SMALL, lang


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.name)
def test_every_shipped_template_is_valid_and_speaks_four_languages(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert template_file_errors(data) == []
    assert set(data["title"]) == {"en", "ru", "be", "bg"}


def test_the_four_shipped_forms_are_there():
    codes = {json.loads(p.read_text(encoding="utf-8"))["code"] for p in template_files()}
    assert codes == {"initial_assessment", "comprehensive_child", "family_needs", "wellbeing_scale"}


def test_the_wellbeing_scale_has_six_domains_of_two_factors_scored_one_to_four():
    path = next(p for p in template_files() if p.name.startswith("wellbeing_scale"))
    definition = json.loads(path.read_text(encoding="utf-8"))["definition"]
    domains = [s for s in definition["sections"] if s["key"] != "sources"]
    assert len(domains) == 6
    for section in domains:
        scales = [f for f in section["fields"] if f["type"] == "scale"]
        assert len(scales) == 2
        assert all((f["min"], f["max"], f["better"]) == (1, 4, "higher") for f in scales)


def test_the_small_test_form_is_valid():
    assert definition_errors(SMALL) == []


def broken(change):
    definition = copy.deepcopy(SMALL)
    change(definition)
    return definition_errors(definition)


def fields(definition):
    return definition["sections"][0]["fields"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(sections=[]), "needs a list of sections"),
        (lambda d: fields(d)[0].update(type="slider"), "the type must be one of"),
        (lambda d: fields(d)[0].update(key="Name!"), "short lower-case letters"),
        (lambda d: fields(d)[1].update(key="name"), "is used twice"),
        (lambda d: fields(d)[0]["label"].pop("be"), "English, Russian, Belarusian and Bulgarian"),
        (lambda d: fields(d)[0].update(colour="red"), "unknown settings: colour"),
        (lambda d: fields(d)[5].update(options=[]), "needs a list of options"),
        (lambda d: fields(d)[5]["options"][1].update(value="good"), "is repeated"),
        (lambda d: fields(d)[9].update(max=1), "runs upwards"),
        (lambda d: fields(d)[2].update(min=30), "“min” must be smaller than “max”"),
        (
            lambda d: fields(d)[8].update(show_if={"field": "mood", "equals": 3}),
            "comes before it",
        ),
        (
            lambda d: fields(d)[8].update(show_if={"field": "danger", "equals": "yes"}),
            "is not a possible answer",
        ),
        (lambda d: fields(d)[8].update(show_if={"field": "danger"}), "either “equals” or “in”"),
        (lambda d: fields(d)[10]["fields"].append({**fields(d)[10]}), "cannot contain another"),
        (lambda d: fields(d)[10].update(min_items=5), "0 ≤ min ≤ max"),
        (lambda d: d["scores"][0]["fields"].append("name"), "can be scored"),
        (lambda d: d["scores"][0].update(method="median"), "“sum” or “mean”"),
        (lambda d: d.update(case_risk_score="mood_mean"), "high, medium and low"),
        (lambda d: fields(d)[0].update(better="higher"), "“better” is “higher” or “lower”"),
    ],
)
def test_a_broken_definition_is_refused_with_a_readable_reason(change, expected):
    errors = broken(change)
    assert errors, "expected the definition to be refused"
    assert any(expected in error for error in errors), errors


def test_a_definition_that_is_not_an_object_is_refused():
    assert definition_errors([1, 2]) == ["The definition must be a JSON object."]


def test_a_file_needs_code_version_and_title():
    errors = template_file_errors(
        {"code": "X", "version": 0, "title": lang("t"), "definition": SMALL}
    )
    assert any(e.startswith("code:") for e in errors)
    assert any(e.startswith("version:") for e in errors)
