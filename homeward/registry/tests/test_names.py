"""Names across scripts: transliteration and the folded search key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.registry.names import name_key, search_key_for, to_latin


@pytest.mark.parametrize("spelling", ["Іваноў", "Иванов", "Ivanov", "Ivanou", "Ivanof", "Iwanow"])
def test_spellings_of_one_family_name_share_a_key(spelling: str) -> None:
    assert name_key(spelling) == "ivanov"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Мария", "Mariya"),
        ("Мария", "Maria"),
        ("Елена", "Yelena"),
        ("Щербаков", "Shcherbakov"),
        ("Ганна", "Hanna"),
        ("Юлія", "Yuliya"),
        ("Христов", "Hristov"),
        ("Ковальчук", "Kovalchuk"),
    ],
)
def test_cyrillic_and_latin_forms_fold_together(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("written", "country", "latin"),
    [
        ("Иванов", "BY", "Ivanov"),
        ("Іваноў", "BY", "Ivanou"),
        ("Яўген", "BY", "Yauhen"),
        ("Аляксандр", "BY", "Aliaksandr"),
        ("Щербаков", "BY", "Shcherbakov"),
        ("Христов", "BG", "Hristov"),
        ("Щерев", "BG", "Shterev"),
        ("Мария", "BG", "Maria"),
        ("Ъглев", "BG", "Aglev"),
        ("ЖУК", "BY", "ZHUK"),
        ("Smith", "BG", "Smith"),
    ],
)
def test_passport_transliteration(written: str, country: str, latin: str) -> None:
    assert to_latin(written, country) == latin


def test_search_key_holds_each_word_once() -> None:
    assert search_key_for("Іваноў", "Алесь", "", "Ivanou", "Ales", "") == "ivanov ales"


@given(st.text(max_size=60))
def test_key_is_lower_case_latin_words(text: str) -> None:
    key = name_key(text)
    assert key == " ".join(key.split())
    assert all(c == " " or "a" <= c <= "z" for c in key)


SYLLABLES = st.tuples(st.sampled_from("бвгджзклмнпрстфхцчшщ"), st.sampled_from("аеиоуыэюяё")).map(
    "".join
)
NAMES = st.lists(SYLLABLES, min_size=2, max_size=5).map(lambda s: "".join(s).capitalize())


@given(NAMES)
def test_latin_form_of_a_cyrillic_name_finds_it(name: str) -> None:
    # Whatever passport table wrote the Latin form, search still matches it to the original.
    from homeward.registry.search import MIN_WORD_SCORE, word_score

    for country in ("BY", "BG"):
        latin = to_latin(name, country)
        assert latin.isascii()
        assert word_score(name_key(latin), [name_key(name)]) >= MIN_WORD_SCORE
