"""Matching: the weights of each region, what a child needs from carers beyond the register,
and proposals (ranked or batch) stored with the weights that made them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel
from homeward.core.validators import reject_control_characters


class MatchingWeights(models.Model):
    """The weights of the matching criteria in one region (the defaults apply elsewhere)."""

    region = models.OneToOneField(
        "geo.Location", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    weights = models.JSONField(_("weights"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return f"{self.region_id}"


class NeedTerm(models.TextChoices):
    ANY = "", _("Either")
    SHORT = "short", _("Short term")
    LONG = "long", _("Long term")


class MatchingNeeds(PublicModel):
    """What matching should know about a child that the register does not say."""

    child = models.OneToOneField(
        "registry.Child", on_delete=models.CASCADE, related_name="matching_needs"
    )
    languages = models.JSONField(_("languages the child speaks"), default=list, blank=True)
    topics = models.JSONField(_("carers should be trained in"), default=list, blank=True)
    term = models.CharField(
        _("term of care needed"), max_length=10, choices=NeedTerm.choices, blank=True
    )
    notes = models.TextField(
        _("notes"), max_length=5000, blank=True, validators=[reject_control_characters]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("matching needs")
        verbose_name_plural = _("matching needs")

    def __str__(self) -> str:
        return f"{self.child_id}"


class ProposalKind(models.TextChoices):
    CHILD = "child", _("For one child")
    REGION = "region", _("For a region")


class MatchProposal(PublicModel):
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices)
    region = models.ForeignKey(
        "geo.Location", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The weights and parameters the proposal was made with, whatever they are now.
    weights = models.JSONField(_("weights"))
    parameters = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "created_at"], name="proposal_region_idx")]
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")

    def __str__(self) -> str:
        return f"{self.kind} {self.region_id} {self.created_at:%Y-%m-%d}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


class ProposedMatch(PublicModel):
    """One sibling group (or one child) with one household, waiting for a person's decision."""

    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="matches")
    children = models.ManyToManyField("registry.Child", related_name="+")
    household = models.ForeignKey(
        "carers.CarerHousehold",
        verbose_name=_("carers"),
        on_delete=models.PROTECT,
        related_name="proposed_matches",
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("changed from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(
        _("note"), max_length=500, blank=True, validators=[reject_control_characters]
    )

    class Meta:
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["proposal", "status"], name="match_proposal_idx")]
        verbose_name = _("proposed match")
        verbose_name_plural = _("proposed matches")

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.household_id} {self.status}"
