"""The printable care plan, in the reader's language."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from homeward.core.pdf import Document
from homeward.plans.models import CarePlan


def plan_pdf(plan: CarePlan) -> bytes:
    child = plan.case.child
    pdf = Document(_("Care plan"))
    pdf.heading(_("Individual care plan"), 16)
    pdf.text_line(f"{child.full_name} · {child.case_number}", 11)
    pdf.text_line(
        f"{_('Date of birth')}: {formats.date_format(child.date_of_birth, 'SHORT_DATE_FORMAT')}"
        f" · {_('Status')}: {plan.get_status_display()}"
        f" · {_('Starts')}: {formats.date_format(plan.starts_on, 'SHORT_DATE_FORMAT')}",
        10,
    )
    if plan.summary:
        pdf.heading(_("Summary"))
        pdf.text_line(plan.summary)
    for number, goal in enumerate(plan.goals.all(), start=1):
        pdf.heading(f"{number}. {goal.get_domain_display()}: {goal.text}")
        for action in goal.actions.all():
            agency = f", {action.agency}" if action.agency else ""
            pdf.text_line(
                f"• {action.text} — {action.responsible}{agency}; "
                f"{_('due')} {formats.date_format(action.due_on, 'SHORT_DATE_FORMAT')}; "
                f"{action.get_status_display()}"
            )
    if plan.decided_by and plan.decided_at:
        pdf.heading(_("Approval"))
        pdf.text_line(
            f"{plan.decided_by.get_full_name() or plan.decided_by.username}, "
            f"{formats.date_format(plan.decided_at, 'SHORT_DATE_FORMAT')}"
        )
    reviews = list(plan.reviews.all())
    if reviews:
        pdf.heading(_("Reviews"))
        for review in reviews:
            pdf.text_line(
                f"{formats.date_format(review.reviewed_on, 'SHORT_DATE_FORMAT')}: "
                f"{review.get_outcome_display()}. {review.notes}"
            )
    return pdf.bytes()
