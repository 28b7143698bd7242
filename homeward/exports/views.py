"""Export links of the list and indicator pages, and the pages of background exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.requests import actor_of
from homeward.exports import actions, selectors
from homeward.exports.models import ExportFormat, ExportJob, ExportKind


def _back(request: HttpRequest, url_name: str) -> HttpResponse:
    query = request.GET.copy()
    query.pop("format", None)
    return redirect(f"{reverse(url_name)}?{query.urlencode()}")


def _deliver(request: HttpRequest, prepared: actions.Prepared) -> HttpResponse:
    """Small exports now; large ones to the task worker, followed on the job's page."""
    actor = actor_of(request)
    if actions.runs_in_background(prepared):
        job = actions.export_job_create(actor=actor, prepared=prepared)
        return redirect("exports:job_detail", job_uuid=job.uuid)
    content_type = actions.CONTENT_TYPES[ExportFormat(prepared.format)]
    response: HttpResponse | StreamingHttpResponse
    if prepared.format == ExportFormat.CSV:
        response = StreamingHttpResponse(
            actions.export_stream(actor=actor, prepared=prepared), content_type=content_type
        )
    else:
        response = HttpResponse(
            actions.export_now(actor=actor, prepared=prepared), content_type=content_type
        )
    filename = actions.export_filename(prepared.kind, prepared.format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response  # type: ignore[return-value]


def _export(request: HttpRequest, kind: str, back: str) -> HttpResponse:
    try:
        prepared = actions.export_prepare(
            user=request.user,
            kind=kind,
            fmt=request.GET.get("format", ExportFormat.CSV),
            params=request.GET.dict(),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _back(request, back)
    return _deliver(request, prepared)


def children_export(request: HttpRequest) -> HttpResponse:
    """The child list with the list page's filters, as CSV, XLSX or PDF."""
    return _export(request, ExportKind.CHILDREN, "registry:child_list")


def indicator_export(request: HttpRequest) -> HttpResponse:
    """The indicator on the indicators page, as CSV, XLSX or PDF."""
    return _export(request, ExportKind.INDICATOR, "indicators:indicator_page")


@require_POST
def indicators_standard(request: HttpRequest) -> HttpResponse:
    """The standard indicator workbook for a date and an area, written in the background."""
    try:
        prepared = actions.export_prepare(
            user=request.user,
            kind=ExportKind.INDICATORS,
            fmt=request.POST.get("format", ExportFormat.XLSX),
            params=request.POST.dict(),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("indicators:indicator_page")
    return _deliver(request, prepared)


def download_url(job: ExportJob) -> str:
    url = reverse("exports:job_download", kwargs={"job_uuid": job.uuid})
    return f"{url}?{urlencode({'token': job.link_token})}"


def job_detail(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = selectors.export_job_get(request.user, job_uuid)
    context = {"job": job, "download_url": download_url(job) if job.link_token else ""}
    template = "exports/job_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#status"
    return render(request, template, context)


def job_download(request: HttpRequest, job_uuid: str) -> HttpResponseBase:
    job = selectors.export_job_get(request.user, job_uuid)
    try:
        handle = actions.export_download(
            actor=actor_of(request), job=job, token=request.GET.get("token", "")
        )
    except actions.ExportLinkExpired:
        return render(request, "exports/expired.html", {"job": job}, status=410)
    return FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=job.content_type
    )
