"""Enforce the URL permission map on every request, web and API alike."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.access.urlmap import AUTHENTICATED, PUBLIC, SIGNED_IN, rule_for
from homeward.accounts.security import second_factor_satisfied

logger = logging.getLogger(__name__)


def is_api_request(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.namespace == "api")


def _deny(request: HttpRequest, status: int) -> HttpResponse:
    if is_api_request(request):
        messages = {
            401: _("Authentication required: send a valid bearer token."),
            403: _("You do not have permission to do this."),
            404: _("Not found."),
            405: _("Method not allowed."),
        }
        return JsonResponse({"detail": messages[status]}, status=status)
    response = TemplateResponse(request, f"errors/{status}.html", status=status)
    return response.render()


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if is_api_request(request):
            from homeward.accounts.tokens import authenticate_bearer

            user = authenticate_bearer(request)
            if user is not None:
                request.user = user
        rule = rule_for(view_name, request.method or "GET")
        if rule is None:
            if view_name and rule_for(view_name, "GET") is not None:
                return _deny(request, 405)
            logger.error("URL %r has no permission declaration; refusing it.", view_name)
            return _deny(request, 404)
        if rule == PUBLIC:
            return None
        if not request.user.is_authenticated:
            if is_api_request(request):
                return _deny(request, 401)
            return redirect_to_login(request.get_full_path())
        if rule == SIGNED_IN:
            return None
        if not second_factor_satisfied(request.user):
            if is_api_request(request):
                return _deny(request, 401)
            return redirect_to_login(request.get_full_path(), login_url="accounts:two_factor")
        if rule == AUTHENTICATED:
            return None
        if not has_perm(request.user, Perm(rule)):
            return _deny(request, 403)
        return None
