"""Reads of the audit trail, scoped: administrators see all, supervisors their agencies'."""

from __future__ import annotations

import datetime
import uuid as uuid_module
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from homeward.access.permissions import Perm, has_perm
from homeward.access.roles import Role
from homeward.access.scoping import memberships
from homeward.accounts.models import Membership
from homeward.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User


def events_for_user(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    if not has_perm(user, Perm.AUDIT_VIEW):
        return AuditEvent.objects.none()
    roles = {m.role for m in memberships(user)}
    if Role.SYSTEM_ADMIN in roles:
        return AuditEvent.objects.all()
    agencies = Q(pk__in=[])
    for membership in memberships(user):
        if membership.role in {Role.SUPERVISOR, Role.AGENCY_ADMIN}:
            path = membership.agency.path
            agencies |= Q(agency__path=path) | Q(agency__path__startswith=path + "/")
    actors = Membership.objects.filter(agencies).values("user_id")
    return AuditEvent.objects.filter(actor_id__in=actors)


@dataclass(frozen=True)
class EventFilters:
    user: str = ""
    record: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def event_list(user: User | AnonymousUser, filters: EventFilters) -> QuerySet[AuditEvent]:
    qs = events_for_user(user)
    if filters.user:
        qs = qs.filter(actor_username__iexact=filters.user.strip())
    if filters.record:
        record = filters.record.strip()
        try:
            qs = qs.filter(object_uuid=uuid_module.UUID(record))
        except ValueError:
            qs = qs.filter(object_label__iexact=record)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from:
        qs = qs.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(occurred_at__date__lte=filters.date_to)
    return qs.order_by("-seq")


def record_viewers(user: User | AnonymousUser, record: Any) -> QuerySet[AuditEvent]:
    """Who has opened this record, newest first (for roles that may read the audit)."""
    return (
        events_for_user(user)
        .filter(object_uuid=record.uuid, action=AuditAction.VIEW)
        .order_by("-seq")
    )
