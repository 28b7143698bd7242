"""Four languages ship complete; pages and dates follow the chosen language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from conftest import login

LOCALE = Path(settings.BASE_DIR) / "homeward" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")


def entries(po: Path) -> list[dict[str, object]]:
    """msgid/msgstr entries of a .po file (a small reader: no dependency needed)."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            current.setdefault("flags", line)
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            if line.startswith("msgid ") and "msgid" in current:
                found.append(current)
                current = {"flags": current.get("next_flags", "")}
            key, _, text = line.partition(" ")
            current[key] = text.strip()[1:-1]
        elif line.startswith('"') and key:
            current[key] = str(current[key]) + line[1:-1]
        elif not line.strip() and current:
            found.append(current)
            current, key = {}, ""
    if current:
        found.append(current)
    return [e for e in found if e.get("msgid")]


@pytest.mark.parametrize("language", ["ru", "be", "bg"])
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, "compile the .po file"
    items = entries(po)
    assert len(items) > 200
    untranslated = [
        e["msgid"] for e in items if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in items if "fuzzy" in str(e.get("flags", ""))]
    assert untranslated == []
    assert fuzzy == []
    for entry in items:
        source = sorted(PLACEHOLDER.findall(str(entry["msgid"])))
        for key, value in entry.items():
            if key.startswith("msgstr") and value:
                assert sorted(PLACEHOLDER.findall(str(value))) == source, entry


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "date"),
    [("en", "Children", "14/03/2015"), ("ru", "Дети", "14.03.2015"), ("bg", "Деца", "14.03.2015")],
)
def test_pages_and_dates_follow_the_language(cast, register_child, language, heading, date):
    register_child()
    client = login(cast.case_manager_a)
    client.post("/i18n/setlang/", {"language": language, "next": "/children/"})
    page = client.get("/children/").content.decode()
    assert f'<html lang="{language}">' in page
    assert f">{heading}</h1>" in page
    assert date in page
