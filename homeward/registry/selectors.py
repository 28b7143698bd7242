"""Reads of children, persons and households, always scoped to the user."""

from __future__ import annotations

import datetime
import uuid as uuid_module
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.access.permissions import Perm, has_perm
from homeward.access.scoping import child_scope, household_scope, person_scope
from homeward.audit.actions import audit_record
from homeward.audit.models import AuditAction
from homeward.registry import search
from homeward.registry.models import Child, Household, Person, Relationship

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

    AnyUser = User | AnonymousUser


def children_for_user(user: AnyUser) -> QuerySet[Child]:
    if not has_perm(user, Perm.CHILD_VIEW):
        return Child.objects.none()
    return Child.objects.filter(child_scope(user))


def _parse_uuid(value: Any) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def can_see_sensitive(user: AnyUser, child: Child) -> bool:
    """Special-category details (disability, health) for roles that need them, and only
    for children in their own work: not for what was merely shared with them."""
    if not has_perm(user, Perm.SENSITIVE_VIEW):
        return False
    return Child.objects.filter(child_scope(user, include_shared=False), pk=child.pk).exists()


def mark_sensitive_allowed(user: AnyUser, children: list[Child]) -> None:
    """``can_see_sensitive`` for a page of children in one query."""
    allowed: set[int] = set()
    if has_perm(user, Perm.SENSITIVE_VIEW):
        allowed = set(
            Child.objects.filter(
                child_scope(user, include_shared=False), pk__in=[c.pk for c in children]
            ).values_list("pk", flat=True)
        )
    for child in children:
        child.sensitive_allowed = child.pk in allowed  # type: ignore[attr-defined]


def child_get(user: AnyUser, child_uuid: Any) -> Child:
    child = (
        children_for_user(user)
        .select_related("home_location", "school_location", "household", "agency")
        .filter(uuid=_parse_uuid(child_uuid))
        .first()
    )
    if child is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.VIEW, obj=child)
    return child


AGE_BANDS = {"0-2": (0, 2), "3-6": (3, 6), "7-13": (7, 13), "14-17": (14, 17), "18+": (18, 200)}
SORTS = {
    "name": ("family_name", "given_name", "id"),
    "-name": ("-family_name", "-given_name", "-id"),
    "born": ("date_of_birth", "id"),
    "-born": ("-date_of_birth", "-id"),
    "case": ("case_number",),
    "-case": ("-case_number",),
    "registered": ("created_at", "id"),
    "-registered": ("-created_at", "-id"),
}


@dataclass(frozen=True)
class ChildFilters:
    q: str = ""
    sex: str = ""
    legal_status: str = ""
    location: str = ""  # a location code: the child's home is in this area
    disability: bool | None = None
    age_band: str = ""
    institution: str = ""  # an institution code: current residents
    sort: str = "name"


def _birth_range_for_age(low: int, high: int, today: datetime.date) -> Q:
    """Children aged ``low``..``high`` whole years on ``today``."""

    def years_before(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    youngest_birth = years_before(low)
    oldest_birth = years_before(high + 1) + datetime.timedelta(days=1)
    return Q(date_of_birth__lte=youngest_birth, date_of_birth__gte=oldest_birth)


def _area_location_ids(code: str) -> list[int]:
    """The ids of the location with this code and of every location inside it.

    Read first from the small location table and passed to the children's query as
    literals: filtering through a join to the locations would keep the index on the
    child's home location unused, and with the ids the planner knows from its statistics
    how many children live in the area.
    """
    from homeward.geo.models import Location

    areas = Location.objects.filter(
        Q(code=code) | Q(path__contains=f"/{code}/") | Q(path__startswith=f"{code}/")
    )
    return list(areas.values_list("pk", flat=True))


def child_list(user: AnyUser, filters: ChildFilters) -> QuerySet[Child]:
    qs = children_for_user(user)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.legal_status:
        qs = qs.filter(legal_status=filters.legal_status)
    if filters.disability is not None:
        qs = qs.filter(has_disability=filters.disability)
    if filters.location:
        qs = qs.filter(home_location_id__in=_area_location_ids(filters.location))
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        qs = qs.filter(_birth_range_for_age(low, high, timezone.localdate()))
    if filters.institution:
        from homeward.institutions.models import Residence

        qs = qs.filter(
            pk__in=Residence.objects.filter(
                institution__code=filters.institution, left_on__isnull=True
            ).values("child_id")
        )
    qs = qs.select_related("home_location")
    if filters.q.strip():
        return search.search_children(qs, filters.q)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def child_duplicates(
    user: AnyUser,
    *,
    family_name: str,
    given_name: str,
    date_of_birth: datetime.date,
    date_of_birth_estimated: bool,
    sex: str,
    exclude: Child | None = None,
) -> list[tuple[Child, float]]:
    qs = children_for_user(user).select_related("home_location")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return search.duplicate_candidates(
        qs,
        family_name=family_name,
        given_name=given_name,
        date_of_birth=date_of_birth,
        date_of_birth_estimated=date_of_birth_estimated,
        sex=sex,
    )


def child_relationships(user: AnyUser, child: Child) -> QuerySet[Relationship]:
    """The child's relatives; a related child outside the user's scope is left out."""
    visible_children = children_for_user(user).values("pk")
    return (
        child.relationships.select_related("person", "related_child")
        .filter(Q(person__isnull=False) | Q(related_child__in=visible_children))
        .order_by("kind", "id")
    )


# --- persons and households ---------------------------------------------------------------


def persons_for_user(user: AnyUser) -> QuerySet[Person]:
    if not has_perm(user, Perm.FAMILY_VIEW):
        return Person.objects.none()
    return Person.objects.filter(person_scope(user))


def person_get(user: AnyUser, person_uuid: Any) -> Person:
    person = (
        persons_for_user(user)
        .select_related("household", "location")
        .filter(uuid=_parse_uuid(person_uuid))
        .first()
    )
    if person is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.VIEW, obj=person)
    return person


def person_list(user: AnyUser, q: str = "") -> QuerySet[Person]:
    qs = persons_for_user(user)
    if q.strip():
        return search.search_by_name(qs, q)
    return qs.order_by("family_name", "given_name", "id")


def households_for_user(user: AnyUser) -> QuerySet[Household]:
    if not has_perm(user, Perm.FAMILY_VIEW):
        return Household.objects.none()
    return Household.objects.filter(household_scope(user))


def household_get(user: AnyUser, household_uuid: Any) -> Household:
    household = (
        households_for_user(user)
        .select_related("location", "agency")
        .prefetch_related(
            Prefetch("children", queryset=children_for_user(user).order_by("date_of_birth")),
            Prefetch("members", queryset=persons_for_user(user).order_by("date_of_birth")),
        )
        .filter(uuid=_parse_uuid(household_uuid))
        .first()
    )
    if household is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.VIEW, obj=household)
    return household


def household_list(user: AnyUser, q: str = "") -> QuerySet[Household]:
    qs = households_for_user(user).select_related("location")
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(address__icontains=q.strip()))
    return qs.order_by("name", "id")
