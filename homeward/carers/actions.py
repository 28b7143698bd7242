"""Every write to foster carer households: the pipeline, checks, training, the home study,
approval terms, support visits, annual reviews, placements and expiry tasks."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.assessments.actions import template_load
from homeward.assessments.models import AssessmentTemplate
from homeward.assessments.scoring import compute_scores
from homeward.assessments.validation import validate_answers
from homeward.audit.actions import audit_record, created_fields, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.carers.models import (
    ADULT_ROLES,
    PACKED_LAYOUT,
    AnnualReview,
    ApprovalTerms,
    CarerDocument,
    CarerEvent,
    CarerEventType,
    CarerHousehold,
    CarerMember,
    CarerPlacementLink,
    Check,
    CheckResult,
    HomeStudy,
    HomeStudyStatus,
    Language,
    MatchingRow,
    MemberRole,
    ReviewOutcome,
    Stage,
    SupportVisit,
    TrainingCourse,
    TrainingRecord,
    TrainingTopic,
    bits,
    pack,
)
from homeward.carers.pipeline import ACTIVE, ALLOWED_MOVES
from homeward.carers.selectors import (
    approval_blockers,
    has_submitted_home_study,
    open_placements,
)
from homeward.cases.actions import task_open
from homeward.cases.models import Task, TaskKind
from homeward.core.actions import check_fields, short_date
from homeward.core.errors import check_version
from homeward.geo.models import Level, Location
from homeward.registry.models import FunctionalDomain

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User
    from homeward.care.models import Placement

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_data"

HOUSEHOLD_FIELDS = frozenset(
    {
        "name",
        "location",
        "address",
        "phone",
        "languages",
        "professional",
        "enquiry_on",
        "worker",
        "preferred_age_min",
        "preferred_age_max",
        "preferred_sex",
        "notes",
    }
)
MEMBER_FIELDS = frozenset(
    {"family_name", "given_name", "patronymic", "sex", "date_of_birth", "role", "person"}
)
CHECK_FIELDS = frozenset(
    {"kind", "member", "done_on", "expires_on", "result", "reference", "notes"}
)
DOCUMENT_FIELDS = frozenset({"kind", "member", "title", "issued_on", "expires_on"})
TERMS_FIELDS = frozenset(
    {
        "panel",
        "max_children",
        "age_min",
        "age_max",
        "sexes",
        "sibling_groups",
        "disabilities",
        "disability_domains",
        "term",
        "professional",
        "notes",
    }
)
VISIT_FIELDS = frozenset({"visited_on", "kind", "visitor", "notes"})


def _not_future(field: str, day: datetime.date | None, errors: dict[str, Any]) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = _("This date cannot be in the future.")


def _event(
    household: CarerHousehold,
    type: str,
    actor: User | None,
    *,
    from_stage: str = "",
    to_stage: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CarerEvent:
    return CarerEvent.objects.create(
        household=household,
        type=type,
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        note=note[:500],
        occurred_at=timezone.now(),
        data=data or {},
    )


def _lock(household: CarerHousehold, version: int | None) -> CarerHousehold:
    locked = CarerHousehold.objects.select_for_update().get(pk=household.pk)
    check_version(locked.version, version)
    return locked


def _close_tasks(source_prefix: str, actor: User | None) -> int:
    """Close the open tasks a rule made (carer tasks belong to no case)."""
    return Task.objects.filter(
        case__isnull=True, source__startswith=source_prefix, completed_at__isnull=True
    ).update(completed_at=timezone.now(), completed_by=actor)


def _close_household_tasks(household: CarerHousehold, actor: User) -> None:
    """A household leaving the register needs no more renewals or reviews."""
    _close_tasks(f"carer-approval:{household.uuid}", actor)
    for prefix, model in (("carer-check", Check), ("carer-doc", CarerDocument)):
        for key in model.objects.filter(household=household).values_list("uuid", flat=True):
            _close_tasks(f"{prefix}:{key}", actor)


def _at_five(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17), timezone.get_current_timezone())


def _clean_household(household: CarerHousehold) -> None:
    errors: dict[str, Any] = {}
    languages = household.languages
    if not isinstance(languages, list) or any(code not in Language.values for code in languages):
        errors["languages"] = _("Choose languages from the list.")
    else:
        household.languages = [code for code in Language.values if code in languages]
        household.language_mask = bits(household.languages, Language.values)
    if household.location_id and household.location.level not in {Level.DISTRICT, Level.LOCALITY}:
        errors["location"] = _("Choose a district or a locality.")
    _not_future("enquiry_on", household.enquiry_on, errors)
    low, high = household.preferred_age_min, household.preferred_age_max
    if low is not None and high is not None and high < low:
        errors["preferred_age_max"] = _("The oldest age cannot be below the youngest.")
    if errors:
        raise ValidationError(errors)
    household.full_clean()


TERM_CODES = {"both": 0, "short": 1, "long": 2}
SEX_CODES = {"": 0, "F": 1, "M": 2}


def _region_of(location: Location) -> Location:
    current = location
    while current.level not in {Level.REGION, Level.COUNTRY} and current.parent is not None:
        current = current.parent
    return current


def matching_row_for(household: CarerHousehold) -> MatchingRow:
    """The household's row for ranking, from its current state (not saved)."""
    terms = household.terms
    low, high = household.preferred_age_min, household.preferred_age_max
    row = MatchingRow(
        household=household,
        agency_id=household.agency_id,
        region=_region_of(household.location),
        location_id=household.location_id,
        available=household.stage == Stage.APPROVED and terms is not None,
        approval_expires_on=household.approval_expires_on,
        max_children=terms.max_children if terms else 0,
        age_min=terms.age_min if terms else 0,
        age_max=terms.age_max if terms else -1,
        accepts_female=terms.accepts_female if terms else False,
        accepts_male=terms.accepts_male if terms else False,
        sibling_groups=terms.sibling_groups if terms else False,
        disabilities=terms.disabilities if terms else False,
        domains_mask=terms.domains_mask if terms else 0,
        term=TERM_CODES.get(terms.term, 0) if terms else 0,
        professional=household.professional,
        language_mask=household.language_mask,
        training_mask=household.training_mask,
        placements=household.placements_total,
        preferred_age_min=-1 if low is None else low,
        preferred_age_max=-1 if high is None else high,
        preferred_sex=SEX_CODES.get(household.preferred_sex, 0),
    )
    row.packed = pack({name: getattr(row, name) for name, _first, _width in PACKED_LAYOUT})
    return row


