"""A child's case (who works on it) and the consents recorded for it."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
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


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


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
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=500, blank=True)
    # A closure asked for and waiting for the supervisor's approval.
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)

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


class CaseEventType(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    RISK_SET = "risk_set", _("Risk level set")
    REASSIGNED = "reassigned", _("Case manager changed")
    NOTE_ADDED = "note_added", _("Case note")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted")
    ASSESSMENT_APPROVED = "assessment_approved", _("Assessment approved")
    PLAN_SUBMITTED = "plan_submitted", _("Care plan submitted")
    PLAN_APPROVED = "plan_approved", _("Care plan approved")
    PLAN_REVIEWED = "plan_reviewed", _("Care plan reviewed")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
    REFERRAL_ESCALATED = "referral_escalated", _("Referral escalated")
    CONFERENCE_HELD = "conference_held", _("Case conference")
    GATEKEEPING = "gatekeeping", _("Gatekeeping decision")
    PLACEMENT_STARTED = "placement_started", _("Placement started")
    PLACEMENT_ENDED = "placement_ended", _("Placement ended")
    PLACEMENT_REVIEWED = "placement_reviewed", _("Placement reviewed")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSURE_REJECTED = "closure_rejected", _("Closure not approved")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")


class CaseEvent(models.Model):
    """The case chronology: one typed row per thing that happened, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("event"), max_length=30, choices=CaseEventType.choices)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="caseevent_case_idx")]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.type} {self.occurred_at:%Y-%m-%d}"

    @property
    def type_label(self) -> str:
        """What get_type_display gives, without translating all the event types on each call
        (Django hashes every choice's label every time): the case page shows 200 events."""
        try:
            return str(CaseEventType(self.type).label)
        except ValueError:
            return self.type


class TaskKind(models.TextChoices):
    DEADLINE = "deadline", _("Deadline")
    REVIEW = "review", _("Review")
    ACTION = "action", _("Action")
    APPROVAL = "approval", _("Approval")
    REFERRAL = "referral", _("Referral")


class Task(PublicModel):
    """Something someone must do by a date: from a deadline rule, a conference or by hand."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("task"), max_length=300, validators=[reject_control_characters])
    due_at = models.DateTimeField(_("due"))
    # The rule or record that made it, so that it is made once and closed when met.
    source = models.CharField(max_length=80, blank=True, editable=False)
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "completed_at", "due_at"], name="task_todo_idx"),
            # "My work": a worker's open tasks by due date, read in that order up to the
            # page's limit instead of all of them sorted (hundreds for a 200-case worker).
            models.Index(
                fields=["assigned_to", "due_at"],
                condition=Q(completed_at__isnull=True),
                name="task_open_due_idx",
            ),
            models.Index(fields=["case", "source"], name="task_source_idx"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class NoteKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class CaseNote(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices)
    happened_on = models.DateField(_("date"))
    participants = models.CharField(
        _("participants"), max_length=500, blank=True, validators=[reject_control_characters]
    )
    text = models.TextField(_("note"), max_length=20_000, validators=[reject_control_characters])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"


def attachment_storage() -> Storage:
    return storages["attachments"]


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never on disk.
    return f"{instance.case.uuid}/{instance.uuid}"


class Attachment(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(
        _("description"), max_length=300, blank=True, validators=[reject_control_characters]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Conference(PublicModel):
    """A case conference with several agencies: who took part, what was decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("held on"))
    agencies = models.ManyToManyField(
        "accounts.Agency", verbose_name=_("agencies taking part"), related_name="+", blank=True
    )
    participants = models.TextField(
        _("participants"), max_length=2000, validators=[reject_control_characters]
    )
    decisions = models.TextField(
        _("decisions"), max_length=10_000, validators=[reject_control_characters]
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"
