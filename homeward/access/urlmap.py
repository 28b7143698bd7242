"""One map from URL name to the permission it needs; the navigation reads it too.

A value is ``PUBLIC`` (no login), ``SIGNED_IN`` (password given, second factor pending),
``AUTHENTICATED`` (any user past both factors), a permission, or a
dict from HTTP method to one of those. ``tests/test_urlmap.py`` walks every URL pattern and
fails when one is missing here; the middleware refuses any view that is not declared.
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.access.permissions import Perm

PUBLIC: Final = "public"
# Signed in with a password; the second factor is still to come (enrolling, verifying).
SIGNED_IN: Final = "signed_in"
# Signed in with both factors.
AUTHENTICATED: Final = "authenticated"

Rule = str | Perm
Declaration = Rule | dict[str, Rule]

URL_PERMISSIONS: dict[str, Declaration] = {
    # shell and accounts
    "home": AUTHENTICATED,
    "set_language": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:two_factor": SIGNED_IN,
    "accounts:security": AUTHENTICATED,
    "accounts:token_revoke": AUTHENTICATED,
    "accounts:recovery_codes": AUTHENTICATED,
    "accounts:logout_everywhere": AUTHENTICATED,
    "healthz": PUBLIC,
    # registry
    "registry:child_list": Perm.CHILD_VIEW,
    "registry:child_create": Perm.CHILD_CREATE,
    "registry:child_detail": Perm.CHILD_VIEW,
    "registry:child_update": Perm.CHILD_UPDATE,
    "registry:child_subject_access": Perm.SUBJECT_ACCESS,
    "registry:child_relative_add": Perm.FAMILY_EDIT,
    "registry:household_list": Perm.FAMILY_VIEW,
    "registry:household_create": Perm.FAMILY_EDIT,
    "registry:household_detail": Perm.FAMILY_VIEW,
    "registry:household_update": Perm.FAMILY_EDIT,
    "registry:person_detail": Perm.FAMILY_VIEW,
    "registry:person_update": Perm.FAMILY_EDIT,
    # institutions
    "institutions:institution_list": Perm.INSTITUTION_VIEW,
    "institutions:institution_detail": Perm.INSTITUTION_VIEW,
    "institutions:resident_admit": Perm.RESIDENT_MANAGE,
    "institutions:resident_discharge": Perm.RESIDENT_MANAGE,
    # cases
    "cases:my_work": Perm.CASE_WORK,
    "cases:task_list": Perm.CASE_WORK,
    "cases:my_team": Perm.TEAM_VIEW,
    "cases:case_detail": Perm.CHILD_VIEW,
    "cases:case_chronology": Perm.CHILD_VIEW,
    "cases:case_move": Perm.CASE_WORK,
    "cases:case_risk": Perm.CASE_WORK,
    "cases:case_note_add": Perm.CASE_WORK,
    "cases:case_closure_request": Perm.CASE_WORK,
    "cases:case_closure_decide": Perm.CASE_APPROVE,
    "cases:case_reopen": Perm.CASE_WORK,
    "cases:task_complete": Perm.CASE_WORK,
    "cases:attachment_add": Perm.CASE_WORK,
    "cases:attachment_download": Perm.CHILD_VIEW,
    "cases:conference_add": Perm.CASE_WORK,
    # alternative care
    "care:gatekeeping_create": Perm.PLACEMENT_MANAGE,
    "care:placement_create": Perm.PLACEMENT_MANAGE,
    "care:placement_end": Perm.PLACEMENT_MANAGE,
    "care:placement_review": Perm.PLACEMENT_MANAGE,
    # foster carers
    "carers:carer_list": Perm.CARER_VIEW,
    "carers:dashboard": Perm.CARER_VIEW,
    "carers:carer_create": Perm.CARER_MANAGE,
    "carers:course_list": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "carers:carer_detail": Perm.CARER_VIEW,
    "carers:carer_update": Perm.CARER_MANAGE,
    "carers:carer_move": Perm.CARER_MANAGE,
    "carers:carer_approve": Perm.CARER_MANAGE,
    "carers:terms_set": Perm.CARER_MANAGE,
    "carers:member_add": Perm.CARER_MANAGE,
    "carers:check_add": Perm.CARER_MANAGE,
    "carers:document_add": Perm.CARER_MANAGE,
    "carers:training_add": Perm.CARER_MANAGE,
    "carers:visit_add": Perm.CARER_MANAGE,
    "carers:review_add": Perm.CARER_MANAGE,
    "carers:home_study": Perm.CARER_MANAGE,
    # matching
    "matching:proposal_list": Perm.MATCH_MAKE,
    "matching:proposal_detail": Perm.MATCH_MAKE,
    "matching:child_matches": Perm.MATCH_MAKE,
    "matching:needs_edit": Perm.MATCH_MAKE,
    "matching:match_accept": Perm.MATCH_MAKE,
    "matching:match_reject": Perm.MATCH_MAKE,
    "matching:match_change": Perm.MATCH_MAKE,
    "matching:weights_list": Perm.MATCH_WEIGHTS,
    "matching:weights_edit": Perm.MATCH_WEIGHTS,
    # services and referrals
    "services:provider_list": Perm.SERVICE_VIEW,
    "services:provider_detail": Perm.SERVICE_VIEW,
    "services:provider_create": Perm.SERVICE_MANAGE,
    "services:provider_update": Perm.SERVICE_MANAGE,
    "services:service_type_list": Perm.SERVICE_VIEW,
    "services:service_type_create": Perm.SERVICE_MANAGE,
    "services:service_type_update": Perm.SERVICE_MANAGE,
    "services:referral_create": Perm.REFERRAL_SEND,
    "services:referral_inbox": Perm.REFERRAL_RESPOND,
    "services:referral_sent": Perm.REFERRAL_SEND,
    "services:referral_detail": Perm.CHILD_VIEW,
    "services:referral_accept": Perm.REFERRAL_RESPOND,
    "services:referral_decline": Perm.REFERRAL_RESPOND,
    "services:referral_start": Perm.REFERRAL_RESPOND,
    "services:referral_complete": Perm.REFERRAL_RESPOND,
    "services:referral_withdraw": Perm.REFERRAL_SEND,
    "services:referral_report": Perm.REPORT_VIEW,
    "services:notification_list": AUTHENTICATED,
    "services:notification_read": AUTHENTICATED,
    # indicators
    "indicators:indicator_page": Perm.REPORT_VIEW,
    "indicators:dashboard": Perm.REPORT_VIEW,
    # the records behind a dashboard figure: the reader's own scope (the view also wants
    # REPORT_VIEW)
    "indicators:records": Perm.CHILD_VIEW,
    # census imports
    "imports:job_list": Perm.IMPORT_RUN,
    "imports:job_detail": Perm.IMPORT_RUN,
    "imports:job_commit": Perm.IMPORT_RUN,
    # exports: a list needs the list's permission; a job and its file belong to whoever asked
    # for it (the views answer 404 to anyone else and check the kind's permission again)
    "exports:children": Perm.CHILD_VIEW,
    "exports:indicator": Perm.REPORT_VIEW,
    "exports:indicators_standard": Perm.REPORT_VIEW,
    "exports:job_detail": AUTHENTICATED,
    "exports:job_download": AUTHENTICATED,
    # care plans
    "plans:plan_create": Perm.PLAN_EDIT,
    "plans:plan_detail": Perm.CHILD_VIEW,
    "plans:goal_add": Perm.PLAN_EDIT,
    "plans:action_add": Perm.PLAN_EDIT,
    "plans:action_status": Perm.PLAN_EDIT,
    "plans:plan_submit": Perm.PLAN_EDIT,
    "plans:plan_decide": Perm.CASE_APPROVE,
    "plans:plan_review": Perm.PLAN_EDIT,
    "plans:plan_print": Perm.CHILD_VIEW,
    # assessments
    "assessments:case_assessments": Perm.CHILD_VIEW,
    "assessments:assessment_start": Perm.ASSESSMENT_EDIT,
    "assessments:assessment_compare": Perm.CHILD_VIEW,
    "assessments:assessment_detail": Perm.CHILD_VIEW,
    "assessments:assessment_edit": Perm.ASSESSMENT_EDIT,
    "assessments:assessment_decide": Perm.CASE_APPROVE,
    "assessments:template_list": Perm.TEMPLATE_MANAGE,
    "assessments:template_new_version": Perm.TEMPLATE_MANAGE,
    "assessments:template_active": Perm.TEMPLATE_MANAGE,
    # cases: consent
    "cases:consent_create": Perm.CONSENT_MANAGE,
    "cases:consent_withdraw": Perm.CONSENT_MANAGE,
    # access: sharing and emergency access
    "access:break_glass": Perm.BREAK_GLASS,
    "access:share_create": Perm.SHARE_MANAGE,
    "access:share_revoke": Perm.SHARE_MANAGE,
    # audit
    "audit:event_list": Perm.AUDIT_VIEW,
    # Django admin (configuration only; child records are not registered there)
    "admin:*": Perm.ADMIN_SITE,
    # API
    "api:api-root": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:auth_token": {"POST": PUBLIC, "DELETE": AUTHENTICATED},
    "api:child_list": {"GET": Perm.CHILD_VIEW, "POST": Perm.CHILD_CREATE},
    "api:child_duplicates": Perm.CHILD_CREATE,
    "api:child_subject_access": Perm.SUBJECT_ACCESS,
    "api:child_detail": {"GET": Perm.CHILD_VIEW, "PATCH": Perm.CHILD_UPDATE},
    "api:household_list": {"GET": Perm.FAMILY_VIEW, "POST": Perm.FAMILY_EDIT},
    "api:household_detail": {"GET": Perm.FAMILY_VIEW, "PATCH": Perm.FAMILY_EDIT},
    "api:person_list": {"GET": Perm.FAMILY_VIEW, "POST": Perm.FAMILY_EDIT},
    "api:person_detail": {"GET": Perm.FAMILY_VIEW, "PATCH": Perm.FAMILY_EDIT},
    "api:relationship_list": {"POST": Perm.FAMILY_EDIT},
    "api:institution_list": {"GET": Perm.INSTITUTION_VIEW, "POST": Perm.INSTITUTION_MANAGE},
    "api:institution_detail": {"GET": Perm.INSTITUTION_VIEW, "PATCH": Perm.INSTITUTION_MANAGE},
    "api:resident_list": {"GET": Perm.CHILD_VIEW, "POST": Perm.RESIDENT_MANAGE},
    "api:residence_detail": {"PATCH": Perm.RESIDENT_MANAGE},
    "api:consent_list": {"GET": Perm.CONSENT_MANAGE, "POST": Perm.CONSENT_MANAGE},
    "api:consent_withdraw": Perm.CONSENT_MANAGE,
    "api:share_list": {"POST": Perm.SHARE_MANAGE},
    "api:share_revoke": Perm.SHARE_MANAGE,
    "api:break_glass": Perm.BREAK_GLASS,
    "api:audit_list": Perm.AUDIT_VIEW,
    "api:case_list": Perm.CHILD_VIEW,
    "api:case_detail": Perm.CHILD_VIEW,
    "api:case_move": Perm.CASE_WORK,
    "api:case_risk": Perm.CASE_WORK,
    "api:case_closure": Perm.CASE_WORK,
    "api:case_closure_decision": Perm.CASE_APPROVE,
    "api:case_reopen": Perm.CASE_WORK,
    "api:case_notes": {"GET": Perm.CHILD_VIEW, "POST": Perm.CASE_WORK},
    "api:case_attachments": {"GET": Perm.CHILD_VIEW, "POST": Perm.CASE_WORK},
    "api:attachment_download": Perm.CHILD_VIEW,
    "api:case_conferences": Perm.CASE_WORK,
    "api:task_list": Perm.CASE_WORK,
    "api:task_complete": Perm.CASE_WORK,
    "api:team_load": Perm.TEAM_VIEW,
    "api:team_reassign": Perm.CASE_REASSIGN,
    "api:plan_list": {"GET": Perm.CHILD_VIEW, "POST": Perm.PLAN_EDIT},
    "api:plan_detail": Perm.CHILD_VIEW,
    "api:plan_goals": Perm.PLAN_EDIT,
    "api:plan_actions": Perm.PLAN_EDIT,
    "api:plan_action_detail": {"PATCH": Perm.PLAN_EDIT},
    "api:plan_submit": Perm.PLAN_EDIT,
    "api:plan_decision": Perm.CASE_APPROVE,
    "api:plan_reviews": Perm.PLAN_EDIT,
    "api:plan_pdf": Perm.CHILD_VIEW,
    "api:assessment_template_list": AUTHENTICATED,
    "api:assessment_template_detail": AUTHENTICATED,
    "api:assessment_template_versions": Perm.TEMPLATE_MANAGE,
    "api:case_assessments": {"GET": Perm.CHILD_VIEW, "POST": Perm.ASSESSMENT_EDIT},
    "api:assessment_detail": {"GET": Perm.CHILD_VIEW, "PATCH": Perm.ASSESSMENT_EDIT},
    "api:assessment_submit": Perm.ASSESSMENT_EDIT,
    "api:assessment_approve": Perm.CASE_APPROVE,
    "api:assessment_return": Perm.CASE_APPROVE,
    "api:assessment_compare": Perm.CHILD_VIEW,
    "api:gatekeeping_list": {"GET": Perm.CHILD_VIEW, "POST": Perm.PLACEMENT_MANAGE},
    "api:placement_list": {"GET": Perm.CHILD_VIEW, "POST": Perm.PLACEMENT_MANAGE},
    "api:placement_end": Perm.PLACEMENT_MANAGE,
    "api:placement_reviews": Perm.PLACEMENT_MANAGE,
    "api:carer_list": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_dashboard": Perm.CARER_VIEW,
    "api:carer_detail": {"GET": Perm.CARER_VIEW, "PATCH": Perm.CARER_MANAGE},
    "api:carer_move": Perm.CARER_MANAGE,
    "api:carer_approve": Perm.CARER_MANAGE,
    "api:carer_terms": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_members": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_checks": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_documents": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:course_list": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_training": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_visits": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_reviews": {"GET": Perm.CARER_VIEW, "POST": Perm.CARER_MANAGE},
    "api:carer_events": Perm.CARER_VIEW,
    "api:home_study_start": Perm.CARER_MANAGE,
    "api:home_study_detail": {"GET": Perm.CARER_VIEW, "PATCH": Perm.CARER_MANAGE},
    "api:child_matches": Perm.MATCH_MAKE,
    "api:child_matching_needs": Perm.MATCH_MAKE,
    "api:proposal_list": Perm.MATCH_MAKE,
    "api:proposal_detail": Perm.MATCH_MAKE,
    "api:match_accept": Perm.MATCH_MAKE,
    "api:match_reject": Perm.MATCH_MAKE,
    "api:match_change": Perm.MATCH_MAKE,
    "api:matching_weights": {"GET": Perm.MATCH_WEIGHTS, "PUT": Perm.MATCH_WEIGHTS},
    "api:service_type_list": {"GET": Perm.SERVICE_VIEW, "POST": Perm.SERVICE_MANAGE},
    "api:service_type_detail": {"GET": Perm.SERVICE_VIEW, "PATCH": Perm.SERVICE_MANAGE},
    "api:provider_list": {"GET": Perm.SERVICE_VIEW, "POST": Perm.SERVICE_MANAGE},
    "api:provider_detail": {"GET": Perm.SERVICE_VIEW, "PATCH": Perm.SERVICE_MANAGE},
    "api:case_referrals": {"GET": Perm.CHILD_VIEW, "POST": Perm.REFERRAL_SEND},
    "api:referral_sent": Perm.REFERRAL_SEND,
    "api:referral_received": Perm.REFERRAL_RESPOND,
    "api:referral_detail": Perm.CHILD_VIEW,
    "api:referral_accept": Perm.REFERRAL_RESPOND,
    "api:referral_decline": Perm.REFERRAL_RESPOND,
    "api:referral_start": Perm.REFERRAL_RESPOND,
    "api:referral_complete": Perm.REFERRAL_RESPOND,
    "api:referral_withdraw": Perm.REFERRAL_SEND,
    "api:referral_report": Perm.REPORT_VIEW,
    "api:notification_list": AUTHENTICATED,
    "api:notification_read": AUTHENTICATED,
    "api:indicator_list": Perm.REPORT_VIEW,
    "api:indicator_detail": Perm.REPORT_VIEW,
    "api:indicator_series": Perm.REPORT_VIEW,
    "api:population_import": Perm.LOCATION_MANAGE,
    "api:import_list": Perm.IMPORT_RUN,
    "api:import_detail": Perm.IMPORT_RUN,
    "api:import_commit": Perm.IMPORT_RUN,
    "api:export_children_csv": Perm.CHILD_VIEW,
    "api:export_list": {"POST": AUTHENTICATED},
    "api:export_detail": AUTHENTICATED,
    "api:export_download": AUTHENTICATED,
    "api:location_list": {"GET": Perm.LOCATION_VIEW, "POST": Perm.LOCATION_MANAGE},
    "api:location_detail": {"GET": Perm.LOCATION_VIEW, "PATCH": Perm.LOCATION_MANAGE},
}


def declaration_for(view_name: str) -> Declaration | None:
    if view_name in URL_PERMISSIONS:
        return URL_PERMISSIONS[view_name]
    namespace = view_name.split(":", 1)[0]
    return URL_PERMISSIONS.get(f"{namespace}:*")


def rule_for(view_name: str, method: str) -> Rule | None:
    """The rule for one request, or None when the view or the method is not declared."""
    declaration = declaration_for(view_name)
    if isinstance(declaration, dict):
        if method == "HEAD":
            method = "GET"
        return declaration.get(method)
    return declaration


# The navigation: each entry is shown to a user whose permissions satisfy its URL's rule.
# The daily pages are links of their own; the others are grouped under a menu (a menu with
# one page left for the user is shown as that page's link).
NavigationEntry = tuple[str, Promise]
NAVIGATION: list[tuple[Promise | None, list[NavigationEntry]]] = [
    (
        None,
        [
            ("cases:my_work", _("My work")),
            ("cases:my_team", _("My team")),
            ("registry:child_list", _("Children")),
            ("registry:household_list", _("Households")),
            ("services:provider_list", _("Services")),
        ],
    ),
    (
        _("Care"),
        [
            ("institutions:institution_list", _("Institutions")),
            ("carers:carer_list", _("Foster carers")),
            ("matching:proposal_list", _("Matching")),
        ],
    ),
    (
        _("Reports"),
        [
            ("indicators:indicator_page", _("Indicators")),
            ("indicators:dashboard", _("Dashboards")),
        ],
    ),
    (
        _("More"),
        [
            ("imports:job_list", _("Imports")),
            ("access:break_glass", _("Emergency access")),
            ("audit:event_list", _("Audit trail")),
            ("assessments:template_list", _("Assessment forms")),
        ],
    ),
]
