"""Append-only audit events, each chained to the previous one by a SHA-256 hash."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out")
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    PERMISSION_CHANGE = "permission_change", _("Changed permissions")
    BREAK_GLASS = "break_glass", _("Emergency access")
    TOKEN = "token", _("API token")
    SECOND_FACTOR = "second_factor", _("Second factor")


class AuditEvent(models.Model):
    """One thing that happened. Never deleted or altered (database triggers refuse it), except
    that the values of an anonymised record's changes may be redacted."""

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=40, blank=True)
    object_uuid = models.UUIDField(_("record"), null=True, blank=True, db_index=True)
    object_label = models.CharField(_("record label"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The chain covers a digest of the changes, so that an anonymised record's values can be
    # redacted here later without breaking the chain (only `changes` and `redacted` may change).
    changes_digest = models.CharField(max_length=64, editable=False)
    redacted = models.BooleanField(default=False, editable=False)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_idx"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_label}"
