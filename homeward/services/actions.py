"""Every write of the services app: the catalogue, referrals and their escalation."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeward.access.actions import share_create, share_revoke
from homeward.access.models import Share, ShareSource
from homeward.access.permissions import ROLE_PERMISSIONS, Perm, has_perm
from homeward.access.roles import Role
from homeward.accounts.models import Membership, Notification, User
from homeward.audit.actions import audit_record, created_fields, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.cases.actions import case_event_add
from homeward.cases.models import Case, CaseEventType, CaseStatus, Consent, ConsentKind
from homeward.core.actions import check_fields
from homeward.core.errors import check_version
from homeward.services import selectors
from homeward.services.models import (
    PROVIDER_AGENCY_KINDS,
    SOCIAL_ORDER_AGENCY_KINDS,
    Provider,
    Referral,
    ReferralEvent,
    ReferralEventType,
    ReferralStatus,
    ServiceType,
)
from homeward.services.notices import escalation_source, escalation_text
from homeward.services.pipeline import (
    OPEN_STATUSES,
    RECEIVER_MOVES,
    SENDER_MOVES,
    add_working_days,
    allowed_moves,
)

logger = logging.getLogger(__name__)

# --- the catalogue ---------------------------------------------------------------------------

SERVICE_TYPE_FIELDS = frozenset(
    {"code", "name_en", "name_ru", "name_be", "name_bg", "response_working_days", "is_active"}
)
PROVIDER_FIELDS = frozenset(
    {
        "agency",
        "name",
        "name_latin",
        "area",
        "capacity",
        "address",
        "phone",
        "email",
        "description",
        "under_state_social_order",
        "is_active",
    }
)


@transaction.atomic
def service_type_create(*, actor: User, data: dict[str, Any]) -> ServiceType:
    check_fields(data, SERVICE_TYPE_FIELDS)
    service_type = ServiceType(**data)
    service_type.full_clean()
    service_type.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=service_type,
        changes=created_fields(service_type),
    )
    return service_type


@transaction.atomic
def service_type_update(
    *, actor: User, service_type: ServiceType, version: int | None, changes: dict[str, Any]
) -> ServiceType:
    check_fields(changes, SERVICE_TYPE_FIELDS)
    locked = ServiceType.objects.select_for_update().get(pk=service_type.pk)
    check_version(locked.version, version)
    if "code" in changes and changes["code"] != locked.code:
        # Consents to sharing name a service type by its code: renaming it would orphan them.
        raise ValidationError({"code": _("The code of a service type cannot be changed.")})
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    changed = diff(before, snapshot(locked))
    if changed:
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changed)
    return locked


def _check_provider(provider: Provider, service_types: list[ServiceType] | None) -> None:
    errors: dict[str, str] = {}
    agency = provider.agency
    if agency.kind not in PROVIDER_AGENCY_KINDS:
        errors["agency"] = _("A provider is a state body, an NGO or a service provider.")
    elif provider.under_state_social_order and agency.kind not in SOCIAL_ORDER_AGENCY_KINDS:
        errors["under_state_social_order"] = _(
            "Only an NGO or a service provider works under state social order."
        )
    if service_types is not None and not service_types:
        errors["service_types"] = _("Choose at least one service the provider offers.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def provider_create(
    *, actor: User, data: dict[str, Any], service_types: list[ServiceType]
) -> Provider:
    check_fields(data, PROVIDER_FIELDS)
    provider = Provider(**data)
    provider.full_clean()
    _check_provider(provider, service_types)
    provider.save()
    provider.service_types.set(service_types)
    changes = created_fields(provider)
    changes["service_types"] = [None, sorted(t.code for t in service_types)]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=provider, changes=changes)
    return provider


@transaction.atomic
def provider_update(
    *,
    actor: User,
    provider: Provider,
    version: int | None,
    changes: dict[str, Any],
    service_types: list[ServiceType] | None = None,
) -> Provider:
    check_fields(changes, PROVIDER_FIELDS)
    locked = (
        Provider.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=provider.pk)
    )
    check_version(locked.version, version)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    _check_provider(locked, service_types)
    changed = diff(before, snapshot(locked))
    if service_types is not None:
        old = sorted(locked.service_types.values_list("code", flat=True))
        new = sorted(t.code for t in service_types)
        if old != new:
            locked.service_types.set(service_types)
            changed["service_types"] = [old, new]
    if changed:
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changed)
    return locked


# --- referrals -------------------------------------------------------------------------------


def consent_covers(consent: Consent, provider: Provider, service_type: ServiceType) -> bool:
    """A standing consent to sharing with the provider's agency, or for this service type."""
    if consent.kind != ConsentKind.SHARING or consent.withdrawn_on is not None:
        return False
    if consent.agency_id is not None:
        return consent.agency_id == provider.agency_id
    return service_type.named_by(consent.service_type)


