"""The referral's allowed moves, who makes them, and the answer deadline in working days."""

from __future__ import annotations

import datetime
from collections.abc import Container

import holidays
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


def public_holidays(country: str) -> Container[datetime.date]:
    """The public holidays of a country (its ISO 3166 code, as the location tree's roots are
    coded), and the days off moved onto weekdays, every year, from the ``holidays`` package;
    none for a country it does not know."""
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        return frozenset()


def add_working_days(start: datetime.datetime, days: int, country: str = "") -> datetime.datetime:
    """The same local clock time ``days`` working days after ``start``.

    Saturdays and Sundays are not counted, nor the public holidays of ``country``, where the
    answer is due (the receiving agency's). Sent on a Friday with 3 days: due the next
    Wednesday. Sent on a Saturday or Sunday: the count starts on Monday, so 3 days fall due
    on Wednesday. In Bulgaria, sent on Monday 2 March 2026 with 3 days: due Friday 6 March
    (3 March is Liberation Day). A Saturday worked in exchange for a day off is not counted.
    """
    zone = timezone.get_current_timezone()
    local = timezone.localtime(start, zone)
    closed = public_holidays(country) if country else frozenset()
    day = local.date()
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() not in WEEKEND and day not in closed:
            counted += 1
    return datetime.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