def _refresh_row(household: CarerHousehold) -> None:
    """Keep the ranking row in step; every action that changes what ranking reads calls it."""
    fresh = CarerHousehold.objects.select_related("terms", "location").get(pk=household.pk)
    matching_row_for(fresh).save()


def matching_rows_rebuild(batch_size: int = 2000) -> int:
    """Rebuild every ranking row (after a bulk load, or when the location tree changed)."""
    MatchingRow.objects.all().delete()
    households = CarerHousehold.objects.select_related(
        "terms", "location", "location__parent", "location__parent__parent"
    ).order_by("pk")
    rows = [matching_row_for(h) for h in households.iterator(chunk_size=batch_size)]
    MatchingRow.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


@transaction.atomic
def carer_enquiry(*, actor: User, agency: Agency, data: dict[str, Any]) -> CarerHousehold:
    """A new enquiry: the household enters the pipeline at its first step."""
    check_fields(data, HOUSEHOLD_FIELDS)
    values = dict(data)
    values.setdefault("enquiry_on", timezone.localdate())
    values["worker"] = values.get("worker") or actor
    household = CarerHousehold(agency=agency, created_by=actor, stage=Stage.ENQUIRY, **values)
    _clean_household(household)
    household.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=household, changes=created_fields(household)
    )
    _event(household, CarerEventType.STAGE_CHANGED, actor, to_stage=Stage.ENQUIRY)
    _refresh_row(household)
    return household


@transaction.atomic
def carer_update(
    *, actor: User, household: CarerHousehold, data: dict[str, Any], version: int | None
) -> CarerHousehold:
    check_fields(data, HOUSEHOLD_FIELDS)
    locked = _lock(household, version)
    before = snapshot(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    _clean_household(locked)
    locked.version += 1
    locked.save()
    changes = diff(before, snapshot(locked))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changes)
    _event(locked, CarerEventType.UPDATED, actor, data={"fields": sorted(changes)})
    _refresh_row(locked)
    return locked


