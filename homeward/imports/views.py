"""Census import pages: upload, the job with its progress and report, and "import now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.core.forms import add_action_errors
from homeward.core.requests import actor_of
from homeward.imports import actions, selectors
from homeward.imports.census import COLUMNS, present_issues
from homeward.imports.forms import ImportUploadForm
from homeward.imports.models import ImportJob, ImportStatus


def job_list(request: HttpRequest) -> HttpResponse:
    agencies = selectors.import_agencies(request.user)
    if not agencies:
        return render(request, "errors/403.html", status=403)
    form = ImportUploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.import_job_create(
                actor=actor_of(request),
                upload=form.cleaned_data["file"],
                agency=form.cleaned_data["agency"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("imports:job_detail", job_uuid=job.uuid)
    context = {
        "form": form,
        "jobs": selectors.import_jobs_for_user(request.user)[:20],
        "columns": COLUMNS,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/job_list.html", context, status=status)


def _context(job: ImportJob) -> dict[str, Any]:
    report = job.report or {}
    return {
        "job": job,
        "report": report,
        "errors": present_issues(report.get("errors", [])),
        "warnings": present_issues(report.get("warnings", [])),
        "can_import": job.status == ImportStatus.VALID and job.dry_run,
    }


def job_detail(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = selectors.import_job_get(request.user, job_uuid)
    template = "imports/job_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#status"
    return render(request, template, _context(job))


@require_POST
def job_commit(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = selectors.import_job_get(request.user, job_uuid)
    try:
        actions.import_job_commit(actor=actor_of(request), job=job)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The import has started."))
    return redirect("imports:job_detail", job_uuid=job.uuid)
