"""Writing audit events. Called inside the transaction of the change it records."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from homeward.audit.chain import GENESIS, changes_digest, event_digest, hashed_fields
from homeward.audit.context import client_ip
from homeward.audit.models import AuditAction, AuditEvent

# Any constant: PostgreSQL serialises appends to the chain on this advisory lock.
CHAIN_LOCK = 4_611_686_018_427_387_000


def _plain(value: Any) -> Any:
    """A JSON-safe, stable form of a field value (records become their public id)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", None) or getattr(value, "code", None) or value.pk)
    if isinstance(value, datetime.date | datetime.datetime | uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    changed: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


# Not a change anyone made: the key, the search key derived from the names, and the
# child's copy of who works on its case (kept by the database from the case).
NOT_SNAPSHOT = frozenset(
    {"id", "search_key", "scope_case_manager_id", "scope_team_id", "scope_supervisor_id"}
)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    names = fields or [f.name for f in instance._meta.concrete_fields if f.name not in NOT_SNAPSHOT]
    return {name: getattr(instance, name) for name in names}


def created_fields(instance: models.Model) -> dict[str, list[Any]]:
    """A new record's fields as {field: [None, value]}."""
    return diff({}, snapshot(instance))


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            seq=seq,
            occurred_at=timezone.now(),
            actor=actor if authenticated else None,
            actor_username=(actor.get_username() if authenticated else username)[:150],
            action=str(action),
            object_type=obj._meta.label_lower if obj is not None else "",
            object_uuid=getattr(obj, "uuid", None),
            object_label=_label(obj),
            changes={k: _plain(v) for k, v in (changes or {}).items()},
            detail=detail[:500],
            ip_address=client_ip.get(),
            prev_hash=prev_hash,
        )
        event.changes_digest = changes_digest(event.changes)
        event.hash = event_digest(hashed_fields(event))
        event.save(force_insert=True)
        return event


def _label(obj: models.Model | None) -> str:
    """A readable reference that is not a name: case numbers and codes only."""
    if obj is None:
        return ""
    for attribute in ("case_number", "code", "username"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:64]
    return ""


def audit_redact(*, object_uuids: list[uuid.UUID]) -> int:
    """Blank the recorded values of these records' changes (anonymisation); the chain stays
    verifiable through each event's changes digest."""
    events = AuditEvent.objects.filter(object_uuid__in=object_uuids, redacted=False).exclude(
        changes={}
    )
    count = 0
    for event in events.only("pk", "changes"):
        redacted = {field: ["…", "…"] for field in event.changes}
        AuditEvent.objects.filter(pk=event.pk).update(changes=redacted, redacted=True)
        count += 1
    return count
