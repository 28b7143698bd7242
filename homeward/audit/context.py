"""Who is asking, for the audit trail: the request's address, set per request."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

client_ip: ContextVar[str | None] = ContextVar("homeward_client_ip", default=None)


def request_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header is trusted only when a proxy sets REMOTE_ADDR.
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
