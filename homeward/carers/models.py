"""Foster carers (DOMAIN §5): the household, its members, the pipeline from enquiry to
approval, checks and documents, training, the home study, approval terms, support visits,
annual reviews, and the placements made with the household."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from homeward.core.models import PublicModel, Sex
from homeward.core.validators import (
    reject_control_characters,
    reject_control_characters_single_line,
    validate_birth_date,
)

ONE_LINE = [reject_control_characters_single_line]
TEXT = [reject_control_characters]


class Stage(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    INFORMATION_VISIT = "information_visit", _("Information visit")
    APPLICATION = "application", _("Application and checks")
    TRAINING = "training", _("Preparation training")
    HOME_STUDY = "home_study", _("Home study")
    PANEL = "panel", _("Approval panel")
    APPROVED = "approved", _("Approved")
    ON_HOLD = "on_hold", _("On hold")
    DEREGISTERED = "deregistered", _("Deregistered")


class Language(models.TextChoices):
    """Languages spoken at home. The order is the bit order of ``language_mask``: append only."""

    RU = "ru", _("Russian")
    BE = "be", _("Belarusian")
    BG = "bg", _("Bulgarian")
    UK = "uk", _("Ukrainian")
    EN = "en", _("English")
    ROMANI = "romani", _("Romani")
    TR = "tr", _("Turkish")
    PL = "pl", _("Polish")
    LT = "lt", _("Lithuanian")


class TrainingTopic(models.TextChoices):
    """What a course prepares carers for. The order is the bit order of ``training_mask``."""

    DISABILITY = "disability", _("children with disabilities")
    TRAUMA = "trauma", _("children who have lived through trauma")
    SIBLING_GROUPS = "sibling_groups", _("sibling groups")
    UNDER_3 = "under_3", _("children under 3")
    TEENAGERS = "teenagers", _("teenagers")
    BIRTH_FAMILY = "birth_family", _("contact with birth families")


class Term(models.TextChoices):
    SHORT = "short", _("Short term")
    LONG = "long", _("Long term")
    BOTH = "both", _("Short or long term")


def bits(values: list[str] | tuple[str, ...], order: list[str]) -> int:
    """A set of codes as a bit mask, in the order of a choice list."""
    return sum(1 << order.index(v) for v in set(values) if v in order)


class CarerHousehold(PublicModel):
    name = models.CharField(_("household name"), max_length=200, validators=ONE_LINE)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("foster-care service"),
        on_delete=models.PROTECT,
        related_name="carer_households",
    )
    location = models.ForeignKey(
        "geo.Location", verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True, validators=ONE_LINE)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=ONE_LINE)
    languages = models.JSONField(_("languages spoken at home"), default=list, blank=True)
    professional = models.BooleanField(_("professional (salaried) foster family"), default=False)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.ENQUIRY
    )
    enquiry_on = models.DateField(_("enquiry received"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_expires_on = models.DateField(_("approval valid until"), null=True, blank=True)
    terms = models.ForeignKey(
        "carers.ApprovalTerms",
        verbose_name=_("current approval terms"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_households",
    )
    # What the carers said they would prefer (soft, unlike the approval terms).
    preferred_age_min = models.PositiveSmallIntegerField(
        _("preferred youngest age"), null=True, blank=True, validators=[MaxValueValidator(17)]
    )
    preferred_age_max = models.PositiveSmallIntegerField(
        _("preferred oldest age"), null=True, blank=True, validators=[MaxValueValidator(17)]
    )
    preferred_sex = models.CharField(
        _("preferred sex"), max_length=1, choices=Sex.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=TEXT)
    # Kept by the actions from the records above, so that ranking reads one narrow row.
    language_mask = models.PositiveBigIntegerField(default=0, editable=False)
    training_mask = models.PositiveBigIntegerField(default=0, editable=False)
    training_hours = models.DecimalField(
        _("training hours"), max_digits=7, decimal_places=1, default=0, editable=False
    )
    placements_total = models.PositiveIntegerField(
        _("children placed so far"), default=0, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["stage", "approval_expires_on"], name="carer_stage_idx"),
            models.Index(fields=["agency", "stage"], name="carer_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_age_min__isnull=True)
                | Q(preferred_age_max__isnull=True)
                | Q(preferred_age_max__gte=F("preferred_age_min")),
                name="carer_preferred_ages_ordered",
            )
        ]
        verbose_name = _("foster carer household")
        verbose_name_plural = _("foster carer households")

    def __str__(self) -> str:
        return self.name

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class MemberRole(models.TextChoices):
    MAIN_CARER = "main_carer", _("Main carer")
    PARTNER = "partner", _("Partner")
    OTHER_ADULT = "other_adult", _("Other adult")
    OWN_CHILD = "own_child", _("Carers' own child")


ADULT_ROLES = frozenset({MemberRole.MAIN_CARER, MemberRole.PARTNER, MemberRole.OTHER_ADULT})


class CarerMember(PublicModel):
    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="members")
    family_name = models.CharField(_("family name"), max_length=100, validators=ONE_LINE)
    given_name = models.CharField(_("given name"), max_length=100, validators=ONE_LINE)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True, validators=ONE_LINE)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_birth_date]
    )
    role = models.CharField(_("role in the household"), max_length=20, choices=MemberRole.choices)
    # The same person in the register: how a carer is known to be a child's relative.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the register"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_memberships",
    )

    class Meta:
        ordering = ["household", "role", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    @property
    def is_adult(self) -> bool:
        return self.role in ADULT_ROLES


class CheckKind(models.TextChoices):
    REFERENCES = "references", _("References")
    HEALTH = "health", _("Health")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record")
    HOME_SAFETY = "home_safety", _("Home safety")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Check(PublicModel):
    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="checks")
    member = models.ForeignKey(
        CarerMember,
        verbose_name=_("household member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checks",
    )
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    done_on = models.DateField(_("done on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    reference = models.CharField(
        _("reference number"), max_length=100, blank=True, validators=ONE_LINE
    )
    notes = models.CharField(_("notes"), max_length=1000, blank=True, validators=TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-done_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("done_on")),
                name="carer_check_expires_after_done",
            )
        ]
        indexes = [models.Index(fields=["expires_on"], name="carer_check_expiry_idx")]
        verbose_name = _("check")
        verbose_name_plural = _("checks")

    def __str__(self) -> str:
        return f"{self.kind} {self.done_on}"


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
    CONTRACT = "contract", _("Foster care contract")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class CarerDocument(PublicModel):
    household = models.ForeignKey(
        CarerHousehold, on_delete=models.CASCADE, related_name="documents"
    )
    member = models.ForeignKey(
        CarerMember,
        verbose_name=_("household member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title or number"), max_length=200, validators=ONE_LINE)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["expires_on"], name="carer_document_expiry_idx")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class TrainingCourse(PublicModel):
    name = models.CharField(_("course"), max_length=200, unique=True, validators=ONE_LINE)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.name

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(TrainingTopic.choices)
        return [str(labels.get(code, code)) for code in self.topics]


class TrainingRecord(PublicModel):
    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="training")
    member = models.ForeignKey(
        CarerMember,
        verbose_name=_("household member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training",
    )
    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("course"), on_delete=models.PROTECT, related_name="records"
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.course_id} {self.completed_on}"


class HomeStudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class HomeStudy(PublicModel):
    """The home study assessment, filled in with an assessment template (a versioned form)."""

    household = models.ForeignKey(
        CarerHousehold, on_delete=models.CASCADE, related_name="home_studies"
    )
    template = models.ForeignKey(
        "assessments.AssessmentTemplate",
        verbose_name=_("form"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HomeStudyStatus.choices, default=HomeStudyStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    completed_on = models.DateField(_("date of the home study"), null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("home study")
        verbose_name_plural = _("home studies")

    def __str__(self) -> str:
        return f"{self.household_id} {self.status}"


class ApprovalTerms(PublicModel):
    """What the panel approved the household for. A change makes a new row; the household
    points at the one in force."""

    household = models.ForeignKey(
        CarerHousehold, on_delete=models.CASCADE, related_name="terms_history"
    )
    decided_on = models.DateField(_("decided on"))
    panel = models.CharField(_("panel"), max_length=200, validators=ONE_LINE)
    max_children = models.PositiveSmallIntegerField(
        _("number of children"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), validators=[MaxValueValidator(17)]
    )
    age_max = models.PositiveSmallIntegerField(_("oldest age"), validators=[MaxValueValidator(17)])
    accepts_female = models.BooleanField(_("girls"), default=True)
    accepts_male = models.BooleanField(_("boys"), default=True)
    sibling_groups = models.BooleanField(_("sibling groups"), default=False)
    disabilities = models.BooleanField(_("children with disabilities"), default=False)
    # Functional domains accepted; empty means any, when disabilities are accepted at all.
    disability_domains = models.JSONField(_("functional domains"), default=list, blank=True)
    domains_mask = models.PositiveBigIntegerField(default=0, editable=False)
    term = models.CharField(_("term"), max_length=10, choices=Term.choices, default=Term.BOTH)
    professional = models.BooleanField(_("professional foster family"), default=False)
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__gte=F("age_min")), name="carer_terms_ages_ordered"
            ),
            models.CheckConstraint(
                condition=Q(accepts_female=True) | Q(accepts_male=True),
                name="carer_terms_some_sex",
            ),
        ]
        verbose_name = _("approval terms")
        verbose_name_plural = _("approval terms")

    def __str__(self) -> str:
        return f"{self.household_id} {self.decided_on}"

    @property
    def sexes_label(self) -> str:
        if self.accepts_female and self.accepts_male:
            return str(_("girls and boys"))
        return str(_("girls") if self.accepts_female else _("boys"))


class VisitKind(models.TextChoices):
    SUPPORT = "support", _("Support visit")
    PSYCHOLOGICAL = "psychological", _("Psychological support")


class SupportVisit(PublicModel):
    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    visitor = models.CharField(_("visited by"), max_length=200, blank=True, validators=ONE_LINE)
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("support visit")
        verbose_name_plural = _("support visits")

    def __str__(self) -> str:
        return f"{self.kind} {self.visited_on}"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Approval continues")
    HOLD = "hold", _("Put on hold")
    DEREGISTER = "deregister", _("Deregister")


class AnnualReview(PublicModel):
    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(_("notes"), max_length=5000, blank=True, validators=TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")

    def __str__(self) -> str:
        return f"{self.household_id} {self.reviewed_on}"


class CarerPlacementLink(models.Model):
    """A placement (kept by the care app) made with this household: vacancies are counted
    from the open ones."""

    placement = models.OneToOneField(
        "care.Placement", on_delete=models.CASCADE, related_name="carer_link"
    )
    household = models.ForeignKey(
        CarerHousehold, on_delete=models.PROTECT, related_name="placement_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("placement with foster carers")
        verbose_name_plural = _("placements with foster carers")

    def __str__(self) -> str:
        return f"{self.placement_id} → {self.household_id}"


class CarerEventType(models.TextChoices):
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    UPDATED = "updated", _("Details changed")
    MEMBER_ADDED = "member_added", _("Member added")
    CHECK_RECORDED = "check_recorded", _("Check recorded")
    DOCUMENT_RECORDED = "document_recorded", _("Document recorded")
    TRAINING_RECORDED = "training_recorded", _("Training recorded")
    HOME_STUDY_SUBMITTED = "home_study_submitted", _("Home study submitted")
    TERMS_SET = "terms_set", _("Approval terms set")
    VISIT_RECORDED = "visit_recorded", _("Support visit")
    REVIEWED = "reviewed", _("Annual review")
    CHILD_PLACED = "child_placed", _("Child placed")


class CarerEvent(models.Model):
    """The household's chronology, one typed row per thing that happened, never edited."""

    household = models.ForeignKey(CarerHousehold, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("event"), max_length=30, choices=CarerEventType.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=TEXT)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["household", "occurred_at"], name="carerevent_household_idx")
        ]
        verbose_name = _("carer event")
        verbose_name_plural = _("carer events")

    def __str__(self) -> str:
        return f"{self.household_id} {self.type} {self.occurred_at:%Y-%m-%d}"


