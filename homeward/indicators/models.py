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


class PlacementFact(models.Model):
    """What the indicators read about one placement, worked out once from all the child's
    placements (DOMAIN §9 episodes) by ``indicators.facts`` whenever they change, so that each
    indicator is one scan of this narrow table with plain predicates instead of correlated
    subqueries over the placements. Never edited by hand: ``manage.py indicators_facts``
    rebuilds it.

    The field names shared with ``care.Placement`` mean the same, so area filters and
    disaggregations read either.
    """

    placement = models.OneToOneField(
        "care.Placement", primary_key=True, on_delete=models.CASCADE, related_name="fact"
    )
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="+")
    care_type = models.CharField(max_length=30)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    region = models.ForeignKey(
        "geo.Location", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "geo.Location", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    start = models.DateField()
    end = models.DateField(null=True)
    exit_destination = models.CharField(max_length=20, blank=True)
    # the child's, copied: stocks take the age on D from the date of birth
    born = models.DateField()
    sex = models.CharField(max_length=1)
    disability = models.BooleanField()
    # whole years on the placement's start and end (flows count the age at the event)
    age_at_start = models.SmallIntegerField()
    age_at_end = models.SmallIntegerField(null=True)
    # days from the placement's gatekeeping decision to its start (negative: decided after)
    days_to_placement = models.SmallIntegerField(null=True)
    # episodes: an entry has no earlier placement ending within a day before its start; an
    # exit has ended and no later placement starts within a day after its end
    is_entry = models.BooleanField()
    is_exit = models.BooleanField()
    next_family = models.BooleanField()  # a family-based placement follows within a day
    next_residential = models.BooleanField()  # a residential placement follows within a day
    episode_order = models.PositiveSmallIntegerField()  # placements of the episode so far
    # FC3 and MOVED: a residential placement that ended in family-based care or home (followed
    # by a family-based placement, or ending the episode reunified or adopted); the end of the
    # child's latest such move before this placement's end (a child counts once, by the first
    # move of the period)
    moved_to_family = models.BooleanField()
    previous_move_end = models.DateField(null=True)
    # RU12 on an entry: the episode it begins ended reunified within 12 months of its start;
    # RE12 on an exit: the child entered care again within 12 months of its end
    reunified_within_a_year = models.BooleanField()
    reentered_within_a_year = models.BooleanField()
    previous_entry = models.DateField(null=True)  # the child's latest entry before the start
    previous_reunified_exit = models.DateField(null=True)  # ... exit as reunified before the end
    last_review_on = models.DateField(null=True)  # the placement's latest review (FC9)
    # the approved care plan of the child's case: when it was decided (local date) and when
    # its next review is due (FC7)
    plan_decided_on = models.DateField(null=True)
    plan_review_due = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["child"], name="fact_child_idx"),
            # an area's or an institution's indicators read their rows, not the country's
            models.Index(fields=["region"], name="fact_region_idx"),
            models.Index(fields=["district"], name="fact_district_idx"),
            models.Index(fields=["institution"], name="fact_institution_idx"),
            # FC9 on a past day: the few placements reviewed since
            models.Index(fields=["last_review_on"], name="fact_last_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.care_type} {self.start}–{self.end or ''}"
