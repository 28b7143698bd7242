"""Sharing a child's record and emergency access: the writes of the access module."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.models import BreakGlass, Share, ShareSource
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.cases.models import ConsentKind

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User, WorkingGroup
    from homeward.cases.models import Consent
    from homeward.registry.models import Child

MIN_REASON_LENGTH = 20


@transaction.atomic
def share_create(
    *,
    actor: User,
    child: Child,
    consent: Consent,
    until: datetime.date | None = None,
) -> Share:
    """Share with the working group or agency that a standing consent to sharing names."""
    if consent.child_id != child.pk or consent.kind != ConsentKind.SHARING:
        raise ValidationError({"consent": _("Choose a consent to sharing for this child.")})
    if consent.withdrawn_on is not None:
        raise ValidationError({"consent": _("This consent has been withdrawn.")})
    working_group: WorkingGroup | None = consent.working_group
    agency: Agency | None = consent.agency
    if working_group is None and agency is None:
        raise ValidationError(
            {"consent": _("This consent names a service type; share through a referral.")}
        )
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("The end date cannot be in the past.")})
    share = Share(
        child=child,
        source=ShareSource.WORKING_GROUP if working_group else ShareSource.REFERRAL,
        working_group=working_group,
        agency=agency,
        consent=consent,
        shared_by=actor,
        shared_on=timezone.localdate(),
        until=until,
    )
    share.full_clean()
    share.save()
    recipient = working_group.name if working_group else agency.code  # type: ignore[union-attr]
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        obj=child,
        changes={"shared_with": [None, recipient]},
    )
    return share


@transaction.atomic
def share_revoke(*, actor: User, share: Share) -> Share:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PERMISSION_CHANGE,
            obj=share.child,
            changes={"share_revoked": [str(share.uuid), None]},
        )
    return share


@transaction.atomic
def break_glass_open(*, actor: User, child: Child, reason: str) -> BreakGlass:
    """Open one out-of-scope record for a few hours; the reason goes to the audit trail."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Explain in at least %(n)d characters why you need this record.")
                % {"n": MIN_REASON_LENGTH}
            }
        )
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=actor,
        child=child,
        reason=reason[:500],
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    audit_record(actor=actor, action=AuditAction.BREAK_GLASS, obj=child, detail=reason)
    return grant
