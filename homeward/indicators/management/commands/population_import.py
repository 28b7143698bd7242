from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from homeward.indicators.population import population_import


class Command(BaseCommand):
    help = (
        "Import the child population (CSV: location_code,year,children). Dry run unless --commit."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read the file: {exc}") from exc
        report = population_import(text, commit=options["commit"])
        for error in report.errors:
            self.stderr.write(f"line {error['line']}, {error['column']}: {error['message']}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors; nothing imported.")
        if options["commit"]:
            self.stdout.write(f"{report.created} created, {report.updated} updated.")
        else:
            self.stdout.write(f"{report.rows} rows are valid. Run again with --commit to import.")
