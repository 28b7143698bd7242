"""Import jobs: an uploaded file, its checks, and what importing it did."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel


class ImportKind(models.TextChoices):
    CENSUS = "census", _("Census of children in formal care")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    VALIDATING = "validating", _("Checking")
    VALID = "valid", _("Checked: ready to import")
    INVALID = "invalid", _("Refused: see the errors")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# The moves a job may make (checked by the actions); the last three are final.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    ImportStatus.QUEUED: frozenset({ImportStatus.VALIDATING, ImportStatus.FAILED}),
    ImportStatus.VALIDATING: frozenset(
        {ImportStatus.VALID, ImportStatus.INVALID, ImportStatus.IMPORTING, ImportStatus.FAILED}
    ),
    # a checked dry run goes back to the queue when the user asks to import it
    ImportStatus.VALID: frozenset({ImportStatus.QUEUED}),
    ImportStatus.IMPORTING: frozenset(
        {ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED}
    ),
    ImportStatus.INVALID: frozenset(),
    ImportStatus.DONE: frozenset(),
    ImportStatus.FAILED: frozenset(),
}
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING})


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


def import_storage() -> Storage:
    return storages["imports"]


def import_path(instance: ImportJob, filename: str) -> str:
    # A random name on disk; the original name is kept in the row only.
    return f"{instance.kind}/{instance.uuid}"


class ImportJob(PublicModel):
    kind = models.CharField(
        _("kind"), max_length=20, choices=ImportKind.choices, default=ImportKind.CENSUS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    dry_run = models.BooleanField(_("dry run"), default=True)
    # Emptied once the job is final: the census holds personal data, kept no longer than needed.
    file = models.FileField(
        storage=import_storage, upload_to=import_path, max_length=200, blank=True
    )
    file_format = models.CharField(max_length=8, choices=FileFormat.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    # The uploader's language: imported placements record their reason in it.
    language = models.CharField(max_length=8, default="en")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="importjob_user_idx")]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
