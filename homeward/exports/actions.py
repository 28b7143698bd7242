"""Exports: written at once when small, by the task worker when large; every one audited."""

from __future__ import annotations

import datetime
import io
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.core.forms import checked
from homeward.exports import tables as t
from homeward.exports.models import (
    ALLOWED_MOVES,
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportStatus,
)
from homeward.exports.writers import Progress, csv_chunks, write_csv, write_pdf, write_xlsx
from homeward.registry.forms import ChildFilterForm

if TYPE_CHECKING:
    from homeward.accounts.models import User

logger = logging.getLogger(__name__)

KIND_PERMISSION = {
    ExportKind.CHILDREN: Perm.CHILD_VIEW,
    ExportKind.INDICATOR: Perm.REPORT_VIEW,
    ExportKind.INDICATORS: Perm.REPORT_VIEW,
}
KIND_FORMATS = {
    ExportKind.CHILDREN: frozenset(ExportFormat.values),
    ExportKind.INDICATOR: frozenset(ExportFormat.values),
    # a workbook of sheets; CSV has no sheets
    ExportKind.INDICATORS: frozenset({ExportFormat.XLSX, ExportFormat.PDF}),
}
# The query parameters each kind takes: those of its page.
KIND_PARAMS = {
    ExportKind.CHILDREN: frozenset({*t.CHILD_FILTERS, "sort"}),
    ExportKind.INDICATOR: frozenset({"indicator", "date", "area", "by"}),
    ExportKind.INDICATORS: frozenset({"date", "area"}),
}
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
SIGNING_SALT = "homeward.exports.download"
PROGRESS_EVERY = 2000


class ExportLinkExpired(Exception):
    """The download link is older than EXPORT_LINK_HOURS."""


@dataclass
class Prepared:
    """A checked export request: what it is and how many rows it will have."""

    kind: str
    format: str
    params: dict[str, Any]
    rows: int
    tables: Iterator[t.Table]  # built lazily, when they are written


def _check_kind(user: Any, kind: str, fmt: str) -> None:
    if kind not in KIND_PERMISSION:
        raise ValidationError({"kind": _("Unknown kind of export.")})
    if not has_perm(user, KIND_PERMISSION[ExportKind(kind)]):
        raise PermissionDenied
    if fmt not in KIND_FORMATS[ExportKind(kind)]:
        raise ValidationError({"format": _("This export cannot be made in that format.")})


def _tables(
    user: Any, kind: str, fmt: str, params: dict[str, Any]
) -> tuple[int, Iterator[t.Table]]:
    """The export's tables and its size (rows of a list, sheets of a workbook)."""
    if kind == ExportKind.CHILDREN:
        table = t.children_table(user, checked(ChildFilterForm, params).filters())
        return table.count, iter([table])
    if kind == ExportKind.INDICATOR:
        chosen = t.indicator_params(params)
        build = t.indicator_csv_table if fmt == ExportFormat.CSV else t.indicator_table
        table = build(user, chosen)
        return table.count, iter([table])
    standard = t.standard_params(params)
    return len(t.standard_sheets(standard)) + 1, t.standard_tables(user, standard)


def export_prepare(*, user: Any, kind: str, fmt: str, params: dict[str, Any]) -> Prepared:
    """Check who asks for what; count the rows (the tables are built lazily)."""
    _check_kind(user, kind, fmt)
    allowed = KIND_PARAMS[ExportKind(kind)]
    clean = {str(k): str(v) for k, v in params.items() if k in allowed and v not in (None, "")}
    rows, tables = _tables(user, kind, fmt, clean)
    too_long = kind == ExportKind.CHILDREN and rows > settings.EXPORT_PDF_MAX_ROWS
    if fmt == ExportFormat.PDF and too_long:
        raise ValidationError(
            {
                "format": _(
                    "A PDF holds at most %(max)s rows and this list has %(count)s: "
                    "choose CSV or Excel."
                )
                % {"max": settings.EXPORT_PDF_MAX_ROWS, "count": rows}
            }
        )
    return Prepared(kind, fmt, clean, rows, tables)


def runs_in_background(prepared: Prepared) -> bool:
    """Large lists and the standard workbook are written by the task worker."""
    return prepared.kind == ExportKind.INDICATORS or prepared.rows > settings.EXPORT_SYNC_MAX_ROWS


def export_filename(kind: str, fmt: str) -> str:
    return f"{kind}-{timezone.localdate().isoformat()}.{fmt}"


def export_audit(
    *, actor: Any, kind: str, fmt: str, rows: int, params: dict[str, Any], obj: Any = None
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=obj,
        changes={
            "kind": [None, kind],
            "format": [None, fmt],
            "rows": [None, rows],
            "filters": [None, ", ".join(f"{k}={v}" for k, v in sorted(params.items()))],
        },
        detail=f"{kind} {fmt}",
    )


def _write(
    fmt: str, tables: Iterator[t.Table], out: IO[bytes], progress: Progress | None = None
) -> None:
    if fmt == ExportFormat.CSV:
        write_csv(next(tables), out, progress)
    elif fmt == ExportFormat.XLSX:
        write_xlsx(tables, out, progress)
    else:
        write_pdf(tables, out, progress)


