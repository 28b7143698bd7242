"""Logins and logouts reach the audit trail through Django's authentication signals."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, username=username)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str, **kwargs: Any) -> None:
    audit_record(actor=None, action=AuditAction.LOCKED_OUT, username=str(username or ""))
