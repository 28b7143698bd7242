from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.api.common import Page, PageParams, page_of
from homeward.api.lookups import location_by_code
from homeward.geo import actions, selectors
from homeward.geo.models import Location

router = Router(tags=["locations"])


class LocationOut(Schema):
    code: str
    parent: str | None = None
    level: str
    name_local: str
    name_ru: str
    name_latin: str
    iso_code: str
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_parent(obj: Location) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class LocationQuery(Schema):
    search: str = Field("", max_length=100)
    level: str = Field("", max_length=16)
    parent: str = Field("", max_length=32)


class LocationFields(Schema):
    name_local: str | None = None
    name_ru: str | None = None
    name_latin: str | None = None
    iso_code: str | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)

    model_config = {"extra": "forbid"}


class LocationIn(LocationFields):
    code: str = Field(max_length=32)
    parent: str | None = None
    level: str
    name_local: str
    name_latin: str


def _fields(payload: LocationFields) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True, exclude={"code", "parent", "level"})
    for field in ("name_ru", "iso_code"):
        if field in data and data[field] is None:
            data[field] = ""
    return data


@router.get("/locations", response=Page[LocationOut], url_name="location_list")
def location_list(
    request: HttpRequest, query: Query[LocationQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    locations = selectors.location_list(q=query.search, level=query.level, parent=query.parent)
    return page_of(locations, paging)


@router.post("/locations", response={201: LocationOut}, url_name="location_list")
def location_create(request: HttpRequest, payload: LocationIn) -> tuple[int, Location]:
    location = actions.location_create(
        actor=request.user,  # type: ignore[arg-type]
        code=payload.code,
        parent=location_by_code("parent", payload.parent),
        level=payload.level,
        data=_fields(payload),
    )
    return 201, location


@router.get("/locations/{code}", response=LocationOut, url_name="location_detail")
def location_detail(request: HttpRequest, code: str) -> Location:
    return selectors.location_get(code)


@router.patch("/locations/{code}", response=LocationOut, url_name="location_detail")
def location_update(request: HttpRequest, code: str, payload: LocationFields) -> Location:
    return actions.location_update(
        actor=request.user,  # type: ignore[arg-type]
        location=selectors.location_get(code),
        changes=_fields(payload),
    )