@transaction.atomic
def export_now(*, actor: User, prepared: Prepared) -> bytes:
    """A small export, written in the request; audited."""
    out = io.BytesIO()
    _write(prepared.format, prepared.tables, out)
    export_audit(
        actor=actor,
        kind=prepared.kind,
        fmt=prepared.format,
        rows=prepared.rows,
        params=prepared.params,
    )
    return out.getvalue()


def export_stream(*, actor: User, prepared: Prepared) -> Iterator[str]:
    """A CSV export as a stream of text chunks, audited before the first byte goes out.

    The rows are read from the database in chunks as the response is sent, so a list of a
    million children passes through in constant memory.
    """
    export_audit(
        actor=actor,
        kind=prepared.kind,
        fmt=prepared.format,
        rows=prepared.rows,
        params=prepared.params,
    )
    return csv_chunks(next(prepared.tables))


# --- background exports ----------------------------------------------------------------------


def _enqueue(job: ExportJob) -> None:
    from homeward.exports.tasks import export_job_task

    uuid = str(job.uuid)
    transaction.on_commit(lambda: export_job_task.enqueue(uuid))


@transaction.atomic
def export_job_create(*, actor: User, prepared: Prepared) -> ExportJob:
    """Queue an export for the task worker; the user follows it on the job's page."""
    job = ExportJob(
        kind=prepared.kind,
        format=prepared.format,
        params=prepared.params,
        rows_total=prepared.rows,
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        filename=export_filename(prepared.kind, prepared.format),
        content_type=CONTENT_TYPES[ExportFormat(prepared.format)],
    )
    job.full_clean(exclude=["file", "created_by"])
    job.save()
    _enqueue(job)
    return job


def _move(job: ExportJob, status: str, **fields: Any) -> bool:
    if status not in ALLOWED_MOVES[job.status]:
        return False
    moved = ExportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=status, updated_at=timezone.now(), **fields
    )
    if moved:
        job.status = status
        for name, value in fields.items():
            setattr(job, name, value)
    return bool(moved)


def _counted(job: ExportJob, tables: Iterator[t.Table]) -> Iterator[t.Table]:
    """Progress of a workbook: one step per sheet."""
    for done, table in enumerate(tables, start=1):
        yield table
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def export_job_run(*, job_uuid: str) -> ExportJob:
    """The task's work: write the file to private storage and sign its download link.

    A job that is not queued is left alone, so that a task run twice writes once.
    """
    job = ExportJob.objects.select_related("created_by").get(uuid=job_uuid)
    if not _move(job, ExportStatus.RUNNING, rows_done=0):
        return job
    try:
        with translation.override(job.language):
            _run(job)
    except Exception:
        logger.exception("Export %s failed", job.uuid)
        _move(job, ExportStatus.FAILED, finished_at=timezone.now())
    return job


def _run(job: ExportJob) -> None:
    user = job.created_by
    prepared = export_prepare(user=user, kind=job.kind, fmt=job.format, params=job.params)

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    tables = prepared.tables
    progress_rows: Progress | None = progress
    if job.kind == ExportKind.INDICATORS:
        tables, progress_rows = _counted(job, tables), None
    with tempfile.TemporaryFile() as out:
        _write(job.format, tables, out, progress_rows)
        out.seek(0)
        with transaction.atomic():
            job.file.save(job.uuid.hex, File(out), save=False)
            token = signing.TimestampSigner(salt=SIGNING_SALT).sign(str(job.uuid))
            _move(
                job,
                ExportStatus.DONE,
                file=job.file.name,
                link_token=token,
                rows_total=prepared.rows,
                rows_done=prepared.rows,
                finished_at=timezone.now(),
            )
            export_audit(
                actor=user,
                kind=job.kind,
                fmt=job.format,
                rows=prepared.rows,
                params=job.params,
                obj=job,
            )


def export_link_check(job: ExportJob, token: str) -> None:
    """A download needs the job's own signed token, younger than EXPORT_LINK_HOURS."""
    if job.status != ExportStatus.DONE or not job.file or not token:
        raise Http404
    signer = signing.TimestampSigner(salt=SIGNING_SALT)
    try:
        value = signer.unsign(token, max_age=datetime.timedelta(hours=settings.EXPORT_LINK_HOURS))
    except signing.SignatureExpired:
        raise ExportLinkExpired from None
    except signing.BadSignature:
        raise Http404 from None
    if value != str(job.uuid):
        raise Http404


@transaction.atomic
def export_download(*, actor: User, job: ExportJob, token: str) -> File[Any]:
    """Open a finished export for its owner, through a valid link; each download audited."""
    if not has_perm(actor, KIND_PERMISSION[ExportKind(job.kind)]):
        raise PermissionDenied
    export_link_check(job, token)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=job,
        changes={"rows": [None, job.rows_total]},
        detail=f"download {job.kind} {job.format}",
    )
    storage: Storage = job.file.storage
    return storage.open(job.file.name, "rb")


def export_files_purge() -> int:
    """Delete the files of exports whose links have expired; the jobs stay, for the record."""
    cutoff = timezone.now() - datetime.timedelta(hours=settings.EXPORT_LINK_HOURS)
    count = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="", link_token="")
        count += 1
    return count
