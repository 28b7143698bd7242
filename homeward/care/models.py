"""Gatekeeping decisions, placements in formal care, and placement reviews (DOMAIN §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel
from homeward.core.validators import reject_control_characters

TEXT = [reject_control_characters]


class CareType(models.TextChoices):
    KINSHIP = "kinship", _("Kinship care")
    GUARDIANSHIP = "guardianship", _("Guardianship by non-relatives")
    FOSTER = "foster", _("Foster family")
    FOSTER_PROFESSIONAL = "foster_professional", _("Professional foster family")
    FAMILY_TYPE_HOME = "family_type_home", _("Family-type children's home")
    SMALL_GROUP_HOME = "small_group_home", _("Small group home")
    INSTITUTION = "institution", _("Residential institution")
    INDEPENDENT_LIVING = "independent_living", _("Supervised independent living")


FAMILY_BASED = frozenset(
    {
        CareType.KINSHIP,
        CareType.GUARDIANSHIP,
        CareType.FOSTER,
        CareType.FOSTER_PROFESSIONAL,
        CareType.FAMILY_TYPE_HOME,
    }
)
RESIDENTIAL = frozenset({CareType.SMALL_GROUP_HOME, CareType.INSTITUTION})


class ExitDestination(models.TextChoices):
    REUNIFIED = "reunified", _("Returned to parents")
    ADOPTED = "adopted", _("Adopted")
    OTHER_FORMAL_CARE = "other_formal_care", _("Moved to another care type")
    AGED_OUT = "aged_out", _("Aged out of care")
    DEATH = "death", _("Died")
    OTHER = "other", _("Other")


class GatekeepingOutcome(models.TextChoices):
    PLACE = "place", _("Placement in formal care is necessary")
    FAMILY_SUPPORT = "family_support", _("Support the family instead")


class PlacementWarning(models.TextChoices):
    UNDER_3_RESIDENTIAL = "under_3_residential", _("A child under 3 in residential care")
    SIBLINGS_SEPARATED = "siblings_separated", _("Siblings placed apart")
    OUTSIDE_HOME_DISTRICT = "outside_home_district", _("Placed outside the home district")
    MANY_PLACEMENTS = "many_placements", _("More than 2 placements in this episode")
    GATEKEEPING_MISSING = (
        "gatekeeping_missing",
        _("Emergency placement without a gatekeeping decision"),
    )


class GatekeepingDecision(PublicModel):
    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="gatekeeping_decisions"
    )
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("decision"), max_length=20, choices=GatekeepingOutcome.choices)
    care_type = models.CharField(
        _("care type chosen"), max_length=30, choices=CareType.choices, blank=True
    )
    necessity = models.TextField(
        _("necessity: family support tried, or why none could work"),
        max_length=5000,
        validators=TEXT,
    )
    suitability = models.TextField(
        _("suitability: why this care type and setting"), max_length=5000, validators=TEXT
    )
    alternatives = models.TextField(_("alternatives considered"), max_length=5000, validators=TEXT)
    assessment_reference = models.CharField(
        _("assessment it rests on"), max_length=200, validators=TEXT
    )
    decision_maker = models.CharField(_("decision maker"), max_length=200, validators=TEXT)
    legal_basis = models.CharField(_("legal basis"), max_length=300, validators=TEXT)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("gatekeeping decision")
        verbose_name_plural = _("gatekeeping decisions")

    def __str__(self) -> str:
        return f"{self.child_id} {self.decided_on} {self.outcome}"


class Placement(PublicModel):
    """A stay in formal care: from start up to, not including, end (DOMAIN §9)."""

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="placements")
    care_type = models.CharField(_("care type"), max_length=30, choices=CareType.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    provider_name = models.CharField(
        _("carer or provider"), max_length=300, blank=True, validators=TEXT
    )
    region = models.ForeignKey(
        "geo.Location", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "geo.Location", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, validators=TEXT)
    exit_destination = models.CharField(
        _("exit destination"), max_length=20, choices=ExitDestination.choices, blank=True
    )
    emergency = models.BooleanField(_("emergency placement"), default=False)
    gatekeeping = models.ForeignKey(
        GatekeepingDecision,
        verbose_name=_("gatekeeping decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=False) | Q(exit_destination=""),
                name="placement_exit_needs_end",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "start"], name="placement_child_idx"),
            models.Index(fields=["start", "end"], name="placement_dates_idx"),
            models.Index(fields=["care_type", "start"], name="placement_type_idx"),
        ]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.child_id} {self.care_type} {self.start}–{self.end or ''}"

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def warning_labels(self) -> list[str]:
        labels = dict(PlacementWarning.choices)
        return [str(labels.get(code, code)) for code in self.warnings]


class PlacementReview(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=TEXT)
    next_review_on = models.DateField(_("next review"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [
            models.Index(fields=["placement", "reviewed_on"], name="review_placement_idx"),
            # FC9 (indicators): the reviews of a period, read from the index alone on PostgreSQL
            models.Index(fields=["reviewed_on"], include=["placement"], name="review_date_idx"),
        ]
        verbose_name = _("placement review")
        verbose_name_plural = _("placement reviews")

    def __str__(self) -> str:
        return f"{self.placement_id} {self.reviewed_on}"
