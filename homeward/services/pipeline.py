"""The referral's allowed moves, who makes them, and the answer deadline in working days."""

from __future__ import annotations

import datetime

from django.utils import timezone

from homeward.services.models import ReferralStatus

S = ReferralStatus

# sent → accepted or declined → in progress → completed; the sender may withdraw while open.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Moves made by the receiving agency; the only other move, withdrawing, is the sender's.
RECEIVER_MOVES = frozenset({S.ACCEPTED, S.DECLINED, S.IN_PROGRESS, S.COMPLETED})
SENDER_MOVES = frozenset({S.WITHDRAWN})
OPEN_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.IN_PROGRESS})
CLOSED_STATUSES = frozenset({S.DECLINED, S.COMPLETED, S.WITHDRAWN})

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


def allowed_moves(status: str) -> frozenset[str]:
    return ALLOWED_MOVES.get(status, frozenset())


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same local clock time ``days`` working days (Monday to Friday) after ``start``.

    Saturdays and Sundays are not counted; public holidays are (they differ by country and
    year and are not kept here). Sent on a Friday with 3 days: due the next Wednesday. Sent
    on a Saturday or Sunday: the count starts on Monday, so 3 days fall due on Wednesday.
    """
    zone = timezone.get_current_timezone()
    local = timezone.localtime(start, zone)
    day = local.date()
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND:
            counted += 1
    return datetime.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
