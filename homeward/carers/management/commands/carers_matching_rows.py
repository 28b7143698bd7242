from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.carers.actions import matching_rows_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the ranking row of every foster carer household. The actions keep the rows "
        "in step; run this after loading households in bulk or moving locations in the tree."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = matching_rows_rebuild()
        self.stdout.write(f"{count} matching rows rebuilt.")
