"""Which records a user may see: querysets are narrowed here and nowhere else.

- case manager: children whose case they manage or are assigned to;
- supervisor: their team's children (a supervisor with no team: the agency's);
- foster-care worker: their agency's and its sub-agencies' children;
- institution staff: the current residents of their institution;
- working-group member: children shared with their working group;
- any data role: children shared with their agency through a referral;
- shares count only while not revoked, not past their end and while the consent stands;
- emergency (break-glass) access adds one child for a few hours;
- analysts and system administrators see no child records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeward.access.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Agency, User

    AnyUser = User | AnonymousUser

NOTHING = Q(pk__in=[])
DATA_ROLES = frozenset(
    {
        Role.CASE_MANAGER,
        Role.SUPERVISOR,
        Role.FOSTER_CARE_WORKER,
        Role.INSTITUTION_STAFF,
        Role.WORKING_GROUP_MEMBER,
    }
)
# Roles that register children and families in their agency.
REGISTERING_ROLES = frozenset({Role.CASE_MANAGER, Role.SUPERVISOR, Role.FOSTER_CARE_WORKER})


def memberships(user: AnyUser) -> list[Any]:
    """The user's memberships, read once per request."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Any] | None = getattr(user, "_homeward_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("agency"))
        setattr(user, "_homeward_memberships", cached)  # noqa: B010  (a per-request cache)
    return cached


def _agency_subtree(field: str, agency: Agency) -> Q:
    return Q(**{f"{field}__path": agency.path}) | Q(
        **{f"{field}__path__startswith": agency.path + "/"}
    )


def _active_shares() -> QuerySet[Any]:
    from homeward.access.models import Share

    today = timezone.localdate()
    return Share.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        revoked_at__isnull=True,
        consent__withdrawn_on__isnull=True,
    )


def _with_rows(querysets: list[QuerySet[Any]]) -> list[QuerySet[Any]]:
    """The querysets that have rows, asked in one round trip (SELECT EXISTS(…), EXISTS(…))."""
    if not querysets:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        sql, query_params = queryset.query.sql_with_params()
        parts.append(f"EXISTS ({sql})")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)  # parts: compiled ORM SQL
        flags = cursor.fetchone()
    return [queryset for queryset, flag in zip(querysets, flags, strict=True) if flag]


