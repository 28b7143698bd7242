"""The foster carer pipeline of DOMAIN §5 as a table of allowed moves."""

from __future__ import annotations

from homeward.carers.models import Stage

S = Stage

# A household can withdraw (be deregistered) at any step. The panel can send the home study
# back. Approval itself is the panel's decision with its terms (``carer_approve``); resuming
# from hold goes back to approved while the approval is still valid.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.ENQUIRY: frozenset({S.INFORMATION_VISIT, S.DEREGISTERED}),
    S.INFORMATION_VISIT: frozenset({S.APPLICATION, S.DEREGISTERED}),
    S.APPLICATION: frozenset({S.TRAINING, S.DEREGISTERED}),
    S.TRAINING: frozenset({S.HOME_STUDY, S.DEREGISTERED}),
    S.HOME_STUDY: frozenset({S.PANEL, S.DEREGISTERED}),
    S.PANEL: frozenset({S.APPROVED, S.HOME_STUDY, S.DEREGISTERED}),
    S.APPROVED: frozenset({S.ON_HOLD, S.DEREGISTERED}),
    S.ON_HOLD: frozenset({S.APPROVED, S.DEREGISTERED}),
    S.DEREGISTERED: frozenset(),
}
# Stages before a decision: shown as the recruitment pipeline on the dashboard.
IN_ASSESSMENT = (S.ENQUIRY, S.INFORMATION_VISIT, S.APPLICATION, S.TRAINING, S.HOME_STUDY, S.PANEL)
ACTIVE = frozenset(set(Stage.values) - {S.DEREGISTERED})


def allowed_moves(stage: str) -> list[str]:
    return [s for s in Stage.values if s in ALLOWED_MOVES.get(stage, frozenset())]
