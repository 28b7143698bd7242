"""The case status pipeline: which moves are allowed, and the deadlines each step sets."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from homeward.cases.models import CaseStatus

S = CaseStatus

# Moves along the six steps. Closing goes through a supervisor's approval, reopening starts
# again at the initial assessment; both have their own actions.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.INITIAL_ASSESSMENT}),
    S.INITIAL_ASSESSMENT: frozenset({S.COMPREHENSIVE_ASSESSMENT}),
    S.COMPREHENSIVE_ASSESSMENT: frozenset({S.CASE_PLANNING}),
    S.CASE_PLANNING: frozenset({S.IMPLEMENTATION}),
    S.IMPLEMENTATION: frozenset({S.REVIEW}),
    S.REVIEW: frozenset({S.IMPLEMENTATION, S.CASE_PLANNING}),
    S.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(set(CaseStatus.values) - {S.CLOSED})


def allowed_moves(status: str) -> list[str]:
    return [s for s in CaseStatus.values if s in ALLOWED_MOVES.get(status, frozenset())]


def step_deadline(status: str, risk_level: str) -> timedelta | None:
    """How long the step may take at this risk level (CASE_DEADLINES, in hours)."""
    rule = settings.CASE_DEADLINES.get(status)
    if not rule:
        return None
    hours = rule.get(risk_level or "unknown", rule.get("unknown"))
    return timedelta(hours=hours) if hours else None


def review_interval_days(risk_level: str) -> int:
    intervals: dict[str, int] = settings.CASE_REVIEW_INTERVAL_DAYS
    return intervals.get(risk_level or "unknown", intervals["unknown"])