def matching_consent(case: Case, provider: Provider, service_type: ServiceType) -> Consent | None:
    """The consent a referral rests on when none is named: the agency's first, then the type's."""
    standing = Consent.objects.filter(
        child_id=case.child_id, kind=ConsentKind.SHARING, withdrawn_on__isnull=True
    ).filter(Q(agency_id=provider.agency_id) | Q(agency__isnull=True, working_group__isnull=True))
    found = [
        c
        for c in standing.order_by("-given_on", "-id")
        if consent_covers(c, provider, service_type)
    ]
    found.sort(key=lambda c: c.agency_id is None)
    return found[0] if found else None


def _share_with_provider(
    *, actor: User, referral: Referral, consent: Consent, provider: Provider
) -> Share:
    """Open the child's record to the provider's agency for as long as the referral is open."""
    child = referral.case.child
    if consent.agency_id is not None:
        return share_create(actor=actor, child=child, consent=consent)
    # A consent for a service type names no agency, so share_create refuses it; the referral
    # supplies the agency, and the share rests on that consent all the same.
    share = Share(
        child=child,
        source=ShareSource.REFERRAL,
        agency=provider.agency,
        consent=consent,
        shared_by=actor,
        shared_on=timezone.localdate(),
    )
    share.full_clean()
    share.save()
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        obj=child,
        changes={"shared_with": [None, provider.agency.code]},
    )
    return share


def _event(
    referral: Referral, type: str, actor: User | None, *, before: str = "", note: str = ""
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        type=type,
        from_status=before,
        occurred_at=timezone.now(),
        actor=actor,
        note=note,
    )


