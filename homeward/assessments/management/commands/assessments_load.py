from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.assessments.loader import assessments_load


class Command(BaseCommand):
    help = (
        "Load the assessment templates shipped in homeward/assessments/templates_data/ "
        "(versions already in the database are never changed)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        loaded, kept = assessments_load()
        self.stdout.write(f"Assessment templates: {loaded} loaded, {kept} already present.")