@transaction.atomic
def member_add(*, actor: User, household: CarerHousehold, data: dict[str, Any]) -> CarerMember:
    check_fields(data, MEMBER_FIELDS)
    member = CarerMember(household=household, **data)
    if (
        member.role == MemberRole.MAIN_CARER
        and household.members.filter(role=MemberRole.MAIN_CARER).exists()
    ):
        raise ValidationError({"role": _("The household already has a main carer.")})
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={f"member.{k}": v for k, v in created_fields(member).items()},
    )
    _event(household, CarerEventType.MEMBER_ADDED, actor, data={"role": member.role})
    return member


def _member_of(household: CarerHousehold, member: CarerMember | None) -> None:
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("This person is not a member of the household.")})


@transaction.atomic
def check_record(*, actor: User, household: CarerHousehold, data: dict[str, Any]) -> Check:
    """A check (references, health, criminal record, home safety). A newer check of the same
    kind for the same person replaces the older one, and closes its expiry task."""
    check_fields(data, CHECK_FIELDS)
    check = Check(household=household, recorded_by=actor, **data)
    _member_of(household, check.member)
    errors: dict[str, Any] = {}
    _not_future("done_on", check.done_on, errors)
    required: dict[str, str] = settings.CARER_REQUIRED_CHECKS
    if required.get(check.kind) == "adult" and (
        check.member is None or check.member.role not in ADULT_ROLES
    ):
        errors["member"] = _("Choose the adult this check is for.")
    if check.expires_on and check.done_on and check.expires_on <= check.done_on:
        errors["expires_on"] = _("A check expires after the day it was done.")
    if errors:
        raise ValidationError(errors)
    check.full_clean()
    earlier = Check.objects.filter(
        household=household, kind=check.kind, member=check.member, done_on__lte=check.done_on
    )
    check.save()
    for old in earlier.exclude(pk=check.pk):
        _close_tasks(f"carer-check:{old.uuid}", actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={f"check.{k}": v for k, v in created_fields(check).items()},
    )
    _event(
        household,
        CarerEventType.CHECK_RECORDED,
        actor,
        data={"kind": check.kind, "result": check.result},
    )
    return check


@transaction.atomic
def document_record(
    *, actor: User, household: CarerHousehold, data: dict[str, Any]
) -> CarerDocument:
    check_fields(data, DOCUMENT_FIELDS)
    document = CarerDocument(household=household, recorded_by=actor, **data)
    _member_of(household, document.member)
    errors: dict[str, Any] = {}
    _not_future("issued_on", document.issued_on, errors)
    if document.issued_on and document.expires_on and document.expires_on <= document.issued_on:
        errors["expires_on"] = _("A document expires after the day it was issued.")
    if errors:
        raise ValidationError(errors)
    document.full_clean()
    earlier = CarerDocument.objects.filter(
        household=household, kind=document.kind, member=document.member
    )
    document.save()
    for old in earlier.exclude(pk=document.pk):
        _close_tasks(f"carer-doc:{old.uuid}", actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={f"document.{k}": v for k, v in created_fields(document).items()},
    )
    _event(household, CarerEventType.DOCUMENT_RECORDED, actor, data={"kind": document.kind})
    return document


@transaction.atomic
def course_create(*, actor: User, data: dict[str, Any]) -> TrainingCourse:
    check_fields(data, frozenset({"name", "topics", "hours", "is_active"}))
    course = TrainingCourse(**data)
    topics = course.topics
    if not isinstance(topics, list) or any(t not in TrainingTopic.values for t in topics):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    course.topics = [t for t in TrainingTopic.values if t in topics]
    course.full_clean()
    course.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=course, changes=created_fields(course))
    return course


def _refresh_training(household: CarerHousehold) -> None:
    """The household's training hours and topics, kept for ranking and the dashboard."""
    records = household.training.select_related("course")
    topics: set[str] = set()
    for record in records:
        topics.update(record.course.topics)
    total = records.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    CarerHousehold.objects.filter(pk=household.pk).update(
        training_hours=total, training_mask=bits(sorted(topics), TrainingTopic.values)
    )
    household.training_hours = total
    household.training_mask = bits(sorted(topics), TrainingTopic.values)
    _refresh_row(household)


