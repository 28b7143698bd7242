"""Users, agencies, teams and memberships (a user's role in an agency)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from homeward.access.roles import Role


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Raised by "log out everywhere": every session signed with an older value ends.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "homeward.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    REGIONAL_BODY = "regional_body", _("Regional body")
    DISTRICT_BODY = "district_body", _("District body")
    SOCIAL_EDUCATIONAL_CENTRE = "social_educational_centre", _("Social educational centre")
    CHILD_PROTECTION_DEPARTMENT = "child_protection_department", _("Child protection department")
    INSTITUTION = "institution", _("Residential institution")
    NGO = "ngo", _("Non-governmental organisation")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class Agency(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_latin = models.CharField(_("name (Latin)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_agencies",
    )
    area = models.ForeignKey(
        "geo.Location",
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # Codes of the agency and its ancestors joined by "/": sub-agency queries are a prefix match.
    path = models.CharField(max_length=400, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_memberships",
        help_text=_("For institution staff: the institution they work in."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class WorkingGroup(models.Model):
    """An interdepartmental working group: education, health, social protection, NGOs."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    area = models.ForeignKey(
        "geo.Location", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        User, verbose_name=_("members"), related_name="working_groups", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app message to one user (escalations, approvals waiting, ...)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The record and reason that raised it, so that the same alert is raised once.
    source = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text
