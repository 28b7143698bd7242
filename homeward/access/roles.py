"""The roles of DOMAIN §1. Memberships carry one of these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    WORKING_GROUP_MEMBER = "working_group_member", _("Working group member")
    FOSTER_CARE_WORKER = "foster_care_worker", _("Foster-care worker")
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    ANALYST = "analyst", _("Analyst")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
