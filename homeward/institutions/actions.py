"""Every write to institutions and residences."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record, created_fields, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.core.actions import check_fields
from homeward.core.errors import check_version
from homeward.institutions.models import Institution, Residence

if TYPE_CHECKING:
    from homeward.accounts.models import User
    from homeward.registry.models import Child

INSTITUTION_FIELDS = frozenset(
    {"code", "name", "name_latin", "kind", "agency", "location", "capacity", "is_active"}
)


@transaction.atomic
def institution_create(*, actor: User, data: dict[str, Any]) -> Institution:
    check_fields(data, INSTITUTION_FIELDS)
    institution = Institution(**data)
    institution.full_clean()
    institution.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=institution, changes=created_fields(institution)
    )
    return institution


@transaction.atomic
def institution_update(
    *, actor: User, institution: Institution, version: int | None, changes: dict[str, Any]
) -> Institution:
    check_fields(changes, INSTITUTION_FIELDS)
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    check_version(locked.version, version)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    changed = diff(before, snapshot(locked))
    if changed:
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changed)
    return locked


@transaction.atomic
def resident_admit(
    *,
    actor: User,
    institution: Institution,
    child: Child,
    admitted_on: datetime.date,
    notes: str = "",
) -> Residence:
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("The admission date cannot be in the future.")})
    overlapping = (
        Residence.objects.select_for_update()
        .filter(child=child)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=admitted_on))
    )
    if overlapping.exists():
        raise ValidationError(
            {
                "admitted_on": _(
                    "This child already has a stay in an institution at that date; "
                    "record when it ended first."
                )
            }
        )
    residence = Residence(
        institution=institution, child=child, admitted_on=admitted_on, notes=notes
    )
    residence.full_clean()
    residence.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=child,
        changes={"admitted": [None, f"{institution.code}:{admitted_on}"]},
    )
    return residence


@transaction.atomic
def resident_discharge(*, actor: User, residence: Residence, left_on: datetime.date) -> Residence:
    locked = Residence.objects.select_for_update().get(pk=residence.pk)
    if locked.left_on is not None:
        raise ValidationError({"left_on": _("This stay has already ended.")})
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date the child left cannot be in the future.")})
    if left_on < locked.admitted_on:
        raise ValidationError(
            {"left_on": _("The date the child left cannot be before the admission.")}
        )
    locked.left_on = left_on
    locked.full_clean()
    locked.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.child,
        changes={"left": [locked.institution.code, str(left_on)]},
    )
    return locked
