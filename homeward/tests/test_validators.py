"""The control-character check agrees with the Unicode categories it stands for."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from homeward.core.validators import (
    reject_control_characters,
    reject_control_characters_single_line,
)


def rejected(check: object, text: str) -> bool:
    try:
        check(text)  # type: ignore[operator]
    except ValidationError:
        return True
    return False


def test_every_code_point_is_judged_by_its_category() -> None:
    wrong = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if rejected(reject_control_characters, chr(point))
        != (chr(point) not in "\n\r\t" and unicodedata.category(chr(point)) in {"Cc", "Cs", "Co"})
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "free_text", "one_line"),
    [
        ("Іваноў Ivanou", False, False),
        ("Ann\x1b[31m", True, True),
        ("two\nlines\tand a tab", False, True),
        ("NUL\x00", True, True),
        ("private \ue000 use", True, True),
    ],
)
def test_free_text_and_single_lines(text: str, free_text: bool, one_line: bool) -> None:
    assert rejected(reject_control_characters, text) is free_text
    assert rejected(reject_control_characters_single_line, text) is one_line
