"""Episodes of care (DOMAIN §9): runs of placements each starting no later than one day
after the previous one ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def start(self) -> object: ...

    @property
    def end(self) -> object: ...


P = TypeVar("P", bound=Dated)


def episodes(placements: Sequence[P]) -> list[list[P]]:
    """Group one child's placements into episodes, oldest first."""
    ordered = sorted(placements, key=lambda p: p.start)  # type: ignore[arg-type,return-value]
    groups: list[list[P]] = []
    for placement in ordered:
        previous = groups[-1][-1] if groups else None
        continues = (
            previous is not None
            and previous.end is not None
            and placement.start <= previous.end + timedelta(days=1)  # type: ignore[operator]
        )
        if continues:
            groups[-1].append(placement)
        else:
            groups.append([placement])
    return groups