@transaction.atomic
def training_record(
    *,
    actor: User,
    household: CarerHousehold,
    course: TrainingCourse,
    completed_on: datetime.date,
    hours: Decimal | None = None,
    member: CarerMember | None = None,
) -> TrainingRecord:
    _member_of(household, member)
    errors: dict[str, Any] = {}
    _not_future("completed_on", completed_on, errors)
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord(
        household=household,
        member=member,
        course=course,
        completed_on=completed_on,
        hours=course.hours if hours is None else hours,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    _refresh_training(household)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={f"training.{k}": v for k, v in created_fields(record).items()},
    )
    _event(
        household,
        CarerEventType.TRAINING_RECORDED,
        actor,
        data={"course": course.name, "hours": str(record.hours)},
    )
    return record


def home_study_template() -> AssessmentTemplate:
    """The current version of the home study form, loading the shipped one on first use."""
    code = settings.CARER_HOME_STUDY_TEMPLATE
    template = AssessmentTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None:
        for path in sorted(TEMPLATES_DIR.glob(f"{code}.v*.json")):
            template_load(json.loads(path.read_text(encoding="utf-8")))
        template = AssessmentTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None or not template.is_active:
        raise ValidationError(_("The home study form is not available: ask an administrator."))
    return template


@transaction.atomic
def home_study_start(*, actor: User, household: CarerHousehold) -> HomeStudy:
    """A draft home study with the form's current version (one open draft at a time)."""
    if household.stage != Stage.HOME_STUDY:
        raise ValidationError(_("The home study is made at the home study stage."))
    draft = household.home_studies.filter(status=HomeStudyStatus.DRAFT).first()
    if draft is not None:
        return draft
    study = HomeStudy(household=household, template=home_study_template(), assessor=actor)
    study.full_clean()
    study.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=household, detail="home study")
    return study


@transaction.atomic
def home_study_save(
    *,
    actor: User,
    study: HomeStudy,
    answers: Any,
    completed_on: datetime.date | None,
    version: int | None,
    submit: bool = False,
) -> HomeStudy:
    """Save a draft, or submit: then every required answer must be given, and scores count."""
    locked = HomeStudy.objects.select_for_update().select_related("template").get(pk=study.pk)
    check_version(locked.version, version)
    if locked.status != HomeStudyStatus.DRAFT:
        raise ValidationError(_("This home study is submitted: it cannot change."))
    errors: dict[str, Any] = {}
    _not_future("completed_on", completed_on, errors)
    if submit and completed_on is None:
        errors["completed_on"] = _("Give the date of the home study.")
    checked = validate_answers(locked.template.definition, answers, complete=submit)
    for path, messages in checked.errors.items():
        errors["answers" if path == "answers" else f"answers.{path}"] = messages
    if errors:
        raise ValidationError(errors)
    locked.answers = checked.answers
    locked.completed_on = completed_on
    if submit:
        locked.status = HomeStudyStatus.SUBMITTED
        locked.scores = compute_scores(locked.template.definition, checked.answers)
    locked.version += 1
    locked.full_clean()
    locked.save()
    household = locked.household
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={"home_study": [None, locked.status]},
    )
    if submit:
        _event(
            household, CarerEventType.HOME_STUDY_SUBMITTED, actor, data={"scores": locked.scores}
        )
    return locked


