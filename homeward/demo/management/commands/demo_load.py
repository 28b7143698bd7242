from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from homeward.demo.loader import PASSWORD, USERS, demo_load


class Command(BaseCommand):
    help = "Load the demo (Vitebsk and Gomel regions, Ruse province). Safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--children", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = demo_load(children=options["children"])
        if counts.skipped:
            self.stdout.write("The demo is already loaded; nothing added.")
        else:
            self.stdout.write(
                f"Demo loaded in {time.monotonic() - started:.0f} s: {counts.children} children, "
                f"{counts.households} households, {counts.relatives} relatives, "
                f"{counts.placements} placements."
            )
        self.stdout.write(f"\nDemo logins (password: {PASSWORD}):")
        for username, _first, _last, agency, role, _team, _institution in USERS:
            self.stdout.write(f"  {username:<8} {role.label} — {agency}")
