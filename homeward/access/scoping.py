"""Which records a user may see: querysets are narrowed here and nowhere else.

Foundation scope, refined by the access-control work: a data role sees the records of its
agency and the agency's sub-agencies; institution staff see the current residents of their
institution; working-group members see only what is shared with them (nothing until sharing
exists); analysts and system administrators see no child records at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from homeward.access.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Agency, User

AGENCY_SCOPED_ROLES = frozenset({Role.CASE_MANAGER, Role.SUPERVISOR, Role.FOSTER_CARE_WORKER})
NOTHING = Q(pk__in=[])


def _data_memberships(user: User | AnonymousUser) -> list[Any]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Any] | None = getattr(user, "_homeward_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("agency"))
        setattr(user, "_homeward_memberships", cached)  # noqa: B010  (a per-request cache)
    return cached


def _agency_q(user: User | AnonymousUser, field: str) -> Q:
    q = NOTHING
    for membership in _data_memberships(user):
        if membership.role in AGENCY_SCOPED_ROLES:
            path = membership.agency.path
            q |= Q(**{f"{field}__path": path}) | Q(**{f"{field}__path__startswith": path + "/"})
    return q


def _institution_ids(user: User | AnonymousUser) -> list[int]:
    return [
        m.institution_id
        for m in _data_memberships(user)
        if m.role == Role.INSTITUTION_STAFF and m.institution_id
    ]


def child_scope(user: User | AnonymousUser) -> Q:
    """A filter on Child selecting the children this user may see."""
    from homeward.institutions.models import Residence

    q = _agency_q(user, "agency")
    institution_ids = _institution_ids(user)
    if institution_ids:
        residents = Residence.objects.filter(
            institution_id__in=institution_ids, left_on__isnull=True
        ).values("child_id")
        q |= Q(pk__in=residents)
    return q


def person_scope(user: User | AnonymousUser) -> Q:
    """Persons of the user's agencies, and the relatives of the children the user may see."""
    from homeward.registry.models import Child, Relationship

    visible_children = Child.objects.filter(child_scope(user)).values("pk")
    related = Relationship.objects.filter(child__in=visible_children).values("person_id")
    return _agency_q(user, "agency") | Q(pk__in=related)


def household_scope(user: User | AnonymousUser) -> Q:
    from homeward.registry.models import Child

    visible_children = Child.objects.filter(child_scope(user)).values("household_id")
    return _agency_q(user, "agency") | Q(pk__in=visible_children)


def writable_agencies(user: User | AnonymousUser) -> QuerySet[Agency]:
    """Agencies in which this user may register children and families."""
    from homeward.accounts.models import Agency

    ids = [m.agency_id for m in _data_memberships(user) if m.role in AGENCY_SCOPED_ROLES]
    return Agency.objects.filter(pk__in=ids).order_by("name")
