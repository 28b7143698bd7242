"""The referrals section of the case page, read through the services selectors.

The case page belongs to the cases app; this tag lets it show a case's referrals without
the cases view knowing about referrals.
"""

from __future__ import annotations

from typing import Any

from django import template

from homeward.access.permissions import Perm, has_perm
from homeward.cases.models import CaseStatus
from homeward.services import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_referrals(context: template.Context, case: Any) -> dict[str, Any]:
    """The case's referrals this user may see, and whether they may refer the case."""
    user = context["request"].user
    own = selectors.own_children(user).filter(pk=case.child_id).exists()
    return {
        "referrals": list(selectors.referrals_of_case(user, case)[:50]),
        "can_send": own and has_perm(user, Perm.REFERRAL_SEND) and case.status != CaseStatus.CLOSED,
    }
