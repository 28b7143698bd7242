"""A person's own record, as JSON and PDF, for a subject-access request (GDPR Art. 15)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction, AuditEvent
from homeward.core.pdf import Document

if TYPE_CHECKING:
    from homeward.accounts.models import User
    from homeward.registry.models import Child


def subject_access_data(child: Child) -> dict[str, Any]:
    """Everything Homeward holds about the child, and who it was shared with or seen by."""
    case = getattr(child, "case", None)
    return {
        "generated_at": timezone.now().isoformat(),
        "child": {
            "case_number": child.case_number,
            "family_name": child.family_name,
            "given_name": child.given_name,
            "patronymic": child.patronymic,
            "latin_name": child.full_name_latin,
            "sex": child.sex,
            "date_of_birth": child.date_of_birth.isoformat(),
            "date_of_birth_estimated": child.date_of_birth_estimated,
            "has_disability": child.has_disability,
            "disability_domains": list(child.disability_domains),
            "legal_status": child.legal_status,
            "home_location": child.home_location.name_latin,
            "school": child.school_name,
            "responsible_agency": child.agency.name,
            "registered": child.created_at.date().isoformat(),
        },
        "case": {
            "status": case.status,
            "opened_on": case.opened_on.isoformat(),
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        }
        if case
        else None,
        "household": {"name": child.household.name, "address": child.household.address}
        if child.household
        else None,
        "relatives": [
            {
                "relationship": r.kind,
                "name": r.person.full_name if r.person else r.related_child.full_name,  # type: ignore[union-attr]
                "lives_with_child": r.lives_with_child,
            }
            for r in child.relationships.select_related("person", "related_child")
        ],
        "institution_stays": [
            {
                "institution": s.institution.name,
                "admitted_on": s.admitted_on.isoformat(),
                "left_on": s.left_on.isoformat() if s.left_on else None,
            }
            for s in child.residences.select_related("institution").order_by("admitted_on")
        ],
        "consents": [
            {
                "kind": c.kind,
                "given_by": c.given_by,
                "given_on": c.given_on.isoformat(),
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in child.consents.order_by("given_on")
        ],
        "shared_with": [
            {
                "recipient": str(s.working_group or s.agency),
                "shared_on": s.shared_on.isoformat(),
                "until": s.until.isoformat() if s.until else None,
                "stopped": s.revoked_at.isoformat() if s.revoked_at else None,
            }
            for s in child.shares.select_related("working_group", "agency")
        ],
        "seen_by": [
            {"when": e.occurred_at.isoformat(), "user": e.actor_username}
            for e in AuditEvent.objects.filter(
                object_uuid=child.uuid, action=AuditAction.VIEW
            ).order_by("seq")
        ],
    }


def subject_access_export(*, actor: User, child: Child, fmt: str) -> tuple[bytes, str, str]:
    """The export's bytes, content type and file name; the export is audited."""
    data = subject_access_data(child)
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=child, detail=f"subject access {fmt}")
    name = f"homeward-{child.case_number}"
    if fmt == "pdf":
        return _pdf(data), "application/pdf", f"{name}.pdf"
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return body, "application/json", f"{name}.json"


def _pdf(data: dict[str, Any]) -> bytes:
    child = data["child"]
    pdf = Document(_("Personal record"))
    pdf.heading(f"{child['family_name']} {child['given_name']} {child['patronymic']}", 16)
    pdf.text_line(f"{_('Case number')}: {child['case_number']}", 10)
    pdf.text_line(f"{_('Generated')}: {data['generated_at'][:16].replace('T', ' ')}", 10)
    sections: list[tuple[str, Any]] = [
        (_("Details"), [child]),
        (_("Case"), [data["case"]] if data["case"] else []),
        (_("Household"), [data["household"]] if data["household"] else []),
        (_("Relatives"), data["relatives"]),
        (_("Institution stays"), data["institution_stays"]),
        (_("Consent"), data["consents"]),
        (_("Shared with"), data["shared_with"]),
        (_("Who has seen this record"), data["seen_by"]),
    ]
    for title, rows in sections:
        pdf.heading(title)
        if not rows:
            pdf.text_line("—")
        for row in rows:
            pdf.text_line("; ".join(f"{k}: {'' if v is None else v}" for k, v in row.items()))
    return pdf.bytes()
