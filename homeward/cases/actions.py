"""Opening cases, assigning workers, and recording or withdrawing consent."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.roles import Role
from homeward.access.scoping import has_role_in, team_for
from homeward.audit.actions import audit_record, created_fields
from homeward.audit.models import AuditAction
from homeward.cases.models import Case, CaseAssignment, Consent, ConsentGiver, ConsentKind

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User, WorkingGroup
    from homeward.registry.models import Child


@transaction.atomic
def case_open(*, actor: User, child: Child, agency: Agency) -> Case:
    """The case of a newly registered child; its registering case manager manages it."""
    case = Case(
        child=child,
        agency=agency,
        team=team_for(actor, agency),
        case_manager=actor if has_role_in(actor, agency, Role.CASE_MANAGER) else None,
        opened_on=timezone.localdate(),
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, changes=created_fields(case))
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, user: User) -> CaseAssignment:
    if CaseAssignment.objects.filter(case=case, user=user, ended_on__isnull=True).exists():
        raise ValidationError({"user": _("This worker is already assigned to the case.")})
    assignment = CaseAssignment.objects.create(
        case=case, user=user, assigned_on=timezone.localdate()
    )
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        obj=case.child,
        changes={"assigned": [None, user.get_username()]},
    )
    return assignment


def age_on(child: Child, day: datetime.date) -> int:
    born = child.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def required_givers(age: int) -> set[str]:
    """Who may give consent at this age (DOMAIN §2, bands set in CONSENT_AGE_BANDS)."""
    caregiver_only_below, child_alone_from = settings.CONSENT_AGE_BANDS
    if age < caregiver_only_below:
        return {ConsentGiver.CAREGIVER, ConsentGiver.BOTH}
    if age < child_alone_from:
        return {ConsentGiver.BOTH}
    return {ConsentGiver.CHILD, ConsentGiver.BOTH}


@transaction.atomic
def consent_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    given_by: str,
    given_on: datetime.date,
    agency: Agency | None = None,
    working_group: WorkingGroup | None = None,
    service_type: str = "",
    notes: str = "",
) -> Consent:
    errors: dict[str, Any] = {}
    if given_on > timezone.localdate():
        errors["given_on"] = _("Consent cannot be dated in the future.")
    elif given_on < child.date_of_birth:
        errors["given_on"] = _("Consent cannot be dated before the child's birth.")
    elif given_by in ConsentGiver.values and given_by not in required_givers(
        age_on(child, given_on)
    ):
        errors["given_by"] = _("At this age consent is given by: %(who)s.") % {
            "who": ", ".join(
                str(ConsentGiver(g).label) for g in sorted(required_givers(age_on(child, given_on)))
            )
        }
    recipients = [r for r in (agency, working_group, service_type) if r]
    if kind == ConsentKind.SHARING and len(recipients) != 1:
        errors["agency"] = _("Name the one agency, working group or service type it allows.")
    if kind != ConsentKind.SHARING and recipients:
        errors["kind"] = _("Only consent to sharing names an agency or service.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        child=child,
        kind=kind,
        given_by=given_by,
        given_on=given_on,
        agency=agency,
        working_group=working_group,
        service_type=service_type,
        notes=notes,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=child,
        changes={
            "consent": [None, f"{kind}:{given_by}:{given_on}"],
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdrawal takes effect at once: shares resting on this consent stop counting."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent is already withdrawn.")})
    if withdrawn_on > timezone.localdate() or withdrawn_on < locked.given_on:
        raise ValidationError(
            {"withdrawn_on": _("The withdrawal date must be between the consent and today.")}
        )
    locked.withdrawn_on = withdrawn_on
    locked.withdrawn_by = actor
    locked.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.child,
        changes={"consent_withdrawn": [str(locked.uuid), str(withdrawn_on)]},
    )
    return locked