# Bit layout of MatchingRow.packed, (field, first bit, width): what ranking reads besides
# the masks travels as one integer per household. Preferred ages are stored plus one (0: not
# stated); experience is capped at the largest number the width holds.
PACKED_LAYOUT: tuple[tuple[str, int, int], ...] = (
    ("max_children", 0, 4),
    ("age_min", 4, 5),
    ("age_max", 9, 5),
    ("accepts_female", 14, 1),
    ("accepts_male", 15, 1),
    ("sibling_groups", 16, 1),
    ("disabilities", 17, 1),
    ("professional", 18, 1),
    ("term", 19, 2),
    ("preferred_age_min", 21, 5),
    ("preferred_age_max", 26, 5),
    ("preferred_sex", 31, 2),
    ("placements", 33, 10),
)


def pack(values: dict[str, int]) -> int:
    packed = 0
    for name, first, width in PACKED_LAYOUT:
        value = int(values[name]) + (1 if name.startswith("preferred_age") else 0)
        packed |= min(max(value, 0), (1 << width) - 1) << first
    return packed


class MatchingRow(models.Model):
    """What ranking reads of one household, in one narrow row kept by the carers' actions:
    ranking 50,000 households is then one scan of one table (joined only to the locality for
    its coordinates), not a join of households, terms and agencies."""

    household = models.OneToOneField(
        CarerHousehold, on_delete=models.CASCADE, primary_key=True, related_name="matching_row"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("geo.Location", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("geo.Location", on_delete=models.CASCADE, related_name="+")
    # approved (so not on hold), with terms; the approval's end is checked on the day
    available = models.BooleanField(default=False)
    approval_expires_on = models.DateField(null=True)
    max_children = models.SmallIntegerField(default=0)
    age_min = models.SmallIntegerField(default=0)
    age_max = models.SmallIntegerField(default=-1)
    accepts_female = models.BooleanField(default=False)
    accepts_male = models.BooleanField(default=False)
    sibling_groups = models.BooleanField(default=False)
    disabilities = models.BooleanField(default=False)
    domains_mask = models.BigIntegerField(default=0)
    term = models.SmallIntegerField(default=0)  # 0 both, 1 short, 2 long
    professional = models.BooleanField(default=False)
    language_mask = models.BigIntegerField(default=0)
    training_mask = models.BigIntegerField(default=0)
    placements = models.IntegerField(default=0)
    preferred_age_min = models.SmallIntegerField(default=-1)  # -1: not stated
    preferred_age_max = models.SmallIntegerField(default=-1)
    preferred_sex = models.SmallIntegerField(default=0)  # 0 none, 1 girls, 2 boys
    packed = models.BigIntegerField(default=0)  # the fields above, by PACKED_LAYOUT

    class Meta:
        indexes = [
            models.Index(fields=["available", "approval_expires_on"], name="matchingrow_avail_idx")
        ]
        verbose_name = _("matching row")
        verbose_name_plural = _("matching rows")

    def __str__(self) -> str:
        return f"{self.household_id}"
