"""Reads for matching: weights, children waiting for a family, sibling units, proposals."""

from __future__ import annotations

import datetime
import uuid as uuid_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from homeward.access.permissions import Perm, has_perm
from homeward.access.scoping import NOTHING, memberships
from homeward.care.models import (
    FAMILY_BASED,
    CareType,
    GatekeepingDecision,
    GatekeepingOutcome,
    Placement,
)
from homeward.carers.selectors import region_path
from homeward.geo.models import Level, Location
from homeward.matching.models import MatchingWeights, MatchProposal, ProposedMatch
from homeward.matching.scoring import CRITERIA, Weights
from homeward.registry.models import Child, Relationship, RelationshipKind
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

    AnyUser = User | AnonymousUser

FOSTER_TYPES = (CareType.FOSTER, CareType.FOSTER_PROFESSIONAL)


def _parse(value: Any) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def default_weights() -> Weights:
    return Weights.from_mapping(settings.MATCHING_DEFAULT_WEIGHTS)


def region_of(location: Location) -> Location:
    """The region a location lies in (walking up the tree; a country stands for itself)."""
    current = location
    while current.level not in {Level.REGION, Level.COUNTRY} and current.parent is not None:
        current = current.parent
    return current


def weights_for(region: Location) -> Weights:
    row = MatchingWeights.objects.filter(region=region).first()
    if row is None:
        return default_weights()
    merged = {**settings.MATCHING_DEFAULT_WEIGHTS, **row.weights}
    return Weights.from_mapping({k: v for k, v in merged.items() if k in CRITERIA})


def weights_row(region: Location) -> MatchingWeights | None:
    return MatchingWeights.objects.filter(region=region).first()


def user_region_paths(user: AnyUser) -> list[str]:
    """The regions of the user's agencies (a national agency: the whole country)."""
    area_ids = {m.agency.area_id for m in memberships(user)}
    paths = Location.objects.filter(pk__in=area_ids).values_list("path", flat=True)
    return sorted({region_path(path) for path in paths})


def regions_for_user(user: AnyUser) -> QuerySet[Location]:
    q = NOTHING
    for path in user_region_paths(user):
        q |= Q(path=path) | Q(path__startswith=path + "/")
    return Location.objects.filter(q, level=Level.REGION).order_by("path")


def region_get(user: AnyUser, code: str) -> Location:
    region = regions_for_user(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def _in_region(field: str, region: Location) -> Q:
    return Q(**{f"{field}__path": region.path}) | Q(
        **{f"{field}__path__startswith": region.path + "/"}
    )


def waiting_children(
    user: AnyUser, region: Location | None = None, *, today: datetime.date | None = None
) -> QuerySet[Child]:
    """Children who need a foster family: their latest gatekeeping decision places them in
    foster care, and no family-based placement has started since that decision."""
    today = today or timezone.localdate()
    latest = GatekeepingDecision.objects.filter(child=OuterRef("pk")).order_by("-decided_on", "-id")
    placed_since = Placement.objects.filter(
        child=OuterRef("pk"),
        care_type__in=list(FAMILY_BASED),
        start__gte=OuterRef("decision_on"),
    )
    try:
        adult_birthday = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        adult_birthday = today.replace(year=today.year - 18, day=28)
    qs = children_for_user(user).filter(date_of_birth__gt=adult_birthday)
    if region is not None:
        qs = qs.filter(_in_region("home_location", region))
    return (
        qs.annotate(
            decision_outcome=Subquery(latest.values("outcome")[:1]),
            decision_type=Subquery(latest.values("care_type")[:1]),
            decision_on=Subquery(latest.values("decided_on")[:1]),
        )
        .filter(decision_outcome=GatekeepingOutcome.PLACE, decision_type__in=FOSTER_TYPES)
        .exclude(Exists(placed_since))
        .order_by("date_of_birth", "id")
    )


def sibling_pairs(child_ids: list[int]) -> list[tuple[int, int]]:
    """Sibling links between these children, recorded in either direction."""
    return list(
        Relationship.objects.filter(
            kind=RelationshipKind.SIBLING, child_id__in=child_ids, related_child_id__in=child_ids
        ).values_list("child_id", "related_child_id")
    )


def units_of(children: list[Child]) -> list[list[Child]]:
    """Sibling groups among these children (connected through sibling links), eldest first."""
    parent = {child.pk: child.pk for child in children}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in sibling_pairs(list(parent)):
        parent[root(a)] = root(b)
    groups: dict[int, list[Child]] = {}
    for child in children:
        groups.setdefault(root(child.pk), []).append(child)
    units = [sorted(group, key=lambda c: (c.date_of_birth, c.pk)) for group in groups.values()]
    return sorted(units, key=lambda unit: (unit[0].date_of_birth, unit[0].pk))


def sibling_unit(user: AnyUser, child: Child) -> list[Child]:
    """The child and the brothers and sisters who wait for a family with them."""
    linked = Relationship.objects.filter(kind=RelationshipKind.SIBLING).filter(
        Q(child=child, related_child__isnull=False) | Q(related_child=child)
    )
    ids = {child.pk}
    for a, b in linked.values_list("child_id", "related_child_id"):
        ids.update({a, b})
    ids.discard(child.pk)
    if not ids:
        return [child]
    waiting = list(
        waiting_children(user).filter(pk__in=ids).select_related("home_location", "school_location")
    )
    return [child, *sorted(waiting, key=lambda c: (c.date_of_birth, c.pk))]


def proposals_for_user(user: AnyUser) -> QuerySet[MatchProposal]:
    if not has_perm(user, Perm.MATCH_MAKE):
        return MatchProposal.objects.none()
    q = NOTHING
    for path in user_region_paths(user):
        q |= Q(region__path=path) | Q(region__path__startswith=path + "/")
    return MatchProposal.objects.filter(q).select_related("region", "created_by")


def proposal_get(user: AnyUser, proposal_uuid: Any) -> MatchProposal:
    proposal = proposals_for_user(user).filter(uuid=_parse(proposal_uuid)).first()
    if proposal is None:
        raise Http404
    return proposal


def matches_of(user: AnyUser, proposal: MatchProposal) -> QuerySet[ProposedMatch]:
    """The proposal's matches whose children the user may all see."""
    visible = children_for_user(user).values("pk")
    return (
        proposal.matches.annotate(
            total=Count("children", distinct=True),
            seen=Count("children", filter=Q(children__in=visible), distinct=True),
        )
        .filter(total=F("seen"))
        .select_related("household", "household__location", "replaces__household")
        .prefetch_related("children")
        .order_by("status", "-score", "id")
    )


def match_get(user: AnyUser, match_uuid: Any) -> ProposedMatch:
    match = (
        ProposedMatch.objects.filter(
            uuid=_parse(match_uuid), proposal__in=proposals_for_user(user).values("pk")
        )
        .select_related("proposal", "proposal__region", "household")
        .first()
    )
    if match is None:
        raise Http404
    visible = children_for_user(user).filter(pk__in=match.children.values("pk")).count()
    if visible != match.children.count():
        raise Http404
    return match
