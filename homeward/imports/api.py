"""Census imports through the API: upload (a dry run by default), status and report, commit."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from homeward.api.common import Page, PageParams, field_error, page_of
from homeward.core.requests import actor_of
from homeward.imports import actions, selectors
from homeward.imports.census import present_issues
from homeward.imports.models import ImportJob

router = Router(tags=["imports"])


class ImportIssueOut(Schema):
    line: int = Field(description="Line of the file (1 is the header); 0: the whole file.")
    column: str
    code: str
    message: str


class ImportJobOut(Schema):
    id: uuid.UUID
    kind: str
    status: str = Field(
        description="queued, validating, valid (dry run without errors), invalid, importing, "
        "done or failed."
    )
    dry_run: bool
    original_name: str
    file_format: str
    size: int
    agency: str
    rows_done: int
    rows_total: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    counts: dict[str, int] = Field(
        description="children_new, children_existing, placements_new, placements_ended and "
        "placements_unchanged: what the import did, or would do after a dry run."
    )
    error_count: int
    errors: list[ImportIssueOut]
    warning_count: int
    warnings: list[ImportIssueOut]


COUNTS = (
    "children_new",
    "children_existing",
    "placements_new",
    "placements_ended",
    "placements_unchanged",
)


def job_out(job: ImportJob) -> dict[str, Any]:
    report = job.report or {}
    return {
        "id": job.uuid,
        "kind": job.kind,
        "status": job.status,
        "dry_run": job.dry_run,
        "original_name": job.original_name,
        "file_format": job.file_format,
        "size": job.size,
        "agency": job.agency.code,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "counts": {name: report[name] for name in COUNTS if name in report},
        "error_count": report.get("error_count", 0),
        "errors": present_issues(report.get("errors", [])),
        "warning_count": report.get("warning_count", 0),
        "warnings": present_issues(report.get("warnings", [])),
    }


@router.get("/imports", response=Page[ImportJobOut], url_name="import_list")
def import_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    page = page_of(selectors.import_jobs_for_user(request.user), paging)
    page["items"] = [job_out(job) for job in page["items"]]
    return page


@router.post("/imports", response={202: ImportJobOut}, url_name="import_list")
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    agency: Form[str] = "",
) -> tuple[int, dict[str, Any]]:
    """Upload a census file (CSV or XLSX, see docs/import.md). It is checked in the background;
    read the job for progress and the report. Without ``dry_run`` a file without errors is
    imported at once."""
    agencies = selectors.import_agencies(request.user)
    if agency:
        chosen = next((a for a in agencies if a.code == agency), None)
        if chosen is None:
            raise field_error("agency", _("You cannot import for this agency."))
    elif len(agencies) == 1:
        chosen = agencies[0]
    else:
        raise field_error("agency", _("Choose the agency: you import for several."))
    job = actions.import_job_create(
        actor=actor_of(request), upload=file, agency=chosen, dry_run=dry_run
    )
    return 202, job_out(job)


@router.get("/imports/{job_id}", response=ImportJobOut, url_name="import_detail")
def import_detail(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return job_out(selectors.import_job_get(request.user, job_id))


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut}, url_name="import_commit")
def import_commit(request: HttpRequest, job_id: uuid.UUID) -> tuple[int, dict[str, Any]]:
    """Import a file whose dry run found no errors."""
    job = selectors.import_job_get(request.user, job_id)
    job = actions.import_job_commit(actor=actor_of(request), job=job)
    return 202, job_out(job)
