"""The location tree: country > region > district > locality."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    LOCALITY = "locality", _("Locality")


LEVEL_DEPTH = {Level.COUNTRY: 0, Level.REGION: 1, Level.DISTRICT: 2, Level.LOCALITY: 3}


class Location(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    # Codes of every ancestor and this one, joined by "/": subtree queries are a prefix match.
    path = models.CharField(max_length=200, unique=True, editable=False)
    name_local = models.CharField(_("name (local)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_latin = models.CharField(_("name (Latin)"), max_length=200)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return name_for_reader(self.name_latin, self.name_ru, self.name_local)

    @property
    def country_code(self) -> str:
        return self.path.split("/", 1)[0]


def name_for_reader(
    name_latin: str, name_ru: str, name_local: str, language: str | None = None
) -> str:
    """The name in the reader's language where we have it, else the local name.

    ``language``: the reader's, when the caller names many places at once."""
    language = language or (get_language() or "en")[:2]
    if language == "en":
        return name_latin
    if language == "ru" and name_ru:
        return name_ru
    return name_local
