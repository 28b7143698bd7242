"""Background work: writing large exports."""

from __future__ import annotations

from django_tasks import task

from homeward.exports.actions import export_job_run


@task()
def export_job_task(job_uuid: str) -> str:
    """Write a queued export; running it again does nothing (the job is no longer queued)."""
    return export_job_run(job_uuid=job_uuid).status
