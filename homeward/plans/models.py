"""The individual care plan of each child: goals, actions, approval and reviews."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel
from homeward.core.validators import reject_control_characters

TEXT = [reject_control_characters]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    SUPERSEDED = "superseded", _("Replaced by a newer plan")


class GoalDomain(models.TextChoices):
    HEALTH = "health", _("Health")
    DEVELOPMENT = "development", _("Development")
    EDUCATION = "education", _("Education")
    EMOTIONAL = "emotional", _("Emotional well-being")
    FAMILY = "family", _("Family relationships")
    LIVING = "living", _("Living situation and care")
    SOCIAL = "social", _("Social and legal")
    INDEPENDENCE = "independence", _("Independent living")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewOutcome(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    GOALS_MET = "goals_met", _("Goals met")


class CarePlan(PublicModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True, max_length=5000, validators=TEXT)
    starts_on = models.DateField(_("starts"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.CharField(max_length=500, blank=True, validators=TEXT)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="plan_case_status_idx"),
            # FC7 (indicators): the approved plans not yet due for review on a day, read from
            # the index alone on PostgreSQL
            models.Index(
                fields=["status", "next_review_on"],
                include=["case", "decided_at"],
                name="plan_review_due_idx",
            ),
        ]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")

    def __str__(self) -> str:
        return f"{self.case_id} {self.status} {self.starts_on}"


class Goal(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    uuid = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    domain = models.CharField(_("domain"), max_length=20, choices=GoalDomain.choices)
    text = models.CharField(_("goal"), max_length=500, validators=TEXT)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class PlanAction(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    uuid = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    text = models.CharField(_("action"), max_length=500, validators=TEXT)
    responsible = models.CharField(_("responsible person"), max_length=200, validators=TEXT)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return self.text


class PlanReview(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=15, choices=ReviewOutcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=5000, validators=TEXT)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.reviewed_on}"
