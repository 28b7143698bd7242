"""The service catalogue (service types, providers) and referrals from cases to providers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import AgencyKind
from homeward.core.models import PublicModel
from homeward.core.validators import (
    reject_control_characters,
    reject_control_characters_single_line,
)

ONE_LINE = [reject_control_characters_single_line]
TEXT = [reject_control_characters]

# Agencies that may be listed as providers: state bodies, NGOs and service providers.
# Residential institutions are left out: an institution turned into a service gets its own
# agency of kind "service provider" (DOMAIN §6).
PROVIDER_AGENCY_KINDS = frozenset(AgencyKind.values) - {AgencyKind.INSTITUTION}
# Only non-state agencies work "under state social order" (a state contract).
SOCIAL_ORDER_AGENCY_KINDS = frozenset({AgencyKind.NGO, AgencyKind.SERVICE_PROVIDER})


def default_response_working_days() -> int:
    return int(settings.REFERRAL_RESPONSE_WORKING_DAYS)


class ServiceType(PublicModel):
    """A kind of prevention or family support service (DOMAIN §7), named in four languages."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Short, stable identifier; consents to sharing may name it."),
    )
    name_en = models.CharField(_("name (English)"), max_length=200, validators=ONE_LINE)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, validators=ONE_LINE)
    name_be = models.CharField(_("name (Belarusian)"), max_length=200, validators=ONE_LINE)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200, validators=ONE_LINE)
    response_working_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        default=default_response_working_days,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language, English where it is missing."""
        language = (get_language() or "en")[:2]
        name: str = getattr(self, f"name_{language}", "") or self.name_en
        return name

    def named_by(self, text: str) -> bool:
        """Whether a consent's free-text service type means this one (code or any name)."""
        wanted = text.strip().casefold()
        return bool(wanted) and wanted in {
            self.code.casefold(),
            self.name_en.casefold(),
            self.name_ru.casefold(),
            self.name_be.casefold(),
            self.name_bg.casefold(),
        }


class Provider(PublicModel):
    """An agency offering services in an area: a state body, or an NGO under social order."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="service_providers",
    )
    name = models.CharField(_("name"), max_length=300, validators=ONE_LINE)
    name_latin = models.CharField(
        _("name (Latin)"), max_length=300, blank=True, validators=ONE_LINE
    )
    service_types = models.ManyToManyField(
        ServiceType, verbose_name=_("services offered"), related_name="providers"
    )
    area = models.ForeignKey(
        "geo.Location",
        verbose_name=_("area covered"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
        help_text=_("Children or families it can serve at a time; empty when not limited."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True, validators=ONE_LINE)
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()\-]{5,39}$",
                _("Enter a phone number: digits, spaces, brackets, dashes, and + first."),
            )
        ],
    )
    email = models.EmailField(_("email"), blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True, validators=TEXT)
    under_state_social_order = models.BooleanField(_("under state social order"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "area"], name="provider_active_area_idx")]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(PublicModel):
    """A case referred to a provider for one service, under a standing consent to sharing.

    Its status moves along ``pipeline.ALLOWED_MOVES``; every move is a ``ReferralEvent``.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="referrals"
    )
    service_type = models.ForeignKey(
        ServiceType,
        verbose_name=_("service type"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    consent = models.ForeignKey(
        "cases.Consent", verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    # The share that opens the child's record to the provider's agency while the referral is
    # open; revoked when it is declined, withdrawn or completed.
    share = models.ForeignKey(
        "access.Share", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for referral"), max_length=2000, validators=TEXT)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(
        _("reason for declining"), max_length=2000, blank=True, validators=TEXT
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True, validators=TEXT)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(
        _("reason for withdrawing"), max_length=2000, blank=True, validators=TEXT
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "status"], name="referral_provider_idx"),
            models.Index(fields=["status", "escalated_at", "due_at"], name="referral_due_idx"),
            models.Index(fields=["case", "status"], name="referral_case_idx"),
            models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.provider_id} · {self.status}"


class ReferralEventType(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("Service started")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ESCALATED = "escalated", _("Escalated: not answered in time")


class ReferralEvent(models.Model):
    """The history of one referral: every move and the escalation, never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("event"), max_length=20, choices=ReferralEventType.choices)
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.type}"
