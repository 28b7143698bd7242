"""Reference data for indicators: the child population by area and year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Population(models.Model):
    """Children aged 0–17 living in an area in a year (imported from statistics offices)."""

    location = models.ForeignKey(
        "geo.Location", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    children = models.PositiveIntegerField(_("children aged 0–17"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "year"], name="population_unique")
        ]
        verbose_name = _("population")
        verbose_name_plural = _("population")

    def __str__(self) -> str:
        return f"{self.location_id} {self.year}: {self.children}"
