"""Residential institutions and their residents."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel


class InstitutionKind(models.TextChoices):
    INFANT_HOME = "infant_home", _("Infant home")
    CHILDRENS_HOME = "childrens_home", _("Children's home")
    BOARDING_SCHOOL = "boarding_school", _("Boarding school")
    DISABILITY_HOME = "disability_home", _("Home for children with disabilities")
    SMALL_GROUP_HOME = "small_group_home", _("Small group home")
    SOCIAL_SHELTER = "social_shelter", _("Social shelter")


class Institution(PublicModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_latin = models.CharField(_("name (Latin)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=InstitutionKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("operating agency"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    location = models.ForeignKey(
        "geo.Location", verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    is_active = models.BooleanField(_("operating"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class Residence(models.Model):
    """A child's stay in an institution: admitted, and left (empty while still there)."""

    uuid = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="residences"
    )
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="residences")
    admitted_on = models.DateField(_("admitted"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        ordering = ["-admitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("admitted_on")),
                name="residence_left_after_admitted",
            ),
        ]
        indexes = [models.Index(fields=["institution", "left_on"], name="residence_open_idx")]
        verbose_name = _("residence")
        verbose_name_plural = _("residences")

    def __str__(self) -> str:
        return f"{self.child_id} @ {self.institution_id} from {self.admitted_on}"
