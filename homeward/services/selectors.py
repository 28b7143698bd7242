"""Reads of the catalogue (reference data) and of referrals (child data, scoped to the user).

A referral is seen from two sides:
- the sender side: workers who see the case in their own scope (not through a share);
- the receiving side: members of the provider's agency whose role answers referrals.
Anyone else gets 404.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from homeward.access.permissions import ROLE_PERMISSIONS, Perm, has_perm
from homeward.access.scoping import child_scope, memberships
from homeward.accounts.models import Notification
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.registry.models import Child
from homeward.registry.selectors import children_for_user
from homeward.services.models import Provider, Referral, ReferralStatus, ServiceType
from homeward.services.notices import ESCALATION_PREFIX, escalation_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.cases.models import Case
    from homeward.geo.models import Location

    AnyUser = User | AnonymousUser

REFERRAL_RELATED = (
    "case__child",
    "case__agency",
    "provider__agency",
    "service_type",
    "sent_by",
)


def parse_uuid(value: Any) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


# --- the catalogue ---------------------------------------------------------------------------


def service_types(*, active_only: bool = True) -> QuerySet[ServiceType]:
    qs = ServiceType.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def service_type_get(code: str) -> ServiceType:
    found = ServiceType.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def covering(location: Location) -> Q:
    """Providers whose area covers a place: the place itself or any area above it."""
    parts = location.path.split("/")
    return Q(area__path__in=["/".join(parts[: i + 1]) for i in range(len(parts))])


def providers_list(
    user: AnyUser,
    *,
    q: str = "",
    service_type: ServiceType | None = None,
    area: Location | None = None,
    active_only: bool = True,
) -> QuerySet[Provider]:
    """The catalogue: reference data, open to every role holding SERVICE_VIEW."""
    if not has_perm(user, Perm.SERVICE_VIEW):
        return Provider.objects.none()
    qs = Provider.objects.select_related("agency", "area").prefetch_related("service_types")
    if active_only:
        qs = qs.filter(is_active=True)
    text = q.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(name_latin__icontains=text)
            | Q(agency__name__icontains=text)
            | Q(agency__code__iexact=text)
        )
    if service_type is not None:
        qs = qs.filter(service_types=service_type)
    if area is not None:
        # Serving that area: covering it from above, or working somewhere inside it.
        qs = qs.filter(covering(area) | Q(area__path__startswith=area.path + "/"))
    return qs.order_by("name", "id")


def provider_get(user: AnyUser, provider_uuid: Any) -> Provider:
    provider = (
        providers_list(user, active_only=False).filter(uuid=parse_uuid(provider_uuid)).first()
    )
    if provider is None:
        raise Http404
    return provider


def providers_for(service_type: ServiceType, location: Location) -> QuerySet[Provider]:
    """Active providers offering a service where the child lives."""
    return (
        Provider.objects.filter(is_active=True, service_types=service_type)
        .filter(covering(location))
        .select_related("agency", "area")
        .order_by("name", "id")
    )


# --- the two sides of a referral -------------------------------------------------------------


def responder_agency_ids(user: AnyUser) -> list[int]:
    """Agencies in which the user's role answers referrals."""
    return sorted(
        {
            m.agency_id
            for m in memberships(user)
            if Perm.REFERRAL_RESPOND in ROLE_PERMISSIONS.get(m.role, frozenset())
        }
    )


def is_receiver(user: AnyUser, referral: Referral) -> bool:
    return referral.provider.agency_id in responder_agency_ids(user)


def own_children(user: AnyUser) -> QuerySet[Child]:
    """Children in the user's own work: what was only shared with them does not count."""
    if not has_perm(user, Perm.CHILD_VIEW):
        return Child.objects.none()
    return Child.objects.filter(child_scope(user, include_shared=False))


def is_sender(user: AnyUser, referral: Referral) -> bool:
    return own_children(user).filter(pk=referral.case.child_id).exists()


def referrals_received(user: AnyUser) -> QuerySet[Referral]:
    agencies = responder_agency_ids(user)
    if not agencies:
        return Referral.objects.none()
    return Referral.objects.filter(provider__agency_id__in=agencies)


