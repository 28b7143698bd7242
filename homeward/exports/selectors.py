"""Reads of export jobs: a user sees their own exports only."""

from __future__ import annotations

import uuid as uuid_module
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from homeward.exports.models import ExportJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

    AnyUser = User | AnonymousUser


def export_jobs_for_user(user: AnyUser) -> QuerySet[ExportJob]:
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by_id=user.pk)


def export_job_get(user: AnyUser, job_uuid: Any) -> ExportJob:
    try:
        value = (
            job_uuid if isinstance(job_uuid, uuid_module.UUID) else uuid_module.UUID(str(job_uuid))
        )
    except ValueError as exc:
        raise Http404 from exc
    job = export_jobs_for_user(user).filter(uuid=value).first()
    if job is None:
        raise Http404
    return job
