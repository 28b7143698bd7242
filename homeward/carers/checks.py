"""Start-up checks of the foster-care settings a country may set from the environment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error


def required_checks_are_known(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every kind named in CARER_REQUIRED_CHECKS is one the foster-care pages record."""
    from homeward.carers.models import CheckKind

    unknown = sorted(set(settings.CARER_REQUIRED_CHECKS) - set(CheckKind.values))
    if not unknown:
        return []
    return [
        Error(
            f"CARER_REQUIRED_CHECKS names unknown check kinds: {', '.join(unknown)}.",
            hint=f"Use {', '.join(CheckKind.values)}.",
            id="carers.E001",
        )
    ]
