"""Small-cell suppression for what analysts and the public see (DOMAIN §10).

Counts of 1–4 are shown as "<5". When a group's total is published, hiding one cell alone would
let it be recovered by subtraction, so the next smallest cell is hidden too (complementary
suppression), and so on until at least two cells are hidden or none.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
HIDDEN = "<5"


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


def cells_to_hide(counts: Sequence[int]) -> set[int]:
    """Indexes of the cells to hide in one row of counts that adds up to a published total."""
    hidden = {i for i, c in enumerate(counts) if is_small(c)}
    if len(hidden) == 1:
        # the smallest other non-zero cell goes too, or the hidden one is total minus the rest
        candidates = sorted((c, i) for i, c in enumerate(counts) if i not in hidden and c > 0)
        if candidates:
            hidden.add(candidates[0][1])
    return hidden


def rows_to_hide(rows: Sequence[tuple[int | None, int | None]]) -> set[int]:
    """Rows (numerator, denominator) to hide whole: any small count, plus a complementary row
    when only one would be hidden, for both margins are published."""
    hidden = {i for i, (num, den) in enumerate(rows) if is_small(num) or is_small(den)}
    if len(hidden) == 1:
        candidates = sorted(
            ((den if den else num) or 0, i)
            for i, (num, den) in enumerate(rows)
            if i not in hidden and ((num or 0) > 0 or (den or 0) > 0)
        )
        if candidates:
            hidden.add(candidates[0][1])
    return hidden


def shown(count: int | None, hide: bool) -> int | str | None:
    return HIDDEN if hide else count
