"""Records the indicator tests write around the actions."""

from __future__ import annotations

import datetime
from typing import Any

from homeward.care.models import GatekeepingDecision


def gatekeeping_decision(
    child: Any, agency: Any, decided_on: datetime.date, care_type: str = "foster"
) -> GatekeepingDecision:
    """A decision to place the child, with every field a decision must give."""
    return GatekeepingDecision.objects.create(
        child=child,
        agency=agency,
        decided_on=decided_on,
        outcome="place",
        care_type=care_type,
        necessity="n",
        suitability="s",
        alternatives="a",
        assessment_reference="r",
        decision_maker="m",
        legal_basis="l",
    )
