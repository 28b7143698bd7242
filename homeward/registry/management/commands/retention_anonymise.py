from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from homeward.cases.models import CaseStatus
from homeward.registry.actions import child_anonymise
from homeward.registry.models import Child


class Command(BaseCommand):
    help = (
        "Anonymise children whose case was closed more than RETENTION_YEARS_AFTER_CLOSURE "
        "years ago."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args: Any, **options: Any) -> None:
        years = settings.RETENTION_YEARS_AFTER_CLOSURE
        cutoff = timezone.localdate() - timedelta(days=round(365.25 * years))
        due = Child.objects.filter(
            anonymised_at__isnull=True,
            case__status=CaseStatus.CLOSED,
            case__closed_on__lt=cutoff,
        )
        if options["dry_run"]:
            self.stdout.write(f"{due.count()} closed records are past {years} years.")
            return
        count = 0
        for child in due.iterator():
            child_anonymise(actor=None, child=child)
            count += 1
        self.stdout.write(f"{count} closed records anonymised (closed before {cutoff}).")
