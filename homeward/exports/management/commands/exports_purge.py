"""Delete the files of exports whose download links have expired (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.exports.actions import export_files_purge


class Command(BaseCommand):
    help = "Delete the files of exports whose download links have expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_files_purge()
        self.stdout.write(f"Export files deleted: {count}.")