def _move_error(before: str, to: str) -> ValidationError:
    labels = dict(Stage.choices)
    return ValidationError(
        {
            "to": _("A household cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels.get(before, before), "to": labels.get(to, to)}
        }
    )


def _refuse_if_blocked(household: CarerHousehold) -> None:
    blockers = approval_blockers(household)
    if blockers:
        raise ValidationError([_("The household cannot be approved yet."), *blockers])


def _set_stage(
    locked: CarerHousehold,
    to: str,
    actor: User,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    before = locked.stage
    locked.stage = to
    locked.version += 1
    locked.full_clean()
    locked.save()
    changes: dict[str, Any] = {"stage": [before, to], **(extra or {})}
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changes)
    _event(locked, CarerEventType.STAGE_CHANGED, actor, from_stage=before, to_stage=to, note=note)
    _refresh_row(locked)


@transaction.atomic
def carer_move(
    *, actor: User, household: CarerHousehold, to: str, version: int | None, note: str = ""
) -> CarerHousehold:
    """One step along the pipeline, by the table of allowed moves and each step's conditions."""
    locked = _lock(household, version)
    before = locked.stage
    if to not in ALLOWED_MOVES.get(before, frozenset()):
        raise _move_error(before, to)
    today = timezone.localdate()
    if to == Stage.APPROVED and before == Stage.PANEL:
        raise ValidationError(
            {"to": _("Approval is the panel's decision: record it with the approval terms.")}
        )
    if to == Stage.APPROVED:
        expires = locked.approval_expires_on
        if expires is None or expires < today:
            raise ValidationError(
                {
                    "to": _("The approval lapsed on %(date)s: hold the annual review first.")
                    % {"date": short_date(expires) if expires else "—"}
                }
            )
        _refuse_if_blocked(locked)
    if to == Stage.PANEL and not has_submitted_home_study(locked):
        raise ValidationError({"to": _("Submit the home study before the panel.")})
    if to == Stage.DEREGISTERED:
        if not note.strip():
            raise ValidationError({"note": _("Say why the household leaves the register.")})
        if open_placements([locked.pk]).get(locked.pk):
            raise ValidationError(
                {
                    "to": _(
                        "Children are still placed with this household: end their placements first."
                    )
                }
            )
    _set_stage(locked, to, actor, note)
    if to == Stage.DEREGISTERED:
        _close_household_tasks(locked, actor)
    return locked


def _terms_build(
    household: CarerHousehold, actor: User, decided_on: datetime.date, data: dict[str, Any]
) -> ApprovalTerms:
    check_fields(data, TERMS_FIELDS)
    values = dict(data)
    sexes = values.pop("sexes", None)
    errors: dict[str, Any] = {}
    if not isinstance(sexes, list | tuple) or not sexes or set(sexes) - {"F", "M"}:
        errors["sexes"] = _("Choose girls, boys or both.")
        sexes = ["F", "M"]
    domains = values.get("disability_domains") or []
    if not isinstance(domains, list) or any(d not in FunctionalDomain.values for d in domains):
        errors["disability_domains"] = _("Choose functional domains from the list.")
        domains = []
    elif domains and not values.get("disabilities"):
        errors["disability_domains"] = _("Tick children with disabilities to name domains.")
    terms = ApprovalTerms(
        household=household,
        decided_on=decided_on,
        recorded_by=actor,
        accepts_female="F" in sexes,
        accepts_male="M" in sexes,
        **{**values, "disability_domains": [d for d in FunctionalDomain.values if d in domains]},
    )
    terms.domains_mask = bits(terms.disability_domains, FunctionalDomain.values)
    _not_future("decided_on", decided_on, errors)
    if terms.age_min is not None and terms.age_max is not None and terms.age_max < terms.age_min:
        errors["age_max"] = _("The oldest age cannot be below the youngest.")
    if terms.sibling_groups and terms.max_children is not None and terms.max_children < 2:
        errors["sibling_groups"] = _("A sibling group needs room for at least two children.")
    if errors:
        raise ValidationError(errors)
    terms.full_clean()
    return terms


def _apply_terms(locked: CarerHousehold, terms: ApprovalTerms, actor: User) -> None:
    terms.save()
    locked.terms = terms
    locked.professional = terms.professional
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={f"terms.{k}": v for k, v in created_fields(terms).items()},
    )
    _event(
        locked,
        CarerEventType.TERMS_SET,
        actor,
        data={"max_children": terms.max_children, "ages": [terms.age_min, terms.age_max]},
    )


