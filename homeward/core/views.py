from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from homeward.access.permissions import Perm, has_perm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if has_perm(request.user, Perm.CASE_WORK):
        return redirect("cases:my_work")
    if has_perm(request.user, Perm.CARER_MANAGE):
        return redirect("carers:dashboard")
    if has_perm(request.user, Perm.CHILD_VIEW):
        return redirect("registry:child_list")
    if has_perm(request.user, Perm.REPORT_VIEW):
        return redirect("indicators:indicator_page")
    return render(request, "core/home.html")


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return render(request, "errors/500.html", status=500)
