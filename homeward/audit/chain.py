"""The hash chain: how an event's hash is computed, and how the chain is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homeward.audit.models import AuditEvent

GENESIS = "0" * 64


def event_digest(fields: dict[str, Any]) -> str:
    """SHA-256 of the event's content and its predecessor's hash, in a canonical form."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changes_digest(changes: dict[str, Any]) -> str:
    return event_digest({"changes": changes})


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "uuid": str(event.uuid),
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_uuid": str(event.object_uuid) if event.object_uuid else "",
        "object_label": event.object_label,
        "changes_digest": event.changes_digest,
        "detail": event.detail,
        "ip_address": event.ip_address or "",
        "prev_hash": event.prev_hash,
    }


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    uuid: str
    reason: str


def verify(batch_size: int = 5000) -> tuple[int, BrokenLink | None]:
    """Walk the chain in order; return how many events were checked and the first broken link."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in _in_order(batch_size):
        if event.seq != expected_seq:
            return checked, BrokenLink(
                event.seq, str(event.uuid), f"event {expected_seq} is missing"
            )
        if event.prev_hash != expected_prev:
            return checked, BrokenLink(
                event.seq, str(event.uuid), "does not follow its predecessor"
            )
        if event_digest(hashed_fields(event)) != event.hash or (
            not event.redacted and changes_digest(event.changes) != event.changes_digest
        ):
            return checked, BrokenLink(event.seq, str(event.uuid), "its content was changed")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return checked, None


def _in_order(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