@transaction.atomic
def carer_approve(
    *,
    actor: User,
    household: CarerHousehold,
    decided_on: datetime.date,
    terms: dict[str, Any],
    version: int | None,
) -> CarerHousehold:
    """The panel's decision to approve, with the terms of the approval. Refused while a
    required check is missing, failed or expired, or the training hours fall short."""
    locked = _lock(household, version)
    if Stage.APPROVED not in ALLOWED_MOVES.get(locked.stage, frozenset()) or (
        locked.stage != Stage.PANEL
    ):
        raise _move_error(locked.stage, Stage.APPROVED)
    _refuse_if_blocked(locked)
    approved_terms = _terms_build(locked, actor, decided_on, terms)
    expires = decided_on + datetime.timedelta(days=settings.CARER_APPROVAL_VALID_DAYS)
    if expires < timezone.localdate():
        raise ValidationError(
            {"decided_on": _("An approval decided this long ago has already lapsed.")}
        )
    _apply_terms(locked, approved_terms, actor)
    locked.approved_on = decided_on
    locked.approval_expires_on = expires
    _set_stage(
        locked,
        Stage.APPROVED,
        actor,
        extra={"approval_expires_on": [None, str(locked.approval_expires_on)]},
    )
    return locked


@transaction.atomic
def terms_set(
    *,
    actor: User,
    household: CarerHousehold,
    decided_on: datetime.date,
    terms: dict[str, Any],
    version: int | None,
) -> ApprovalTerms:
    """New terms for an approved household (a panel's or a review's change)."""
    locked = _lock(household, version)
    if locked.stage not in {Stage.APPROVED, Stage.ON_HOLD}:
        raise ValidationError(_("Terms are changed for approved households only."))
    new_terms = _terms_build(locked, actor, decided_on, terms)
    placed = open_placements([locked.pk]).get(locked.pk, 0)
    if new_terms.max_children < placed:
        raise ValidationError(
            {
                "max_children": _(
                    "%(count)s children are placed with the household: the number cannot be lower."
                )
                % {"count": placed}
            }
        )
    _apply_terms(locked, new_terms, actor)
    locked.version += 1
    locked.save()
    _refresh_row(locked)
    return new_terms


@transaction.atomic
def visit_record(*, actor: User, household: CarerHousehold, data: dict[str, Any]) -> SupportVisit:
    check_fields(data, VISIT_FIELDS)
    if household.stage not in {Stage.APPROVED, Stage.ON_HOLD}:
        raise ValidationError(_("Support visits are recorded for approved carers."))
    visit = SupportVisit(household=household, recorded_by=actor, **data)
    errors: dict[str, Any] = {}
    _not_future("visited_on", visit.visited_on, errors)
    if errors:
        raise ValidationError(errors)
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        changes={f"visit.{k}": v for k, v in created_fields(visit).items()},
    )
    _event(household, CarerEventType.VISIT_RECORDED, actor, data={"kind": visit.kind})
    return visit


@transaction.atomic
def annual_review_record(
    *,
    actor: User,
    household: CarerHousehold,
    reviewed_on: datetime.date,
    outcome: str,
    notes: str = "",
    version: int | None,
) -> AnnualReview:
    """The annual review: the approval continues for another period (the checks and training
    must still hold), the household goes on hold, or it leaves the register."""
    locked = _lock(household, version)
    if locked.stage not in {Stage.APPROVED, Stage.ON_HOLD}:
        raise ValidationError(_("Only approved households have an annual review."))
    errors: dict[str, Any] = {}
    _not_future("reviewed_on", reviewed_on, errors)
    if locked.approved_on and reviewed_on < locked.approved_on:
        errors["reviewed_on"] = _("The review cannot come before the approval.")
    if outcome == ReviewOutcome.DEREGISTER and not notes.strip():
        errors["notes"] = _("Say why the household leaves the register.")
    if errors:
        raise ValidationError(errors)
    review = AnnualReview(
        household=locked, reviewed_on=reviewed_on, outcome=outcome, notes=notes, recorded_by=actor
    )
    review.full_clean()
    if outcome == ReviewOutcome.CONTINUE:
        _refuse_if_blocked(locked)
        before = locked.approval_expires_on
        locked.approval_expires_on = reviewed_on + datetime.timedelta(
            days=settings.CARER_APPROVAL_VALID_DAYS
        )
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            changes={"approval_expires_on": [str(before), str(locked.approval_expires_on)]},
        )
        _refresh_row(locked)
    elif outcome == ReviewOutcome.HOLD and locked.stage == Stage.APPROVED:
        _set_stage(locked, Stage.ON_HOLD, actor, notes)
    elif outcome == ReviewOutcome.DEREGISTER:
        if open_placements([locked.pk]).get(locked.pk):
            raise ValidationError(
                {
                    "outcome": _(
                        "Children are still placed with this household: end their placements first."
                    )
                }
            )
        _set_stage(locked, Stage.DEREGISTERED, actor, notes)
        _close_household_tasks(locked, actor)
    review.save()
    _close_tasks(f"carer-approval:{locked.uuid}", actor)
    _event(locked, CarerEventType.REVIEWED, actor, note=notes, data={"outcome": outcome})
    return review


