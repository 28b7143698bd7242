"""Importing the child population by area and year from CSV (location_code,year,children)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from homeward.geo.models import Location
from homeward.indicators.models import Population

COLUMNS = ["location_code", "year", "children"]


@dataclass
class PopulationReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)


def population_import(text: str, *, commit: bool) -> PopulationReport:
    """Check every row; write all of them only when every row is valid and ``commit`` is set."""
    report = PopulationReport()
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [c.strip() for c in reader.fieldnames] != COLUMNS:
        report.errors.append(
            {
                "line": 1,
                "column": "",
                "message": _("The header must be: %(cols)s.") % {"cols": ",".join(COLUMNS)},
            }
        )
        return report
    codes = dict(Location.objects.values_list("code", "pk"))
    valid: list[tuple[int, int, int]] = []
    for line, row in enumerate(reader, start=2):
        report.rows += 1
        code = (row.get("location_code") or "").strip()
        if code not in codes:
            report.errors.append(
                {"line": line, "column": "location_code", "message": _("Unknown location code.")}
            )
            continue
        try:
            year = int(row.get("year") or "")
            children = int(row.get("children") or "")
        except ValueError:
            report.errors.append(
                {"line": line, "column": "year/children", "message": _("Enter whole numbers.")}
            )
            continue
        if not 1990 <= year <= 2100 or children < 0:
            report.errors.append(
                {
                    "line": line,
                    "column": "year/children",
                    "message": _("The year or the count is out of range."),
                }
            )
            continue
        valid.append((codes[code], year, children))
    if report.errors or not commit:
        return report
    with transaction.atomic():
        for location_id, year, children in valid:
            _row, created = Population.objects.update_or_create(
                location_id=location_id, year=year, defaults={"children": children}
            )
            report.created += created
            report.updated += not created
    return report
