from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.geo.loader import locations_load


class Command(BaseCommand):
    help = "Load or refresh the location tree from homeward/geo/data/locations.csv."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = locations_load()
        self.stdout.write(f"Locations: {created} created, {updated} updated.")