def referrals_sent(user: AnyUser) -> QuerySet[Referral]:
    """Referrals of the cases in the user's own scope."""
    return Referral.objects.filter(case__child__in=own_children(user).values("pk"))


def referrals_for_user(user: AnyUser) -> QuerySet[Referral]:
    q = Q(case__child__in=own_children(user).values("pk"))
    agencies = responder_agency_ids(user)
    if agencies:
        q |= Q(provider__agency_id__in=agencies)
    return Referral.objects.filter(q)


def with_urgency(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """Flags for sorting and badges: escalated, overdue (unanswered past the deadline)."""
    now = timezone.now()
    return qs.annotate(
        is_escalated=CaseWhen(
            When(escalated_at__isnull=False, status=ReferralStatus.SENT, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        is_overdue=CaseWhen(
            When(status=ReferralStatus.SENT, due_at__lt=now, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def urgent_first(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return with_urgency(qs).order_by("-is_escalated", "-is_overdue", "due_at", "id")


def referral_list(
    qs: QuerySet[Referral], *, status: str = "", overdue: bool = False
) -> QuerySet[Referral]:
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ReferralStatus.SENT, due_at__lt=timezone.now())
    return urgent_first(qs.select_related(*REFERRAL_RELATED))


def referral_get(user: AnyUser, referral_uuid: Any) -> Referral:
    referral = (
        with_urgency(referrals_for_user(user))
        .select_related(*REFERRAL_RELATED, "consent", "answered_by", "case__child__home_location")
        .filter(uuid=parse_uuid(referral_uuid))
        .first()
    )
    if referral is None:
        raise Http404
    # A referral is child data (the reason tells the family's situation): reads are logged.
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        obj=referral.case.child,
        detail=f"referral {referral.uuid}",
    )
    return referral


def referrals_of_case(user: AnyUser, case: Case) -> QuerySet[Referral]:
    """On the case page: all of them for the sender side, only its own for a receiver."""
    return referral_list(referrals_for_user(user).filter(case=case))


def visible_child_ids(user: AnyUser, referrals: list[Referral]) -> set[int]:
    """Which of these referrals' children the user may open now (one query)."""
    ids = {r.case.child_id for r in referrals}
    if not ids:
        return set()
    return set(children_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass(frozen=True)
class ReferralsWaiting:
    to_answer: list[Referral]
    sent: list[Referral]


def referrals_waiting(user: AnyUser) -> ReferralsWaiting:
    """For "My work": referrals the user's agency must answer, and those the user sent."""
    waiting = Q(status=ReferralStatus.SENT)
    return ReferralsWaiting(
        to_answer=list(
            urgent_first(referrals_received(user).filter(waiting)).select_related(
                *REFERRAL_RELATED
            )[:50]
        ),
        sent=list(
            urgent_first(referrals_sent(user).filter(waiting, sent_by_id=user.pk)).select_related(
                *REFERRAL_RELATED
            )[:50]
        ),
    )


def referral_history(referral: Referral) -> QuerySet[Any]:
    return referral.events.select_related("actor").order_by("occurred_at", "id")


# --- notifications ---------------------------------------------------------------------------


def notifications_for(user: AnyUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def notifications_reworded(notifications: list[Notification]) -> list[Notification]:
    """Escalation notices in the reader's language (one query for the page); the stored text,
    written in the deployment's language, stays the fallback."""
    keys = {
        n.source.removeprefix(ESCALATION_PREFIX)
        for n in notifications
        if n.source.startswith(ESCALATION_PREFIX)
    }
    valid = set()
    for key in keys:
        try:
            valid.add(uuid_module.UUID(key))
        except ValueError:
            continue
    referrals = {
        str(r.uuid): r
        for r in Referral.objects.filter(uuid__in=valid).select_related(
            "case__child", "provider", "service_type"
        )
    }
    for notification in notifications:
        referral = referrals.get(notification.source.removeprefix(ESCALATION_PREFIX))
        text = escalation_text(referral) if referral is not None else notification.text
        notification.display_text = text  # type: ignore[attr-defined]
    return notifications


def unread_count(user: AnyUser) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
