"""Load the shipped assessment templates (``templates_data/*.json``) into the database."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from homeward.assessments.actions import template_load

DATA_DIR = Path(__file__).resolve().parent / "templates_data"


def template_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


@transaction.atomic
def assessments_load(directory: Path = DATA_DIR) -> tuple[int, int]:
    """Load every file's version that is not yet in the database; returns (loaded, kept).

    Idempotent: a version already present is left exactly as it is.
    """
    loaded = kept = 0
    files = [
        (path, json.loads(path.read_text(encoding="utf-8"))) for path in template_files(directory)
    ]
    # Lower versions first, so that a new version inherits the previous one's "in use".
    files.sort(key=lambda item: (str(item[1].get("code")), int(item[1].get("version") or 0)))
    for path, data in files:
        try:
            template = template_load(data)
        except ValidationError as error:
            raise ValueError(f"{path.name}: {'; '.join(error.messages)}") from error
        if template is None:
            kept += 1
        else:
            loaded += 1
    return loaded, kept
