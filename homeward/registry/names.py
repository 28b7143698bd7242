"""Names across scripts: Latin transliteration for display, and a folded key for search.

Two different jobs:
- ``to_latin`` writes a name in Latin letters the way the country's passports do (Russian
  and Belarusian: the ICAO/passport tables; Bulgarian: the Streamlined System of 2009).
- ``name_key`` folds any spelling, Cyrillic or Latin, into a lower-case key in which the usual
  transliteration variants coincide: Іваноў, Иванов, Ivanov, Ivanou, Ivanoff, Iwanow all give
  ``ivanov``. Small typos are then caught by trigram (PostgreSQL) or edit-distance (SQLite)
  similarity on these keys.
"""

from __future__ import annotations

import re
import unicodedata

_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ў": "u",
}  # fmt: skip

_BELARUSIAN = {
    **_RUSSIAN,
    "г": "h", "ґ": "g", "і": "i", "ў": "u", "ы": "y", "ь": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip

_BULGARIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

# Iotated vowels at the start of a word or after a vowel (Belarusian passports: Yauhen).
_BELARUSIAN_IOTATED_INITIAL = {"я": "ya", "ю": "yu", "е": "ye", "ё": "yo"}
_BELARUSIAN_IOTATED_AFTER_CONSONANT = {"я": "ia", "ю": "iu", "е": "ie", "ё": "io"}
_VOWELS = set("аеёиіоуўыэюяaeiouy")


def detect_language(text: str, country_code: str = "") -> str:
    """Guess the name's language: Belarusian letters win, then the country, then Russian."""
    lowered = text.lower()
    if "і" in lowered or "ў" in lowered:
        return "be"
    if country_code == "BG":
        return "bg"
    if "щ" in lowered and "ъ" in lowered:
        return "bg"
    return "ru"


def _convert_word(word: str, language: str) -> str:
    table = {"be": _BELARUSIAN, "bg": {**_RUSSIAN, **_BULGARIAN}}.get(language, _RUSSIAN)
    out: list[str] = []
    lowered = word.lower()
    for index, char in enumerate(word):
        low = lowered[index]
        previous = lowered[index - 1] if index else ""
        if language == "be" and low in _BELARUSIAN_IOTATED_INITIAL:
            at_start = index == 0 or previous in _VOWELS or previous in "ь'’ʼ"
            latin = (
                _BELARUSIAN_IOTATED_INITIAL[low]
                if at_start
                else _BELARUSIAN_IOTATED_AFTER_CONSONANT[low]
            )
            if low == "е" and not at_start:
                latin = "e"
        elif language == "bg" and low == "я" and previous == "и" and index == len(word) - 1:
            latin = "a"  # the Streamlined System writes a final -ия as -ia
        elif low in table:
            latin = table[low]
        else:
            latin = char
            out.append(latin)
            continue
        if char != low and latin:
            following_upper = index + 1 < len(word) and word[index + 1].isupper()
            latin = latin.upper() if following_upper else latin.capitalize()
        out.append(latin)
    return "".join(out)


def to_latin(text: str, country_code: str = "") -> str:
    """Transliterate a Cyrillic name to Latin letters; Latin text passes through unchanged."""
    language = detect_language(text, country_code)
    return re.sub(r"[^\W\d_]+|['’ʼ]", lambda m: _convert_word(m.group(0), language), text)


# --- search keys -------------------------------------------------------------------------

_KEY_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "h", "д": "d", "е": "e", "ё": "e", "є": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "ї": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ў": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh", "ы": "i",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

_KEY_LATIN_LETTERS = {
    "š": "sh", "č": "ch", "ž": "zh", "ć": "ch", "ś": "sh", "ź": "zh", "ł": "l", "ŭ": "u",
    "ß": "ss", "ø": "o", "æ": "ae", "đ": "d",
}  # fmt: skip

# Applied in order to the Latin form. Each folds a known family of spellings into one.
_KEY_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"shch|sht|sch", "sh"),  # щ: Russian shch, Bulgarian sht, German sch
        (r"tsch", "ch"),
        (r"cz", "ch"),
        (r"sz", "sh"),
        (r"kh|gh|g", "h"),  # г and х: Belarusian h, Russian g, kh
        (r"ts|tz|c(?!h)", "c"),
        (r"x", "ks"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"[jy]", "i"),
        (r"([a-z])\1+", r"\1"),  # Ivanoff, Mariia
        (r"(?<=[aoe])u", "v"),  # Belarusian ў after a vowel: Ivanou
        (r"\bi(?=e)", ""),  # Yelena, Jelena, Elena
        (r"f\b", "v"),  # Ivanof, Ivanoff
        (r"([a-z])\1+", r"\1"),
    ]
]


def _fold_letters(text: str) -> str:
    out: list[str] = []
    for char in text.lower():
        if char in _KEY_CYRILLIC:
            out.append(_KEY_CYRILLIC[char])
        elif char == "ъ":
            out.append("")  # Russian hard sign; the Bulgarian vowel is handled by similarity
        elif char in _KEY_LATIN_LETTERS:
            out.append(_KEY_LATIN_LETTERS[char])
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """A folded, script-independent key: lower-case a–z words separated by single spaces."""
    folded = _fold_letters(text)
    folded = re.sub(r"['’ʼ`]", "", folded)
    folded = re.sub(r"[^a-z]+", " ", folded).strip()
    for pattern, replacement in _KEY_RULES:
        folded = pattern.sub(replacement, folded)
    return " ".join(folded.split())


def search_key_for(*parts: str) -> str:
    """The stored key of a person: every distinct folded word of every spelling given."""
    words: list[str] = []
    for part in parts:
        for word in name_key(part).split():
            if word not in words:
                words.append(word)
    return " ".join(words)
