from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from homeward.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Audit trail tools. `audit verify` checks the hash chain and names the first broken link."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{broken.seq} ({broken.uuid}): {broken.reason}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(f"Audit chain intact: {checked} events verified.")
