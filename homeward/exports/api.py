"""Exports through the API: the child list streamed as CSV, and background exports."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from homeward.core.requests import actor_of
from homeward.exports import actions, selectors
from homeward.exports.models import ExportFormat, ExportJob, ExportKind
from homeward.registry.api import ChildQuery

router = Router(tags=["exports"])


class ExportIn(Schema):
    kind: str = Field(description="children, indicator, or indicators (the standard workbook).")
    format: str = Field("csv", description="csv, xlsx or pdf (the workbook: xlsx or pdf).")
    params: dict[str, str | int | bool | None] = Field(
        default_factory=dict,
        description="The page's filters: for children q, sex, legal_status, age_band, "
        "disability (yes/no), location, institution, sort; for an indicator indicator, date, "
        "area, by; for the workbook date and area.",
    )

    model_config = {"extra": "forbid"}


class ExportJobOut(Schema):
    id: uuid.UUID
    kind: str
    format: str
    status: str = Field(description="queued, running, done or failed.")
    rows_total: int
    rows_done: int
    filename: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    download_url: str | None = Field(
        description="Valid until expires_at; send your bearer token with it."
    )


def job_out(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    link = None
    if job.link_token and job.file:
        link = request.build_absolute_uri(
            f"/api/v1/exports/{job.uuid}/download?token={job.link_token}"
        )
    return {
        "id": job.uuid,
        "kind": job.kind,
        "format": job.format,
        "status": job.status,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "filename": job.filename,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "download_url": link,
    }


def _prepare(request: HttpRequest, kind: str, fmt: str, params: dict[str, Any]) -> Any:
    try:
        return actions.export_prepare(user=request.user, kind=kind, fmt=fmt, params=params)
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None


@router.get("/exports/children.csv", url_name="export_children_csv")
def children_csv(request: HttpRequest, filters: Query[ChildQuery]) -> StreamingHttpResponse:
    """The children you may see, with the child list's filters, as CSV streamed row by row.

    Any number of rows; cells that a spreadsheet would run as formulas start with an
    apostrophe. Every export is recorded in the audit trail."""
    disability = None if filters.disability is None else ("yes" if filters.disability else "no")
    params = {
        "q": filters.search,
        "sex": filters.sex,
        "legal_status": filters.legal_status,
        "location": filters.location,
        "disability": disability,
        "age_band": filters.age_band,
        "institution": filters.institution,
        "sort": filters.sort,
    }
    prepared = _prepare(request, ExportKind.CHILDREN, ExportFormat.CSV, params)
    response = StreamingHttpResponse(
        actions.export_stream(actor=actor_of(request), prepared=prepared),
        content_type=actions.CONTENT_TYPES[ExportFormat.CSV],
    )
    filename = actions.export_filename(ExportKind.CHILDREN, ExportFormat.CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post("/exports", response={202: ExportJobOut}, url_name="export_list")
def export_create(request: HttpRequest, payload: ExportIn) -> tuple[int, dict[str, Any]]:
    """Write an export in the background; read the job for progress and its download link."""
    params = {
        k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in payload.params.items()
    }
    prepared = _prepare(request, payload.kind, payload.format, params)
    job = actions.export_job_create(actor=actor_of(request), prepared=prepared)
    return 202, job_out(request, job)


@router.get("/exports/{job_id}", response=ExportJobOut, url_name="export_detail")
def export_detail(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return job_out(request, selectors.export_job_get(request.user, job_id))


@router.get("/exports/{job_id}/download", url_name="export_download")
def export_download(request: HttpRequest, job_id: uuid.UUID, token: str = "") -> FileResponse:
    """The exported file, while its link is valid (410 once it has expired)."""
    job = selectors.export_job_get(request.user, job_id)
    try:
        handle = actions.export_download(actor=actor_of(request), job=job, token=token)
    except actions.ExportLinkExpired:
        raise HttpError(410, _("The download link has expired: export again.")) from None
    except PermissionDenied:
        raise HttpError(403, _("You do not have permission to do this.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=job.content_type
    )
