"""Turn codes and UUIDs arriving in API payloads into records, with field-named errors."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from homeward.api.common import field_error
from homeward.geo.models import Location


def location_by_code(field: str, code: str | None) -> Location | None:
    if code is None or code == "":
        return None
    location = Location.objects.filter(code=code).first()
    if location is None:
        raise field_error(field, _("Unknown location code."))
    return location


def record_in(field: str, queryset: QuerySet[Any], key: uuid.UUID | None) -> Model | None:
    """A record the user may see, looked up by UUID; anything else is one error message."""
    if key is None:
        return None
    record = queryset.filter(uuid=key).first()
    if record is None:
        raise field_error(field, _("No such record in your records."))
    return record  # type: ignore[no-any-return]