def _schedule_escalation(referral: Referral) -> None:
    """Ask the task worker to check the referral when its deadline passes.

    Only backends that can run a task later do this; elsewhere the ``referrals_escalate``
    command (run by cron: docs/admin-guide.md, and once by `make demo`) finds overdue ones.
    """
    from django_tasks import default_task_backend

    from homeward.services.tasks import referral_escalate

    if default_task_backend.supports_defer:
        referral_escalate.using(run_after=referral.due_at).enqueue(str(referral.uuid))


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    provider: Provider,
    service_type: ServiceType,
    reason: str,
    consent: Consent | None = None,
) -> Referral:
    """Refer a case to a provider; the child's record opens to the provider's agency."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("child").get(pk=case.pk)
    if not has_perm(actor, Perm.REFERRAL_SEND) or not (
        selectors.own_children(actor).filter(pk=locked.child_id).exists()
    ):
        raise ValidationError({"case": _("Only the workers of this case can refer it.")})
    errors: dict[str, str] = {}
    reason = reason.strip()
    if locked.status == CaseStatus.CLOSED:
        errors["case"] = _("A closed case cannot be referred.")
    if not provider.is_active:
        errors["provider"] = _("This provider is not taking referrals.")
    elif (
        not service_type.is_active or not provider.service_types.filter(pk=service_type.pk).exists()
    ):
        errors["provider"] = _("This provider does not offer this service.")
    elif Referral.objects.filter(
        case=locked, provider=provider, service_type=service_type, status__in=OPEN_STATUSES
    ).exists():
        errors["provider"] = _(
            "This case already has an open referral to this provider for this service."
        )
    if not reason:
        errors["reason"] = _("Give the reason for the referral.")
    if consent is None:
        consent = matching_consent(locked, provider, service_type)
        if consent is None:
            errors["consent"] = _(
                "There is no standing consent to share this child's record with "
                "%(agency)s or for the service “%(service)s”. Record the consent first."
            ) % {"agency": provider.agency.name, "service": service_type.display_name}
    elif consent.child_id != locked.child_id or not consent_covers(consent, provider, service_type):
        errors["consent"] = _(
            "This consent does not allow sharing with %(agency)s or for the service “%(service)s”."
        ) % {"agency": provider.agency.name, "service": service_type.display_name}
    if errors or consent is None:
        raise ValidationError(errors)
    now = timezone.now()
    referral = Referral(
        case=locked,
        provider=provider,
        service_type=service_type,
        consent=consent,
        reason=reason,
        status=ReferralStatus.SENT,
        sent_at=now,
        sent_by=actor,
        due_at=add_working_days(
            now, service_type.response_working_days, provider.agency.area.country_code
        ),
    )
    referral.full_clean()
    referral.save()
    referral.share = _share_with_provider(
        actor=actor, referral=referral, consent=consent, provider=provider
    )
    referral.save(update_fields=["share"])
    _event(referral, ReferralEventType.SENT, actor, note=reason)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=referral,
        changes={
            "case": [None, locked.child.case_number],
            "provider": [None, str(provider.uuid)],
            "service_type": [None, service_type.code],
            "consent": [None, str(consent.uuid)],
            "due_at": [None, referral.due_at],
        },
    )
    case_event_add(
        case=locked,
        type=CaseEventType.REFERRAL_SENT,
        actor=actor,
        data={
            "referral": str(referral.uuid),
            "provider": provider.name,
            "service_type": service_type.code,
        },
    )
    transaction.on_commit(lambda: _schedule_escalation(referral))
    return referral


def _locked_referral(referral: Referral, version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__child", "provider__agency", "service_type", "share")
        .get(pk=referral.pk)
    )
    check_version(locked.version, version)
    return locked


def _move(
    *, actor: User, referral: Referral, to: str, version: int | None, note: str = ""
) -> Referral:
    """One move along the table, by the side allowed to make it, recorded three ways."""
    locked = _locked_referral(referral, version)
    if to in RECEIVER_MOVES and not (
        has_perm(actor, Perm.REFERRAL_RESPOND) and selectors.is_receiver(actor, locked)
    ):
        raise ValidationError(
            {"status": _("Only the receiving agency can answer or update this referral.")}
        )
    if to in SENDER_MOVES and not (
        has_perm(actor, Perm.REFERRAL_SEND) and selectors.is_sender(actor, locked)
    ):
        raise ValidationError({"status": _("Only the workers of the case can withdraw it.")})
    if to not in allowed_moves(locked.status):
        raise ValidationError(
            {
                "status": _("A referral cannot move from “%(from)s” to “%(to)s”.")
                % {
                    "from": ReferralStatus(locked.status).label,
                    "to": ReferralStatus(to).label if to in ReferralStatus.values else to,
                }
            }
        )
    before = locked.status
    now = timezone.now()
    locked.status = to
    if to in {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}:
        locked.answered_at, locked.answered_by = now, actor
    if to == ReferralStatus.DECLINED:
        locked.decline_reason = note
    elif to == ReferralStatus.IN_PROGRESS:
        locked.started_at = now
    elif to == ReferralStatus.COMPLETED:
        locked.completed_at, locked.outcome = now, note
    elif to == ReferralStatus.WITHDRAWN:
        locked.withdrawn_at, locked.withdraw_reason = now, note
    locked.version += 1
    locked.full_clean()
    locked.save()
    if to not in OPEN_STATUSES and locked.share is not None:
        share_revoke(actor=actor, share=locked.share)
    _event(locked, to, actor, before=before, note=note)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"status": [before, to]}
    )
    if to in {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}:
        data: dict[str, Any] = {"referral": str(locked.uuid), "status": to}
        if note:
            data["reason"] = note
        case_event_add(
            case=locked.case, type=CaseEventType.REFERRAL_ANSWERED, actor=actor, data=data
        )
    return locked


def _required(field: str, text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, version: int | None) -> Referral:
    return _move(actor=actor, referral=referral, to=ReferralStatus.ACCEPTED, version=version)


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, reason: str, version: int | None
) -> Referral:
    note = _required("reason", reason, _("Give the reason for declining the referral."))
    return _move(
        actor=actor, referral=referral, to=ReferralStatus.DECLINED, version=version, note=note
    )


@transaction.atomic
def referral_start(*, actor: User, referral: Referral, version: int | None) -> Referral:
    return _move(actor=actor, referral=referral, to=ReferralStatus.IN_PROGRESS, version=version)


@transaction.atomic
def referral_complete(
    *, actor: User, referral: Referral, outcome: str, version: int | None
) -> Referral:
    note = _required("outcome", outcome, _("Describe the outcome of the service."))
    return _move(
        actor=actor, referral=referral, to=ReferralStatus.COMPLETED, version=version, note=note
    )


@transaction.atomic
def referral_withdraw(
    *, actor: User, referral: Referral, reason: str, version: int | None
) -> Referral:
    note = _required("reason", reason, _("Give the reason for withdrawing the referral."))
    return _move(
        actor=actor, referral=referral, to=ReferralStatus.WITHDRAWN, version=version, note=note
    )


# --- escalation ------------------------------------------------------------------------------


def _active_users(memberships: Any) -> list[User]:
    users: dict[int, User] = {}
    for membership in memberships.select_related("user").order_by("user__username"):
        if membership.user.is_active:
            users.setdefault(membership.user_id, membership.user)
    return list(users.values())


def sender_supervisors(referral: Referral) -> list[User]:
    """The sender's supervisor: the case's, else its team's, else the sender's team's, else
    the supervisors of the case's agency who lead no team, else the sender."""
    case = referral.case
    if case.supervisor is not None and case.supervisor.is_active:
        return [case.supervisor]
    supervisors = Membership.objects.filter(role=Role.SUPERVISOR)
    tiers = []
    if case.team_id is not None:
        tiers.append(supervisors.filter(team_id=case.team_id))
    if referral.sent_by_id is not None:
        teams = Membership.objects.filter(
            user_id=referral.sent_by_id, agency_id=case.agency_id, team__isnull=False
        ).values("team_id")
        tiers.append(supervisors.filter(team_id__in=teams))
    tiers.append(supervisors.filter(agency_id=case.agency_id, team__isnull=True))
    for tier in tiers:
        found = _active_users(tier)
        if found:
            return found
    # Nobody supervises: the sender hears of it rather than no one on that side.
    sender = referral.sent_by
    return [sender] if sender is not None and sender.is_active else []


