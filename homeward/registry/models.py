"""Children, the people around them, households and relationships."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel, Sex
from homeward.core.validators import (
    reject_control_characters,
    reject_control_characters_single_line,
    validate_birth_date,
)

ONE_LINE = [reject_control_characters_single_line]
FREE_TEXT = [reject_control_characters]


class LegalStatus(models.TextChoices):
    ORPHAN = "orphan", _("Orphan")
    PARENTAL_RIGHTS_DEPRIVED = "parental_rights_deprived", _("Parents deprived of parental rights")
    PARENTAL_RIGHTS_RESTRICTED = (
        "parental_rights_restricted",
        _("Parental rights restricted"),
    )
    TEMPORARY_PLACEMENT_BY_PARENTS = (
        "temporary_placement_by_parents",
        _("Temporarily placed by parents"),
    )
    UNKNOWN = "unknown", _("Unknown")


class FunctionalDomain(models.TextChoices):
    """Functional domains of disability (after the UNICEF/Washington Group child module)."""

    SEEING = "seeing", _("Seeing")
    HEARING = "hearing", _("Hearing")
    MOBILITY = "mobility", _("Walking and mobility")
    FINE_MOTOR = "fine_motor", _("Fine motor skills")
    COMMUNICATION = "communication", _("Communication")
    LEARNING = "learning", _("Learning")
    SELF_CARE = "self_care", _("Self-care")
    BEHAVIOUR = "behaviour", _("Behaviour")
    EMOTIONS = "emotions", _("Emotions")
    ATTENTION = "attention", _("Attention and concentration")


class RelationshipKind(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    GUARDIAN = "guardian", _("Guardian")
    FOSTER_CARER = "foster_carer", _("Foster carer")


class NamedPerson(PublicModel):
    """Names as written and in Latin, and the folded search key of both."""

    family_name = models.CharField(_("family name"), max_length=100, validators=ONE_LINE)
    given_name = models.CharField(_("given name"), max_length=100, validators=ONE_LINE)
    patronymic = models.CharField(_("patronymic"), max_length=100, validators=ONE_LINE, blank=True)
    family_name_latin = models.CharField(
        _("family name (Latin)"), max_length=100, validators=ONE_LINE, blank=True
    )
    given_name_latin = models.CharField(
        _("given name (Latin)"), max_length=100, validators=ONE_LINE, blank=True
    )
    patronymic_latin = models.CharField(
        _("patronymic (Latin)"), max_length=100, validators=ONE_LINE, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    search_key = models.CharField(max_length=600, editable=False, default="")
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    @property
    def full_name_latin(self) -> str:
        parts = (self.family_name_latin, self.given_name_latin, self.patronymic_latin)
        return " ".join(p for p in parts if p)


class Household(PublicModel):
    name = models.CharField(_("household name"), max_length=200, validators=ONE_LINE)
    address = models.CharField(_("address"), max_length=300, blank=True, validators=ONE_LINE)
    location = models.ForeignKey(
        "geo.Location", verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000, validators=FREE_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name


class Person(NamedPerson):
    """A parent, relative or carer of a child."""

    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_birth_date]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=ONE_LINE)
    location = models.ForeignKey(
        "geo.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000, validators=FREE_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")


class Child(NamedPerson):
    case_number = models.CharField(_("case number"), max_length=32, unique=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_birth_date])
    date_of_birth_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    has_disability = models.BooleanField(_("disability"), default=False)
    disability_domains = models.JSONField(
        _("functional domains affected"), default=list, blank=True
    )
    legal_status = models.CharField(
        _("legal status"), max_length=40, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    home_location = models.ForeignKey(
        "geo.Location",
        verbose_name=_("home location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True, validators=ONE_LINE)
    school_location = models.ForeignKey(
        "geo.Location",
        verbose_name=_("school location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The child's identifier in another system (a census, a ministry register), for imports.
    external_id = models.CharField(
        _("external identifier"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    # Who works on the child's case, copied from it by the database (triggers of migration
    # 0011) and never written by the application: a worker's list of children is then one
    # range of an index on the child, in name order, however many cases they hold, where
    # a join to the cases probed every child passed over. Ids, not foreign keys: the case
    # holds the relation, this is its shadow for the access module's filters.
    scope_case_manager_id = models.BigIntegerField(null=True, editable=False)
    scope_team_id = models.BigIntegerField(null=True, editable=False)
    scope_supervisor_id = models.BigIntegerField(null=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            # on PostgreSQL it also carries the list's filter columns (migration 0010)
            models.Index(fields=["family_name", "given_name", "id"], name="child_name_idx"),
            models.Index(fields=["agency", "family_name", "given_name"], name="child_agency_idx"),
            models.Index(fields=["date_of_birth"], name="child_dob_idx"),
            models.Index(fields=["home_location"], name="child_home_idx"),
            # sort=registered and -registered read the newest or oldest first
            models.Index(fields=["created_at", "id"], name="child_created_idx"),
            # PostgreSQL only (migration 0006): GIN indexes on the words of search_key
            # and trigrams of case_number, and the vocabulary of stored words.
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="child_external_id_unique",
            )
        ]
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def clean(self) -> None:
        from homeward.geo.models import Level

        errors: dict[str, list[ValidationError]] = {}
        known = set(FunctionalDomain.values)
        domains = self.disability_domains
        if not isinstance(domains, list) or any(d not in known for d in domains):
            errors.setdefault("disability_domains", []).append(
                ValidationError(_("Choose functional domains from the list."), code="invalid")
            )
        elif domains and not self.has_disability:
            errors.setdefault("has_disability", []).append(
                ValidationError(
                    _("Tick disability when functional domains are affected."),
                    code="disability_unticked",
                )
            )
        for field in ("home_location", "school_location"):
            location = getattr(self, field, None)
            if location is not None and location.level not in {Level.DISTRICT, Level.LOCALITY}:
                errors.setdefault(field, []).append(
                    ValidationError(_("Choose a district or a locality."), code="level")
                )
        if errors:
            raise ValidationError(errors)


class Relationship(models.Model):
    """How a person, or another registered child, is related to a child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships"
    )
    related_child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lives_with_child = models.BooleanField(_("lives with the child"), default=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True, validators=FREE_TEXT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, related_child__isnull=True)
                    | models.Q(person__isnull=True, related_child__isnull=False)
                ),
                name="relationship_one_counterpart",
            ),
            models.UniqueConstraint(
                fields=["child", "person", "kind"], name="relationship_unique_person"
            ),
        ]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.child_id}"


class CaseNumberCounter(models.Model):
    """The last case number issued per prefix and year."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
