"""Reads of shares and emergency access, scoped to the user."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from homeward.access.models import BreakGlass, Share
from homeward.access.permissions import Perm, has_perm
from homeward.access.roles import Role
from homeward.access.scoping import memberships
from homeward.accounts.models import Membership
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.registry.models import Child


def child_by_case_number_unscoped(case_number: str) -> Child:
    """Only for break-glass: the one place that looks a child up outside the user's scope."""
    from homeward.registry.models import Child

    child = Child.objects.filter(case_number__iexact=case_number.strip()).first()
    if child is None:
        raise Http404
    return child


def break_glass_for_user(user: User | AnonymousUser) -> QuerySet[BreakGlass]:
    """One's own emergency access, and for supervisors that of their agencies' users."""
    if not user.is_authenticated:
        return BreakGlass.objects.none()
    agencies = Q(pk__in=[])
    for membership in memberships(user):
        if membership.role == Role.SUPERVISOR:
            path = membership.agency.path
            agencies |= Q(agency__path=path) | Q(agency__path__startswith=path + "/")
    users = Membership.objects.filter(agencies).values("user_id")
    return (
        BreakGlass.objects.filter(Q(user=user) | Q(user_id__in=users))
        .select_related("user", "child")
        .order_by("-granted_at")
    )


def shares_of(user: User | AnonymousUser, child: Child) -> QuerySet[Share]:
    if not has_perm(user, Perm.SHARE_MANAGE):
        return Share.objects.none()
    return (
        Share.objects.filter(child=child)
        .select_related("working_group", "agency", "consent")
        .order_by("-shared_on", "-id")
    )


def share_get(user: User | AnonymousUser, share_uuid: uuid.UUID | str) -> Share:
    share = (
        Share.objects.filter(uuid=share_uuid, child__in=children_for_user(user).values("pk"))
        .select_related("child")
        .first()
    )
    if share is None or not has_perm(user, Perm.SHARE_MANAGE):
        raise Http404
    return share
