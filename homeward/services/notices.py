"""The wording of escalation notices, shared by the action that stores them and the page
that shows them again in the reader's language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeward.services.models import Referral

ESCALATION_PREFIX = "referral-escalation:"


def escalation_source(referral: Referral) -> str:
    """Notification.source: one notice per referral and person, however often the sweep runs."""
    return f"{ESCALATION_PREFIX}{referral.uuid}"


def escalation_text(referral: Referral) -> str:
    """No child's name: only the case number, the provider and the service."""
    due = date_format(timezone.localtime(referral.due_at), "SHORT_DATETIME_FORMAT")
    return _(
        "Referral of case %(number)s to %(provider)s (%(service)s) was not answered by %(due)s."
    ) % {
        "number": referral.case.child.case_number,
        "provider": referral.provider.name,
        "service": referral.service_type.display_name,
        "due": due,
    }
