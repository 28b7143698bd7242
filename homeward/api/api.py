"""The /api/v1 entry point: one NinjaAPI with every app's router."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from homeward.access.api import router as access_router
from homeward.accounts.api import router as auth_router
from homeward.api.common import BearerAuth, validation_error_body
from homeward.assessments.api import router as assessments_router
from homeward.care.api import router as care_router
from homeward.carers.api import router as carers_router
from homeward.cases.api import router as cases_router
from homeward.core.errors import StaleVersionError
from homeward.exports.api import router as exports_router
from homeward.geo.api import router as geo_router
from homeward.imports.api import router as imports_router
from homeward.indicators.api import router as indicators_router
from homeward.institutions.api import router as institutions_router
from homeward.matching.api import router as matching_router
from homeward.plans.api import router as plans_router
from homeward.registry.api import router as registry_router
from homeward.services.api import router as services_router

api = NinjaAPI(
    title="Homeward API",
    version="1",
    description=(
        "Case management for child care reform. Authenticate with POST /api/v1/auth/token, "
        "then send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=BearerAuth(),
)
api.add_router("/auth", auth_router)
api.add_router("/", registry_router)
api.add_router("/", institutions_router)
api.add_router("/", geo_router)
api.add_router("/", access_router)
api.add_router("/", cases_router)
api.add_router("/", plans_router)
api.add_router("/", assessments_router)
api.add_router("/", care_router)
api.add_router("/", carers_router)
api.add_router("/", matching_router)
api.add_router("/", services_router)
api.add_router("/", indicators_router)
api.add_router("/", imports_router)
api.add_router("/", exports_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    status = 409 if isinstance(exc, StaleVersionError) else 422
    return api.create_response(request, validation_error_body(exc), status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        # drop "body"/"query" and the schema parameter name: keep the field path
        field = ".".join(location[2:] if len(location) > 2 else location[-1:]) or "body"
        errors.setdefault(field, []).append(_schema_message(error))
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": errors}, status=422
    )


def _schema_message(error: dict[str, object]) -> str:
    kind = str(error.get("type", ""))
    messages = {
        "missing": _("This field is required."),
        "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_type": _("Enter a valid date (YYYY-MM-DD)."),
        "uuid_parsing": _("Enter a valid identifier."),
        "uuid_type": _("Enter a valid identifier."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "greater_than_equal": _("The value is too small."),
        "less_than_equal": _("The value is too large."),
        "extra_forbidden": _("This field is not allowed."),
        "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."),
    }
    return messages.get(kind, _("This value is not valid."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Authentication required: send a valid bearer token.")}, status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400:
        # The only 400 ninja raises: a body that is not JSON (or not UTF-8).
        detail = _("The request body is not valid JSON in UTF-8.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
