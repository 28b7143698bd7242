"""Gatekeeping decisions and placements: every write, with its checks and warnings."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record, created_fields
from homeward.audit.models import AuditAction
from homeward.care.episodes import episodes
from homeward.care.models import (
    RESIDENTIAL,
    CareType,
    GatekeepingDecision,
    GatekeepingOutcome,
    Placement,
    PlacementReview,
    PlacementWarning,
)
from homeward.cases.actions import case_event_add, task_open, tasks_close
from homeward.cases.models import Case, CaseEventType, TaskKind
from homeward.geo.models import Level, Location
from homeward.indicators.facts import refresh as refresh_facts

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User
    from homeward.institutions.models import Institution
    from homeward.registry.models import Child

FAMILY_PROVIDER_NEEDED = frozenset(
    {CareType.KINSHIP, CareType.GUARDIANSHIP, CareType.FOSTER, CareType.FOSTER_PROFESSIONAL}
)


def _case(child: Child) -> Case | None:
    return Case.objects.filter(child=child).select_related("case_manager", "supervisor").first()


def _at_five(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17), timezone.get_current_timezone())


def _age_on(child: Child, day: datetime.date) -> int:
    born = child.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def home_district(child: Child) -> Location:
    home = child.home_location
    return home.parent if home.level == Level.LOCALITY and home.parent else home


@transaction.atomic
def gatekeeping_record(
    *, actor: User, child: Child, agency: Agency, data: dict[str, Any]
) -> GatekeepingDecision:
    decision = GatekeepingDecision(child=child, agency=agency, recorded_by=actor, **data)
    errors: dict[str, Any] = {}
    if decision.decided_on and decision.decided_on > timezone.localdate():
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    if decision.outcome == GatekeepingOutcome.PLACE and not decision.care_type:
        errors["care_type"] = _("Name the care type the placement will be in.")
    if errors:
        raise ValidationError(errors)
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=child, changes=created_fields(decision)
    )
    case = _case(child)
    if case is not None:
        case_event_add(
            case=case,
            type=CaseEventType.GATEKEEPING,
            actor=actor,
            data={"outcome": decision.outcome, "care_type": decision.care_type},
        )
    # An emergency placement waiting for this decision gets it, and loses its flag.
    if decision.outcome == GatekeepingOutcome.PLACE:
        for placement in Placement.objects.filter(
            child=child, emergency=True, gatekeeping__isnull=True, end__isnull=True
        ):
            placement.gatekeeping = decision
            placement.warnings = [
                w for w in placement.warnings if w != PlacementWarning.GATEKEEPING_MISSING
            ]
            placement.version += 1
            placement.save(update_fields=["gatekeeping", "warnings", "version", "updated_at"])
            if case is not None:
                tasks_close(case=case, source_prefix=f"gatekeeping:{placement.uuid}", actor=actor)
    return decision


def _warnings(placement: Placement, child: Child) -> list[str]:
    found: list[str] = []
    if placement.care_type in RESIDENTIAL and _age_on(child, placement.start) < 3:
        found.append(PlacementWarning.UNDER_3_RESIDENTIAL)
    if placement.district_id != home_district(child).pk:
        found.append(PlacementWarning.OUTSIDE_HOME_DISTRICT)
    siblings = [
        r.related_child_id
        for r in child.relationships.filter(kind="sibling", related_child__isnull=False)
    ]
    if siblings:
        others = Placement.objects.filter(child_id__in=siblings, start__lte=placement.start).filter(
            Q(end__isnull=True) | Q(end__gt=placement.start)
        )
        for other in others:
            same_place = (
                other.institution_id is not None
                and other.institution_id == placement.institution_id
            ) or (
                other.institution_id is None
                and placement.institution_id is None
                and other.provider_name.strip().lower() == placement.provider_name.strip().lower()
            )
            if not same_place:
                found.append(PlacementWarning.SIBLINGS_SEPARATED)
                break
    history = [*Placement.objects.filter(child=child).exclude(pk=placement.pk), placement]
    current = next(e for e in episodes(history) if placement in e)
    if len(current) > 2:
        found.append(PlacementWarning.MANY_PLACEMENTS)
    if placement.emergency and placement.gatekeeping_id is None:
        found.append(PlacementWarning.GATEKEEPING_MISSING)
    return found


@transaction.atomic
def placement_start(
    *,
    actor: User,
    child: Child,
    care_type: str,
    start: datetime.date,
    district: Location,
    reason: str,
    institution: Institution | None = None,
    provider_name: str = "",
    emergency: bool = False,
    gatekeeping: GatekeepingDecision | None = None,
) -> Placement:
    errors: dict[str, Any] = {}
    if start > timezone.localdate():
        errors["start"] = _("A placement cannot start in the future.")
    if start < child.date_of_birth:
        errors["start"] = _("A placement cannot start before the child's birth.")
    if district.level != Level.DISTRICT:
        errors["district"] = _("Choose a district.")
    if care_type == CareType.INSTITUTION and institution is None:
        errors["institution"] = _("Choose the institution.")
    if care_type in FAMILY_PROVIDER_NEEDED and not provider_name.strip():
        errors["provider_name"] = _("Name the carers or the family.")
    if gatekeeping is None and not emergency:
        gatekeeping = (
            GatekeepingDecision.objects.filter(
                child=child, outcome=GatekeepingOutcome.PLACE, decided_on__lte=start
            )
            .order_by("-decided_on", "-id")
            .first()
        )
        if gatekeeping is None:
            errors["gatekeeping"] = _(
                "Record the gatekeeping decision first, or mark this an emergency placement."
            )
    elif gatekeeping is not None and (
        gatekeeping.child_id != child.pk or gatekeeping.outcome != GatekeepingOutcome.PLACE
    ):
        errors["gatekeeping"] = _("This decision does not allow a placement of this child.")
    overlapping = (
        Placement.objects.select_for_update()
        .filter(child=child)
        .filter(Q(end__isnull=True) | Q(end__gt=start))
    )
    if overlapping.exists():
        errors["start"] = _("The child is already in another placement on that date: end it first.")
    if errors:
        raise ValidationError(errors)
    placement = Placement(
        child=child,
        care_type=care_type,
        institution=institution,
        provider_name=provider_name.strip(),
        region=district.parent,
        district=district,
        start=start,
        reason=reason,
        emergency=emergency,
        gatekeeping=gatekeeping,
        created_by=actor,
        next_review_on=start + datetime.timedelta(days=settings.PLACEMENT_REVIEW_INTERVAL_DAYS),
    )
    placement.warnings = _warnings(placement, child)
    placement.full_clean()
    placement.save()
    refresh_facts([child.pk])
    if institution is not None:
        from homeward.institutions.actions import resident_admit

        resident_admit(actor=actor, institution=institution, child=child, admitted_on=start)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=child, changes=created_fields(placement)
    )
    case = _case(child)
    owner = case.case_manager or case.supervisor if case else None
    if case is not None:
        case_event_add(
            case=case,
            type=CaseEventType.PLACEMENT_STARTED,
            actor=actor,
            data={"care_type": care_type, "warnings": placement.warnings},
        )
    if case is not None and owner is not None:
        task_open(
            case=case,
            assigned_to=owner,
            kind=TaskKind.REVIEW,
            title=_("Review the placement"),
            due_at=_at_five(placement.next_review_on),  # type: ignore[arg-type]
            source=f"placement-review:{placement.uuid}",
        )
        if PlacementWarning.GATEKEEPING_MISSING in placement.warnings:
            task_open(
                case=case,
                assigned_to=owner,
                kind=TaskKind.DEADLINE,
                title=_("Record the gatekeeping decision for the emergency placement"),
                due_at=_at_five(
                    start + datetime.timedelta(days=settings.EMERGENCY_GATEKEEPING_DAYS)
                ),
                source=f"gatekeeping:{placement.uuid}",
            )
    return placement


@transaction.atomic
def placement_end(
    *,
    actor: User,
    placement: Placement,
    end: datetime.date,
    exit_destination: str,
    version: int | None = None,
) -> Placement:
    from homeward.core.errors import check_version

    locked = Placement.objects.select_for_update().select_related("child").get(pk=placement.pk)
    check_version(locked.version, version)
    errors: dict[str, Any] = {}
    if locked.end is not None:
        errors["end"] = _("This placement has already ended.")
    elif end < locked.start:
        errors["end"] = _("A placement cannot end before it starts.")
    elif end > timezone.localdate():
        errors["end"] = _("A placement cannot end in the future.")
    if not exit_destination:
        errors["exit_destination"] = _("Say where the child went.")
    if errors:
        raise ValidationError(errors)
    locked.end = end
    locked.exit_destination = exit_destination
    locked.version += 1
    locked.full_clean()
    locked.save()
    refresh_facts([locked.child_id])
    if locked.institution_id is not None:
        from homeward.institutions.actions import resident_discharge
        from homeward.institutions.models import Residence

        stay = Residence.objects.filter(
            child=locked.child, institution_id=locked.institution_id, left_on__isnull=True
        ).first()
        if stay is not None:
            resident_discharge(actor=actor, residence=stay, left_on=end)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.child,
        changes={"placement_end": [None, f"{end}:{exit_destination}"]},
    )
    case = _case(locked.child)
    if case is not None:
        tasks_close(case=case, source_prefix=f"placement-review:{locked.uuid}", actor=actor)
        case_event_add(
            case=case,
            type=CaseEventType.PLACEMENT_ENDED,
            actor=actor,
            data={"exit_destination": exit_destination},
        )
    return locked


@transaction.atomic
def placement_review(
    *,
    actor: User,
    placement: Placement,
    reviewed_on: datetime.date,
    notes: str,
    next_review_on: datetime.date | None = None,
) -> PlacementReview:
    errors: dict[str, Any] = {}
    if placement.end is not None:
        errors["reviewed_on"] = _("Only an open placement is reviewed.")
    if reviewed_on > timezone.localdate() or reviewed_on < placement.start:
        errors["reviewed_on"] = _("The review date must be between the start and today.")
    interval = datetime.timedelta(days=settings.PLACEMENT_REVIEW_INTERVAL_DAYS)
    next_review_on = next_review_on or reviewed_on + interval
    if next_review_on <= reviewed_on:
        errors["next_review_on"] = _("The next review must come after this one.")
    if errors:
        raise ValidationError(errors)
    review = PlacementReview(
        placement=placement,
        reviewed_on=reviewed_on,
        notes=notes,
        next_review_on=next_review_on,
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    Placement.objects.filter(pk=placement.pk).update(next_review_on=next_review_on)
    refresh_facts([placement.child_id])
    placement.next_review_on = next_review_on
    case = _case(placement.child)
    if case is not None:
        tasks_close(case=case, source_prefix=f"placement-review:{placement.uuid}", actor=actor)
        owner = case.case_manager or case.supervisor
        if owner is not None:
            task_open(
                case=case,
                assigned_to=owner,
                kind=TaskKind.REVIEW,
                title=_("Review the placement"),
                due_at=_at_five(next_review_on),
                source=f"placement-review:{placement.uuid}:{next_review_on.isoformat()}",
            )
        case_event_add(
            case=case,
            type=CaseEventType.PLACEMENT_REVIEWED,
            actor=actor,
            data={"next_review_on": str(next_review_on)},
        )
    return review
