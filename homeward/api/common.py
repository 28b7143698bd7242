"""Pieces every API router shares: auth, paging, errors as JSON with field names."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import HttpBearer
from pydantic import Field

from homeward.core.paging import page_rows, row_count

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class BearerAuth(HttpBearer):
    """The token was checked by the access middleware; this documents and re-asserts it."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def page_of(queryset: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    return {
        "items": page_rows(queryset, start, start + params.page_size),
        "count": row_count(queryset),
    }


def validation_error_body(error: ValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        errors = {
            ("non_field_errors" if field == "__all__" else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    else:
        errors = {"non_field_errors": list(error.messages)}
    return {"detail": _("The data is not valid."), "errors": errors}


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})
