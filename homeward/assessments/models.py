"""Assessment templates (versioned data) and the assessments made with them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.assessments.definition import tr
from homeward.core.models import PublicModel
from homeward.core.validators import reject_control_characters


class AssessmentTemplate(models.Model):
    """One version of a form. A version is never changed once saved: an edit is a new version,
    and every assessment keeps the version it was made with."""

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"))  # {"en", "ru", "be", "bg"}
    definition = models.JSONField(_("definition"))
    requires_approval = models.BooleanField(_("needs a supervisor's approval"), default=False)
    # Offered for new assessments; read on the highest version of a code only.
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_template_version")
        ]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def display_title(self) -> str:
        return tr(self.title)

    @property
    def case_risk_score(self) -> str | None:
        key: Any = self.definition.get("case_risk_score")
        return key if isinstance(key, str) else None


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class Assessment(PublicModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    template = models.ForeignKey(
        AssessmentTemplate,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("form"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # {score key: {"value": number or null, "level": level key or null}}, set on submission.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    completed_on = models.DateField(_("date of the assessment"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.CharField(
        _("comment"), max_length=500, blank=True, validators=[reject_control_characters]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="assessment_case_status_idx")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.template_id} {self.status}"

    @property
    def is_submitted(self) -> bool:
        """Handed in (and not sent back): its answers are complete and scored."""
        return self.status in {AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED}

    @property
    def is_final(self) -> bool:
        """Submitted and, where the form asks for it, approved: its answers count."""
        if self.status == AssessmentStatus.APPROVED:
            return True
        return self.status == AssessmentStatus.SUBMITTED and not self.template.requires_approval
