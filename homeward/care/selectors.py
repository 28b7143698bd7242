"""Reads of gatekeeping decisions and placements, through the child's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from homeward.care.episodes import episodes
from homeward.care.models import GatekeepingDecision, Placement
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.registry.models import Child

    AnyUser = User | AnonymousUser


def placements_of(child: Child) -> QuerySet[Placement]:
    return child.placements.select_related(
        "institution", "district", "region", "gatekeeping"
    ).order_by("start", "id")


def decisions_of(child: Child) -> QuerySet[GatekeepingDecision]:
    return child.gatekeeping_decisions.order_by("-decided_on", "-id")


@dataclass(frozen=True)
class Episode:
    placements: list[Placement]

    @property
    def start(self) -> object:
        return self.placements[0].start

    @property
    def end(self) -> object:
        return self.placements[-1].end

    @property
    def exit_destination(self) -> str:
        return self.placements[-1].exit_destination


def care_history(child: Child) -> list[Episode]:
    """The child's episodes of care, newest first, each with its placements in order."""
    return [Episode(group) for group in reversed(episodes(list(placements_of(child))))]


def placement_get(user: AnyUser, placement_uuid: uuid.UUID | str) -> Placement:
    placement = (
        Placement.objects.filter(
            uuid=placement_uuid, child__in=children_for_user(user).values("pk")
        )
        .select_related("child", "child__home_location", "institution", "district", "region")
        .first()
    )
    if placement is None:
        raise Http404
    return placement
