"""A child's case (who works on it) and the consents recorded for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel
from homeward.core.validators import reject_control_characters


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment", _("Comprehensive assessment")
    CASE_PLANNING = "case_planning", _("Case planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    REVIEW = "review", _("Review")
    CLOSED = "closed", _("Closed")


class Case(PublicModel):
    """One case per child: it is reopened, never duplicated. Its number is the child's."""

    child = models.OneToOneField(
        "registry.Child", on_delete=models.CASCADE, related_name="case", verbose_name=_("child")
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_cases",
        verbose_name=_("case manager"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_cases",
        verbose_name=_("supervisor"),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["case_manager"], name="case_manager_idx"),
            models.Index(fields=["team"], name="case_team_idx"),
            models.Index(fields=["status", "closed_on"], name="case_status_idx"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"{self.child_id} · {self.status}"


class CaseAssignment(models.Model):
    """Another worker assigned to a case beside its case manager, for as long as needed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments"
    )
    assigned_on = models.DateField(_("assigned"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class ConsentKind(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    DATA_COLLECTION = "data_collection", _("Data collection")
    SHARING = "sharing", _("Sharing with a named agency or service")
    REPORTING = "reporting", _("Non-identifiable reporting")


class ConsentGiver(models.TextChoices):
    CAREGIVER = "caregiver", _("Caregiver")
    CHILD = "child", _("Child")
    BOTH = "both", _("Caregiver and child")


class Consent(PublicModel):
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    given_on = models.DateField(_("given on"))
    # For sharing: with whom. One of these is set for kind=sharing, none otherwise.
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    working_group = models.ForeignKey(
        "accounts.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("working group"),
    )
    service_type = models.CharField(_("service type"), max_length=60, blank=True)
    notes = models.CharField(
        _("notes"), max_length=500, blank=True, validators=[reject_control_characters]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.kind} · {self.given_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
