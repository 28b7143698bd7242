"""Background work: checking and importing an uploaded census."""

from __future__ import annotations

from django_tasks import task

from homeward.imports.actions import import_job_run


@task()
def import_job_task(job_uuid: str) -> str:
    """Run a queued import job; running it again does nothing (the job is no longer queued)."""
    return import_job_run(job_uuid=job_uuid).status