def receiver_leads(referral: Referral) -> list[User]:
    """The receiving agency's lead: its supervisors, else everyone there who answers referrals."""
    members = Membership.objects.filter(agency_id=referral.provider.agency_id)
    leads = _active_users(members.filter(role=Role.SUPERVISOR))
    if leads:
        return leads
    answering = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.REFERRAL_RESPOND in perms]
    return _active_users(members.filter(role__in=answering))


def _mail(recipients: list[tuple[str, str]], subject: str) -> None:
    """One message per person, after the escalation is saved; a mail failure is logged and
    leaves the in-app notification in place."""
    for address, body in recipients:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # the mail server's failures vary by backend
            logger.exception("Escalation email to %s could not be sent.", address)


@transaction.atomic
def _escalate_one(pk: int, now: datetime.datetime) -> Referral | None:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related(
            "case__child", "case__supervisor", "provider__agency", "service_type", "sent_by"
        )
        .filter(pk=pk, status=ReferralStatus.SENT, escalated_at__isnull=True, due_at__lt=now)
        .first()
    )
    if referral is None:
        return None  # answered, withdrawn or escalated since the sweep looked
    referral.escalated_at = now
    # No version bump: an escalation must not turn the receiver's pending answer stale.
    referral.save(update_fields=["escalated_at", "updated_at"])
    source = escalation_source(referral)
    url = reverse("services:referral_detail", args=[referral.uuid])
    # Notifications are stored as text: written in the deployment's language.
    with translation.override(settings.LANGUAGE_CODE):
        text = escalation_text(referral)[:500]
        subject = _("Referral not answered in time: case %(number)s") % {
            "number": referral.case.child.case_number
        }
        link = _("Open it in Homeward: %(url)s") % {"url": settings.SITE_URL + url}
        body = f"{text}\n\n{link}"
    recipients: dict[int, User] = {}
    for user in [*sender_supervisors(referral), *receiver_leads(referral)]:
        recipients.setdefault(user.pk, user)
    already = set(
        Notification.objects.filter(user_id__in=recipients, source=source).values_list(
            "user_id", flat=True
        )
    )
    Notification.objects.bulk_create(
        [
            Notification(user=user, text=text, url=url, source=source)
            for pk_, user in recipients.items()
            if pk_ not in already
        ]
    )
    _event(referral, ReferralEventType.ESCALATED, None, before=referral.status)
    case_event_add(
        case=referral.case,
        type=CaseEventType.REFERRAL_ESCALATED,
        actor=None,
        data={
            "referral": str(referral.uuid),
            "provider": referral.provider.name,
            "due_at": referral.due_at.isoformat(),
            "notified": sorted(u.username for u in recipients.values()),
        },
    )
    audit_record(
        actor=None,
        username="referrals_escalate",
        action=AuditAction.UPDATE,
        obj=referral,
        changes={"escalated_at": [None, now]},
    )
    mail_to = [
        (user.email, body) for pk_, user in recipients.items() if user.email and pk_ not in already
    ]
    if mail_to:
        transaction.on_commit(lambda: _mail(mail_to, subject))
    return referral


def referrals_escalate(
    *, now: datetime.datetime | None = None, referral_uuids: list[str] | None = None
) -> list[Referral]:
    """Escalate every referral still unanswered past its deadline, once each.

    Each referral is escalated in its own transaction, so one failure does not hold back
    the others, and a second run (or a concurrent worker) finds nothing left to do.
    """
    now = now or timezone.now()
    due = Referral.objects.filter(
        status=ReferralStatus.SENT, escalated_at__isnull=True, due_at__lt=now
    )
    if referral_uuids is not None:
        due = due.filter(uuid__in=referral_uuids)
    escalated = []
    for pk in list(due.order_by("due_at", "id").values_list("pk", flat=True)):
        try:
            referral = _escalate_one(pk, now)
        except Exception:  # logged; the next sweep tries this referral again
            logger.exception("Referral %s could not be escalated.", pk)
            continue
        if referral is not None:
            escalated.append(referral)
    return escalated


# --- notifications ---------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(
    *, user: User, source: str | None = None, everything: bool = False
) -> int:
    """Mark the user's unread notifications about one record (its source), or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if not everything:
        if not source:
            return 0
        unread = unread.filter(source=source)
    return unread.update(read_at=timezone.now())
