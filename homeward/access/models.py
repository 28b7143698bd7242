"""What was shared with whom, and emergency (break-glass) access."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShareSource(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    REFERRAL = "referral", _("Referral")


class Share(models.Model):
    """A child's record shared with a working group or an agency, under a recorded consent.

    It counts while it is not revoked, not past its end date, and its consent stands.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="shares")
    source = models.CharField(_("shared through"), max_length=20, choices=ShareSource.choices)
    working_group = models.ForeignKey(
        "accounts.WorkingGroup",
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
    )
    consent = models.ForeignKey(
        "cases.Consent", verbose_name=_("consent"), on_delete=models.PROTECT, related_name="shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    shared_on = models.DateField(_("shared on"))
    until = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(working_group__isnull=False, agency__isnull=True)
                    | Q(working_group__isnull=True, agency__isnull=False)
                ),
                name="share_one_recipient",
            )
        ]
        verbose_name = _("share")
        verbose_name_plural = _("shares")

    def __str__(self) -> str:
        return f"{self.child_id} → {self.working_group_id or self.agency_id}"


class BreakGlass(models.Model):
    """Time-limited access to one record outside the user's scope, with the reason given."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass"
    )
    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="break_glass"
    )
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_idx")]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency access")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.child_id} until {self.expires_at:%Y-%m-%d %H:%M}"
