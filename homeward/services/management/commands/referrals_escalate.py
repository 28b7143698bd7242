from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.services.actions import referrals_escalate


class Command(BaseCommand):
    help = (
        "Escalate referrals not answered by their deadline: notify the sender's supervisor "
        "and the receiving agency's lead (in the app and by email). Run it from cron, e.g. "
        "every 15 minutes; a referral is escalated once however often it runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = referrals_escalate()
        self.stdout.write(f"{len(escalated)} referrals escalated.")
