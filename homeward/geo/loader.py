"""Load the location tree from the data file in the repository (idempotent)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from homeward.geo.models import LEVEL_DEPTH, Level, Location

DATA_FILE = Path(__file__).resolve().parent / "data" / "locations.csv"


@transaction.atomic
def locations_load(path: Path = DATA_FILE) -> tuple[int, int]:
    """Create or update every row of the file; returns (created, updated)."""
    created = updated = 0
    by_code: dict[str, Location] = {loc.code: loc for loc in Location.objects.all()}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            level = Level(row["level"])
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            if row["parent_code"] and parent is None:
                raise ValueError(f"{path.name} line {line}: unknown parent {row['parent_code']}")
            if (parent is None) != (level == Level.COUNTRY) or (
                parent is not None and LEVEL_DEPTH[Level(parent.level)] + 1 != LEVEL_DEPTH[level]
            ):
                raise ValueError(f"{path.name} line {line}: {row['code']} is out of the tree")
            values = {
                "parent": parent,
                "level": level,
                "path": f"{parent.path}/{row['code']}" if parent else row["code"],
                "name_local": row["name_local"],
                "name_ru": row["name_ru"],
                "name_latin": row["name_latin"],
                "iso_code": row["iso_code"],
                "latitude": Decimal(row["latitude"]) if row["latitude"] else None,
                "longitude": Decimal(row["longitude"]) if row["longitude"] else None,
            }
            location, was_created = Location.objects.update_or_create(
                code=row["code"], defaults=values
            )
            by_code[location.code] = location
            created += was_created
            updated += not was_created
    return created, updated
