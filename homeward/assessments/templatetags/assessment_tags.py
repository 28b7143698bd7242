"""The case page's assessments section, so that the case page needs no knowledge of them."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.access.permissions import Perm, has_perm
from homeward.assessments.selectors import assessments_of
from homeward.cases.models import Case, CaseStatus

register = template.Library()

SHOWN = 10


@register.inclusion_tag("assessments/_case_section.html", takes_context=True)
def case_assessments(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    return {
        "case": case,
        "assessments": list(assessments_of(case)[:SHOWN]),
        "can_start": user is not None
        and has_perm(user, Perm.ASSESSMENT_EDIT)
        and case.status != CaseStatus.CLOSED,
    }