@transaction.atomic
def placement_link(
    *, actor: User, household: CarerHousehold, placement: Placement
) -> CarerPlacementLink:
    """Record that a placement was made with this household (its vacancies count it)."""
    link = CarerPlacementLink(placement=placement, household=household, created_by=actor)
    link.full_clean()
    link.save()
    CarerHousehold.objects.filter(pk=household.pk).update(
        placements_total=household.placements_total + 1
    )
    household.placements_total += 1
    _refresh_row(household)
    _event(
        household,
        CarerEventType.CHILD_PLACED,
        actor,
        data={"placement": str(placement.uuid), "start": str(placement.start)},
    )
    return link


def _latest_only(records: list[Any]) -> list[Any]:
    """The latest record per (household, kind, member): older ones were renewed."""

    def newness(record: Any) -> tuple[datetime.date, int]:
        day = getattr(record, "done_on", None) or getattr(record, "issued_on", None)
        return (day or datetime.date.min, record.pk)

    latest: dict[tuple[int, str, int | None], Any] = {}
    for record in sorted(records, key=newness):
        latest[(record.household_id, record.kind, record.member_id)] = record
    return list(latest.values())


@transaction.atomic
def expiry_tasks(*, today: datetime.date | None = None) -> int:
    """Tasks for the responsible worker before an approval, a check or a document lapses.

    Idempotent: each task has a source naming the record and is made once while open.
    Returns how many tasks are open for lapsing records after the run.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.CARER_EXPIRY_NOTICE_DAYS)
    active = CarerHousehold.objects.filter(stage__in=ACTIVE, worker__isnull=False)
    count = 0
    for household in active.filter(
        stage__in=[Stage.APPROVED, Stage.ON_HOLD], approval_expires_on__lte=horizon
    ).select_related("worker"):
        expires = household.approval_expires_on
        if expires is None or household.worker is None:  # excluded by the filter
            continue
        task_open(
            case=None,
            assigned_to=household.worker,
            kind=TaskKind.REVIEW,
            title=_("Annual review of %(name)s: the approval ends on %(date)s")
            % {"name": household.name, "date": short_date(expires)},
            due_at=_at_five(expires),
            source=f"carer-approval:{household.uuid}:{expires.isoformat()}",
        )
        count += 1
    for prefix, model in (("carer-check", Check), ("carer-doc", CarerDocument)):
        lapsing = set(
            model.objects.filter(
                household__in=active.values("pk"), expires_on__lte=horizon
            ).values_list("household_id", flat=True)
        )
        if not lapsing:
            continue
        # all the households' records of these kinds: a renewed one needs no task
        records = model.objects.filter(household_id__in=lapsing).select_related(
            "household", "household__worker", "member"
        )
        for record in _latest_only(list(records)):
            if record.expires_on is None or record.expires_on > horizon:
                continue
            if getattr(record, "result", CheckResult.PASSED) != CheckResult.PASSED:
                continue  # a failed check is redone, not renewed
            what = record.get_kind_display()
            if record.member is not None:
                what = f"{what} ({record.member.full_name})"
            task_open(
                case=None,
                assigned_to=record.household.worker,
                kind=TaskKind.DEADLINE,
                title=_("Renew “%(what)s” of %(name)s: valid until %(date)s")
                % {
                    "what": what,
                    "name": record.household.name,
                    "date": short_date(record.expires_on),
                },
                due_at=_at_five(record.expires_on),
                source=f"{prefix}:{record.uuid}",
            )
            count += 1
    return count
