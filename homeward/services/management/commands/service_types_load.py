from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.services.catalogue import service_types_load


class Command(BaseCommand):
    help = "Add the starting service types (DOMAIN §7) that are missing; edits are kept."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{service_types_load()} service types added.")
