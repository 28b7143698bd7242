"""The one validation function: every field type, required and conditional answers, ranges,
repeating groups. Pure: no database."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.assessments.tests.conftest import SMALL, SMALL_OK, lang
from homeward.assessments.validation import validate_answers

TODAY = datetime.date(2026, 1, 15)


def check(answers, complete=True):
    return validate_answers(SMALL, answers, complete=complete, today=TODAY)


def test_complete_answers_pass_and_are_stored_typed():
    result = check({**SMALL_OK, "people": "4", "income": "1 250,50", "seen_on": "2026-01-02"})
    assert result.errors == {}
    assert result.answers["people"] == 4
    assert result.answers["income"] == 1250.5
    assert result.answers["seen_on"] == "2026-01-02"
    assert result.answers["members"] == [{"who": "Мать", "works": True, "job": "продавец"}]


def test_empty_answers_are_left_out():
    result = check({**SMALL_OK, "notes": "   ", "problems": [], "income": None})
    assert result.ok
    assert "notes" not in result.answers
    assert "problems" not in result.answers
    assert "income" not in result.answers


def test_missing_required_answers_are_refused_on_submission_only():
    result = check({"mood": 2})
    assert result.errors["name"] == ["Answer this question."]
    assert result.errors["housing"] == ["Answer this question."]
    assert result.errors["danger"] == ["Answer this question."]
    assert result.errors["members"] == ["Add at least 1 entry."]
    assert check({"mood": 2}, complete=False).ok


def test_a_conditional_answer_given_when_its_condition_is_false_is_refused():
    result = check({**SMALL_OK, "danger": False, "danger_details": "Отец угрожает"})
    assert list(result.errors) == ["danger_details"]
    assert "does not apply" in result.errors["danger_details"][0]
    # a draft refuses it too: the server decides what applies
    assert not check({"danger": False, "danger_details": "x"}, complete=False).ok


def test_a_conditional_answer_is_required_only_when_its_condition_holds():
    assert check({**SMALL_OK, "danger": True}).errors == {
        "danger_details": ["Answer this question."]
    }
    result = check({**SMALL_OK, "danger": True, "danger_details": "Отец угрожает"})
    assert result.ok
    assert result.answers["danger_details"] == "Отец угрожает"


def test_an_invalid_controlling_answer_does_not_add_a_second_error():
    result = check({**SMALL_OK, "danger": "maybe", "danger_details": "x"})
    assert result.errors == {"danger": ["Answer yes or no."]}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"name": 5}, "name", "Enter text."),
        ({"name": "a\nb"}, "name", "This field must be on one line."),
        ({"name": "a\x07b"}, "name", "Remove the control characters from this text."),
        ({"notes": "x" * 51}, "notes", "Shorten this to at most 50 characters."),
        ({"people": "2.5"}, "people", "Enter a whole number."),
        ({"people": 0}, "people", "Enter a number from 1 to 20."),
        ({"people": "many"}, "people", "Enter a number."),
        ({"people": True}, "people", "Enter a number."),
        ({"income": -1}, "income", "Enter a number of at least 0."),
        ({"income": "nan"}, "income", "Enter a number."),
        ({"income": 10**13}, "income", "This number is too large."),
        ({"seen_on": "15.01.2026"}, "seen_on", "Enter a valid date (YYYY-MM-DD)."),
        ({"seen_on": "2026-02-30"}, "seen_on", "Enter a valid date (YYYY-MM-DD)."),
        ({"seen_on": "2026-01-16"}, "seen_on", "The date cannot be in the future."),
        ({"seen_on": "1899-12-31"}, "seen_on", "The date cannot be before 1900."),
        ({"housing": "palace"}, "housing", "Choose one of the options."),
        ({"problems": "damp"}, "problems", "Choose from the options (send a list)."),
        ({"problems": ["damp", "fire"]}, "problems", "Choose only from the options."),
        ({"danger": "perhaps"}, "danger", "Answer yes or no."),
        ({"mood": 5}, "mood", "Choose a value from 1 to 4."),
        ({"mood": 2.5}, "mood", "Choose a value from 1 to 4."),
        ({"mood": "three"}, "mood", "Choose a value from 1 to 4."),
        ({"members": {"who": "x"}}, "members", "Send the entries as a list of JSON objects."),
        ({"nonsense": 1}, "nonsense", "This form has no such question."),
    ],
)
def test_each_type_refuses_bad_input_with_a_clear_message(answers, field, message):
    result = check({**SMALL_OK, **answers})
    assert result.errors[field] == [message]


def test_multiple_choice_keeps_the_form_order_once():
    result = check({**SMALL_OK, "problems": ["cold", "damp", "cold"]})
    assert result.answers["problems"] == ["damp", "cold"]


def test_yes_no_accepts_words_from_forms():
    assert check({**SMALL_OK, "danger": "no"}).answers["danger"] is False


def test_not_an_object_is_refused():
    assert validate_answers(SMALL, ["x"], complete=False).errors == {
        "answers": ["Send the answers as a JSON object."]
    }


@given(st.integers(min_value=-1000, max_value=1000))
def test_a_scale_answer_is_valid_exactly_within_its_range(value):
    result = validate_answers(SMALL, {**SMALL_OK, "mood": value}, complete=True, today=TODAY)
    if 1 <= value <= 4:
        assert result.ok
        assert result.answers["mood"] == value
    else:
        assert result.errors == {"mood": ["Choose a value from 1 to 4."]}


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_scale_never_takes_a_fraction_or_an_oddity(value):
    result = validate_answers(SMALL, {**SMALL_OK, "mood": value}, complete=True, today=TODAY)
    assert result.ok == (value in {1.0, 2.0, 3.0, 4.0})


def test_group_entries_are_checked_one_by_one_with_conditions_inside_the_entry():
    result = check(
        {
            **SMALL_OK,
            "members": [
                {"who": "Мать", "works": True},
                {"who": "Отец", "works": False, "job": "водитель"},
                {"works": False},
            ],
        }
    )
    assert result.errors == {
        "members.0.job": ["Answer this question."],
        "members.1.job": [
            "This question does not apply with the answers given above: leave it empty."
        ],
        "members.2.who": ["Answer this question."],
    }


def test_group_limits_and_blank_entries():
    four = [{"who": str(n)} for n in range(4)]
    assert check({**SMALL_OK, "members": four}).errors == {"members": ["Give at most 3 entries."]}
    blank_only = check({**SMALL_OK, "members": [{"who": "", "works": None}]})
    assert blank_only.errors == {"members": ["Add at least 1 entry."]}
    unknown = check({**SMALL_OK, "members": [{"who": "x", "age": 3}]})
    assert unknown.errors == {"members.0.age": ["This form has no such question."]}


def test_a_condition_may_look_at_the_whole_form_from_inside_a_group():
    definition = {
        "sections": [
            {
                "key": "s",
                "title": lang("S"),
                "fields": [
                    {"key": "pets", "type": "yesno", "label": lang("Pets")},
                    {
                        "key": "rooms",
                        "type": "group",
                        "label": lang("Rooms"),
                        "fields": [
                            {"key": "name", "type": "text", "label": lang("Room")},
                            {
                                "key": "pet_corner",
                                "type": "yesno",
                                "label": lang("Pet corner"),
                                "show_if": {"field": "pets", "equals": True},
                            },
                        ],
                    },
                ],
            }
        ]
    }
    refused = validate_answers(
        definition, {"pets": False, "rooms": [{"name": "a", "pet_corner": True}]}, complete=True
    )
    assert list(refused.errors) == ["rooms.0.pet_corner"]
    allowed = validate_answers(
        definition, {"pets": True, "rooms": [{"name": "a", "pet_corner": True}]}, complete=True
    )
    assert allowed.ok
    unsure = validate_answers(
        definition, {"pets": "maybe", "rooms": [{"name": "a", "pet_corner": True}]}, complete=True
    )
    assert unsure.errors == {"pets": ["Answer yes or no."]}
