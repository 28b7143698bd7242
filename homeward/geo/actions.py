"""Writes to the location tree (system administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record, created_fields, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.geo.models import LEVEL_DEPTH, Level, Location

if TYPE_CHECKING:
    from homeward.accounts.models import User

EDITABLE = frozenset({"name_local", "name_ru", "name_latin", "iso_code", "latitude", "longitude"})


@transaction.atomic
def location_create(
    *, actor: User, code: str, parent: Location | None, level: str, data: dict[str, Any]
) -> Location:
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError({n: _("This field cannot be set here.") for n in sorted(unknown)})
    if level not in Level.values:
        raise ValidationError({"level": _("Choose country, region, district or locality.")})
    expected_parent_depth = LEVEL_DEPTH[Level(level)] - 1
    if (parent is None and expected_parent_depth >= 0) or (
        parent is not None and LEVEL_DEPTH[Level(parent.level)] != expected_parent_depth
    ):
        raise ValidationError({"parent": _("The parent must be one level above.")})
    location = Location(
        code=code,
        parent=parent,
        level=level,
        path=f"{parent.path}/{code}" if parent else code,
        **data,
    )
    location.full_clean()
    location.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=location, changes=created_fields(location)
    )
    return location


@transaction.atomic
def location_update(*, actor: User, location: Location, changes: dict[str, Any]) -> Location:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError({n: _("This field cannot be set here.") for n in sorted(unknown)})
    before = snapshot(location)
    for name, value in changes.items():
        setattr(location, name, value)
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=location,
        changes=diff(before, snapshot(location)),
    )
    return location
