"""The permission catalogue and which role holds which permission.

This module, with ``scoping`` and ``urlmap``, is the one place that says who may do what.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from homeward.access.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User


class Perm(StrEnum):
    CHILD_VIEW = "child.view"
    CHILD_CREATE = "child.create"
    CHILD_UPDATE = "child.update"
    FAMILY_VIEW = "family.view"
    FAMILY_EDIT = "family.edit"
    INSTITUTION_VIEW = "institution.view"
    INSTITUTION_MANAGE = "institution.manage"
    RESIDENT_MANAGE = "resident.manage"
    LOCATION_VIEW = "location.view"
    LOCATION_MANAGE = "location.manage"
    ADMIN_SITE = "admin.site"
    AUDIT_VIEW = "audit.view"
    BREAK_GLASS = "child.break_glass"
    SENSITIVE_VIEW = "child.view_sensitive"
    CONSENT_MANAGE = "consent.manage"
    SHARE_MANAGE = "share.manage"
    SUBJECT_ACCESS = "child.subject_access_export"
    # case management
    CASE_WORK = "case.work"  # move a case along, notes, attachments, conferences, tasks
    CASE_APPROVE = "case.approve"  # approve assessments, plans and closures of others
    CASE_REASSIGN = "case.reassign"
    TEAM_VIEW = "team.view"
    ASSESSMENT_EDIT = "assessment.edit"
    TEMPLATE_MANAGE = "assessment.template_manage"
    PLAN_EDIT = "plan.edit"
    SERVICE_VIEW = "service.view"
    SERVICE_MANAGE = "service.manage"
    REFERRAL_SEND = "referral.send"
    REFERRAL_RESPOND = "referral.respond"
    REPORT_VIEW = "report.view"
    PLACEMENT_MANAGE = "placement.manage"  # gatekeeping decisions and placements
    # foster carers and matching
    CARER_VIEW = "carer.view"
    CARER_MANAGE = "carer.manage"  # recruit, check, train, approve and support carers
    MATCH_MAKE = "match.make"  # rank carers for children, propose and accept matches
    MATCH_WEIGHTS = "match.weights"  # the matching weights of a region
    # census imports into the agency's area (docs/import.md)
    IMPORT_RUN = "import.run"


_READ = {Perm.INSTITUTION_VIEW, Perm.LOCATION_VIEW, Perm.SERVICE_VIEW}
_CASEWORK = _READ | {
    Perm.CHILD_VIEW,
    Perm.CHILD_CREATE,
    Perm.CHILD_UPDATE,
    Perm.FAMILY_VIEW,
    Perm.FAMILY_EDIT,
    Perm.RESIDENT_MANAGE,
    Perm.SENSITIVE_VIEW,
    Perm.CONSENT_MANAGE,
    Perm.SHARE_MANAGE,
    Perm.CASE_WORK,
    Perm.ASSESSMENT_EDIT,
    Perm.PLAN_EDIT,
    Perm.REFERRAL_SEND,
    Perm.REFERRAL_RESPOND,
    Perm.PLACEMENT_MANAGE,
    Perm.CARER_VIEW,
    Perm.MATCH_MAKE,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.CASE_MANAGER: frozenset(_CASEWORK),
    Role.SUPERVISOR: frozenset(
        _CASEWORK
        | {
            Perm.AUDIT_VIEW,
            Perm.BREAK_GLASS,
            Perm.SUBJECT_ACCESS,
            Perm.CASE_APPROVE,
            Perm.CASE_REASSIGN,
            Perm.TEAM_VIEW,
            Perm.REPORT_VIEW,
            Perm.MATCH_WEIGHTS,
            Perm.IMPORT_RUN,
        }
    ),
    Role.FOSTER_CARE_WORKER: frozenset(
        _READ
        | {
            Perm.CHILD_VIEW,
            Perm.CHILD_CREATE,
            Perm.CHILD_UPDATE,
            Perm.FAMILY_VIEW,
            Perm.FAMILY_EDIT,
            Perm.SENSITIVE_VIEW,
            Perm.ASSESSMENT_EDIT,
            Perm.PLACEMENT_MANAGE,
            Perm.CARER_VIEW,
            Perm.CARER_MANAGE,
            Perm.MATCH_MAKE,
            Perm.MATCH_WEIGHTS,
        }
    ),
    # Sees what is shared with the group; answers referrals sent to it.
    Role.WORKING_GROUP_MEMBER: frozenset(
        _READ | {Perm.CHILD_VIEW, Perm.FAMILY_VIEW, Perm.REFERRAL_RESPOND}
    ),
    Role.INSTITUTION_STAFF: frozenset(
        _READ | {Perm.CHILD_VIEW, Perm.FAMILY_VIEW, Perm.RESIDENT_MANAGE, Perm.SENSITIVE_VIEW}
    ),
    # Aggregates only: analysts never open a child's record.
    Role.ANALYST: frozenset(_READ | {Perm.REPORT_VIEW}),
    Role.AGENCY_ADMIN: frozenset(
        _READ
        | {
            Perm.INSTITUTION_MANAGE,
            Perm.AUDIT_VIEW,
            Perm.SERVICE_MANAGE,
            Perm.REPORT_VIEW,
            Perm.IMPORT_RUN,
        }
    ),
    # Configuration, not child records.
    Role.SYSTEM_ADMIN: frozenset(
        _READ
        | {
            Perm.INSTITUTION_MANAGE,
            Perm.LOCATION_MANAGE,
            Perm.ADMIN_SITE,
            Perm.AUDIT_VIEW,
            Perm.TEMPLATE_MANAGE,
            Perm.SERVICE_MANAGE,
        }
    ),
}


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_homeward_roles", None)
    if cached is None:
        from homeward.access.scoping import memberships  # the request's one read of them

        cached = frozenset(membership.role for membership in memberships(user))
        setattr(user, "_homeward_roles", cached)  # noqa: B010  (a per-request cache on the user)
    return cached


def user_permissions(user: User | AnonymousUser) -> frozenset[Perm]:
    cached: frozenset[Perm] | None = getattr(user, "_homeward_perms", None)
    if cached is None:
        perms: set[Perm] = set()
        for role in user_roles(user):
            perms |= ROLE_PERMISSIONS.get(role, frozenset())
        cached = frozenset(perms)
        if user.is_authenticated:
            setattr(user, "_homeward_perms", cached)  # noqa: B010  (as the roles above)
    return cached


def has_perm(user: User | AnonymousUser, perm: Perm) -> bool:
    return perm in user_permissions(user)
