from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.carers.actions import expiry_tasks


class Command(BaseCommand):
    help = (
        "Make tasks for the responsible workers before a foster carer's approval, check or "
        "document lapses (CARER_EXPIRY_NOTICE_DAYS ahead). Run it daily from cron; a task is "
        "made once however often it runs, and closes when the record is renewed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = expiry_tasks()
        self.stdout.write(f"{count} expiry tasks open for lapsing records.")