def child_scope(user: AnyUser, *, include_shared: bool = True) -> Q:
    """A filter on Child selecting the children this user may see.

    The children of one's cases are chosen by the copy of the case's case manager, team
    and supervisor that each child row carries (``Child.scope_*``, kept by the database):
    a condition on the child itself, which an index answers in name order however many
    cases a worker holds. Other sources of child ids are subqueries on their own tables,
    and the result is then one ``pk IN (subquery)`` (a UNION ALL when a user has several
    sources) rather than an OR of subqueries: an OR keeps PostgreSQL from turning any
    term into a join, so at national scale every count and page read the children one by
    one. Sources that are usually empty (assignments, shares, emergency access) are asked
    first with one indexed EXISTS each and left out when empty. An agency subtree becomes
    ``agency_id IN (literal ids)``, so the planner knows from its statistics how many
    children the subtree holds; a subtree holding every agency is no filter at all.
    """
    from homeward.access.models import BreakGlass
    from homeward.accounts.models import Agency
    from homeward.cases.models import CaseAssignment
    from homeward.institutions.models import Residence
    from homeward.registry.models import Child

    q = NOTHING
    agencies: list[tuple[int, str]] | None = None
    everything = False
    own = NOTHING  # the children of one's cases, by the keys on the child row
    sources: list[QuerySet[Any]] = []  # other children, as subqueries
    extras: list[QuerySet[Any]] = []  # rarely any rows: kept only when they have some
    shared_agencies: list[int] = []
    member = cast("User", user)  # only signed-in users have memberships
    for membership in memberships(user):
        role = membership.role
        if role not in DATA_ROLES:
            continue
        shared_agencies.append(membership.agency_id)
        if role == Role.CASE_MANAGER:
            own |= Q(scope_case_manager_id=member.pk)
            extras.append(
                CaseAssignment.objects.filter(user=member, ended_on__isnull=True).values(
                    "case__child_id"
                )
            )
        elif role == Role.SUPERVISOR and membership.team_id:
            own |= Q(scope_team_id=membership.team_id) | Q(scope_supervisor_id=member.pk)
        elif role in {Role.SUPERVISOR, Role.FOSTER_CARE_WORKER}:
            path = membership.agency.path
            if agencies is None:
                agencies = list(Agency.objects.values_list("pk", "path"))
            subtree = [pk for pk, p in agencies if p == path or p.startswith(path + "/")]
            if len(subtree) == len(agencies):
                # Every agency: every child (a child always has an agency). No filter,
                # where a list of every agency's id would have the planner read a
                # bitmap of the whole table for each search and count.
                everything = True
            q |= Q(agency_id__in=subtree)
        elif role == Role.INSTITUTION_STAFF and membership.institution_id:
            sources.append(
                Residence.objects.filter(
                    institution_id=membership.institution_id, left_on__isnull=True
                ).values("child_id")
            )
    if everything:
        return Q(pk__isnull=False)
    if include_shared and shared_agencies:
        extras.append(
            _active_shares()
            .filter(Q(agency_id__in=shared_agencies) | Q(working_group__members=member))
            .values("child_id")
        )
    if shared_agencies:
        extras.append(
            BreakGlass.objects.filter(user=member, expires_at__gt=timezone.now()).values("child_id")
        )
    sources += _with_rows(extras)
    if not sources:
        return q | own
    if own != NOTHING:
        sources.insert(0, Child.objects.filter(own).values("pk"))
    if len(sources) == 1:
        q |= Q(pk__in=sources[0])
    else:
        first, *rest = (source.order_by() for source in sources)
        q |= Q(pk__in=first.union(*rest, all=True))
    return q


def _agency_roles_q(user: AnyUser, field: str) -> Q:
    q = NOTHING
    for membership in memberships(user):
        if membership.role == Role.FOSTER_CARE_WORKER or (
            membership.role == Role.SUPERVISOR and not membership.team_id
        ):
            q |= _agency_subtree(field, membership.agency)
    return q


def person_scope(user: AnyUser) -> Q:
    """Relatives of visible children, members of visible households, and one's own entries."""
    from homeward.registry.models import Child, Relationship

    if not memberships(user):
        return NOTHING
    visible = Child.objects.filter(child_scope(user)).values("pk")
    related = Relationship.objects.filter(child__in=visible).values("person_id")
    households = Child.objects.filter(child_scope(user)).values("household_id")
    return (
        Q(pk__in=related)
        | Q(household_id__in=households)
        | Q(created_by=user)
        | _agency_roles_q(user, "agency")
    )


def household_scope(user: AnyUser) -> Q:
    from homeward.registry.models import Child

    if not memberships(user):
        return NOTHING
    visible = Child.objects.filter(child_scope(user)).values("household_id")
    return Q(pk__in=visible) | Q(created_by=user) | _agency_roles_q(user, "agency")


def writable_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies in which this user may register children and families."""
    from homeward.accounts.models import Agency

    ids = [m.agency_id for m in memberships(user) if m.role in REGISTERING_ROLES]
    return Agency.objects.filter(pk__in=ids).order_by("name")


def team_for(user: AnyUser, agency: Agency) -> Any:
    """The user's team in that agency, if any."""
    for membership in memberships(user):
        if membership.agency_id == agency.pk and membership.team_id:
            return membership.team
    return None


def has_role_in(user: AnyUser, agency: Agency, role: str) -> bool:
    return any(m.agency_id == agency.pk and m.role == role for m in memberships(user))
