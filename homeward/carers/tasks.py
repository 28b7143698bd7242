"""Background work: tasks before carers' approvals, checks and documents lapse."""

from __future__ import annotations

from django_tasks import task

from homeward.carers.actions import expiry_tasks


@task()
def carers_expiry_tasks() -> int:
    """The daily sweep; safe to run as often as wanted (each task is made once)."""
    return expiry_tasks()
