"""Export jobs: a list or indicator export written in the background, downloadable for a while."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel


class ExportKind(models.TextChoices):
    CHILDREN = "children", _("List of children")
    INDICATOR = "indicator", _("Indicator")
    INDICATORS = "indicators", _("Standard indicator workbook")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


ALLOWED_MOVES: dict[str, frozenset[str]] = {
    ExportStatus.QUEUED: frozenset({ExportStatus.RUNNING, ExportStatus.FAILED}),
    ExportStatus.RUNNING: frozenset({ExportStatus.DONE, ExportStatus.FAILED}),
    ExportStatus.DONE: frozenset(),
    ExportStatus.FAILED: frozenset(),
}


def export_storage() -> Storage:
    return storages["exports"]


def export_path(instance: ExportJob, filename: str) -> str:
    # A random name on disk; the file name people see is kept in the row.
    return f"{instance.kind}/{instance.uuid}"


class ExportJob(PublicModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    # What to export, as the page or API sent it; checked again when the job runs.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        storage=export_storage, upload_to=export_path, max_length=200, blank=True
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # A signed, timestamped token: the download link stops working when it is too old.
    link_token = models.CharField(max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, editable=False, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="exportjob_user_idx")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind} {self.format} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def expires_at(self) -> datetime.datetime | None:
        if self.finished_at is None or self.status != ExportStatus.DONE:
            return None
        return self.finished_at + datetime.timedelta(hours=settings.EXPORT_LINK_HOURS)
