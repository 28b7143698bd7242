from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from homeward.indicators import facts


class Command(BaseCommand):
    help = (
        "Recompute the episode facts the indicators read (indicators.PlacementFact) from the "
        "placements, for a database filled by other means than Homeward's actions and census "
        "import; --check only reports the children whose facts are out of date."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        if options["check"]:
            out_of_date = facts.stale()
            if out_of_date:
                raise CommandError(
                    f"{len(out_of_date)} children have out-of-date facts; run indicators_facts."
                )
            self.stdout.write("The episode facts match the placements.")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r{done:,} of {total:,} children", ending="")
            self.stdout.flush()

        written = facts.rebuild(progress if options["verbosity"] > 0 else None)
        self.stdout.write(
            f"\n{written:,} placement facts written in {time.monotonic() - began:.1f} s."
        )
