"""Background work: escalating referrals that were not answered in time."""

from __future__ import annotations

from django_tasks import task

from homeward.services.actions import referrals_escalate


@task()
def referral_escalate(referral_uuid: str) -> int:
    """Run at a referral's deadline (on backends that defer): escalate it if still unanswered."""
    return len(referrals_escalate(referral_uuids=[referral_uuid]))


@task()
def referrals_escalate_all() -> int:
    """The sweep: escalate every overdue referral. Safe to run as often as wanted."""
    return len(referrals_escalate())
