"""Reads of import jobs, scoped to the user, and the agencies a user may import for."""

from __future__ import annotations

import uuid as uuid_module
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from homeward.access.permissions import ROLE_PERMISSIONS, Perm, has_perm
from homeward.access.scoping import memberships
from homeward.imports.models import ImportJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Agency, User

    AnyUser = User | AnonymousUser


def import_agencies(user: AnyUser) -> list[Agency]:
    """Agencies in which the user holds a role that imports; each one's area bounds its import."""
    found: dict[int, Agency] = {}
    for membership in memberships(user):
        if Perm.IMPORT_RUN in ROLE_PERMISSIONS.get(membership.role, frozenset()):
            found.setdefault(membership.agency_id, membership.agency)
    return sorted(found.values(), key=lambda a: a.name)


def import_jobs_for_user(user: AnyUser) -> QuerySet[ImportJob]:
    """A user's own imports: the reports speak of their file only."""
    if not has_perm(user, Perm.IMPORT_RUN):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by_id=user.pk).select_related("agency")


def import_job_get(user: AnyUser, job_uuid: Any) -> ImportJob:
    try:
        value = (
            job_uuid if isinstance(job_uuid, uuid_module.UUID) else uuid_module.UUID(str(job_uuid))
        )
    except ValueError as exc:
        raise Http404 from exc
    job = import_jobs_for_user(user).filter(uuid=value).first()
    if job is None:
        raise Http404
    return job
