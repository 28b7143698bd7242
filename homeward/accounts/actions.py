"""Account security: second factor, recovery codes, tokens, logging out everywhere."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import Agency, ApiToken, User
from homeward.audit.actions import audit_record, diff, snapshot
from homeward.audit.models import AuditAction

RECOVERY_DEVICE = "recovery"


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first use (the secret to enrol)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a first code; return fresh recovery codes."""
    if device.user_id != user.pk or not device.verify_token(code.strip()):
        raise ValidationError({"code": _("This code is not right. Check the time on your phone.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user, detail="enrolled")
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New single-use recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_record(
        actor=user, action=AuditAction.SECOND_FACTOR, obj=user, detail="recovery codes issued"
    )
    return codes


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.TOKEN, obj=token.user, detail="revoked")


@transaction.atomic
def user_logout_everywhere(*, user: User) -> None:
    """End every session of the user (their signature changes) and revoke every API token."""
    User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
    user.session_epoch += 1
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, detail="everywhere")


@transaction.atomic
def agency_save(*, actor: User, agency: Agency) -> Agency:
    """Save an agency with its tree path, and re-path its sub-agencies if it moved.

    The audit row holds the fields that changed; a move in the tree is a permission change
    (it changes who sees the agency's children), and saving without a change records nothing.
    """
    stored = Agency.objects.filter(pk=agency.pk).first() if agency.pk else None
    old_path = stored.path if stored else None
    agency.path = f"{agency.parent.path}/{agency.code}" if agency.parent else agency.code
    if (
        old_path is not None
        and agency.parent is not None
        and (agency.parent.path == old_path or agency.parent.path.startswith(old_path + "/"))
    ):
        raise ValidationError({"parent": _("An agency cannot sit under itself.")})
    agency.full_clean()
    changes = diff(snapshot(stored) if stored else {}, snapshot(agency))
    changes.pop("updated_at", None)
    if stored is not None and not changes:
        return agency
    agency.save()
    if old_path and old_path != agency.path:
        for sub in Agency.objects.filter(path__startswith=old_path + "/").order_by("path"):
            sub.path = agency.path + sub.path[len(old_path) :]
            sub.save(update_fields=["path"])
    action = AuditAction.CREATE
    if stored is not None:
        action = AuditAction.PERMISSION_CHANGE if "path" in changes else AuditAction.UPDATE
    audit_record(actor=actor, action=action, obj=agency, changes=changes)
    return agency
