"""Reads of institutions and residents. Resident lists go through the child scope."""

from __future__ import annotations

import uuid as uuid_module
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from homeward.access.permissions import Perm, has_perm
from homeward.institutions.models import Institution, Residence
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

    AnyUser = User | AnonymousUser


def institutions_for_user(user: AnyUser) -> QuerySet[Institution]:
    """Institutions are not personal data: every role with the permission sees the list."""
    if not has_perm(user, Perm.INSTITUTION_VIEW):
        return Institution.objects.none()
    return Institution.objects.all()


def institution_list(user: AnyUser, q: str = "", location: str = "") -> QuerySet[Institution]:
    qs = institutions_for_user(user).select_related("location", "agency")
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__icontains=text) | Q(name_latin__icontains=text) | Q(code__iexact=text)
        )
    if location:
        qs = qs.filter(
            Q(location__code=location)
            | Q(location__path__startswith=f"{location}/")
            | Q(location__path__contains=f"/{location}/")
        )
    return qs.annotate(
        current_residents=Count("residences", filter=Q(residences__left_on__isnull=True))
    ).order_by("name")


def institution_get(user: AnyUser, institution_uuid: Any) -> Institution:
    try:
        key = uuid_module.UUID(str(institution_uuid))
    except ValueError as exc:
        raise Http404 from exc
    institution = institution_list(user).filter(uuid=key).first()
    if institution is None:
        raise Http404
    return institution


def residences_for_user(user: AnyUser) -> QuerySet[Residence]:
    return Residence.objects.filter(child__in=children_for_user(user).values("pk"))


def institution_residents(
    user: AnyUser, institution: Institution, *, current_only: bool = True
) -> QuerySet[Residence]:
    qs = residences_for_user(user).filter(institution=institution).select_related("child")
    if current_only:
        qs = qs.filter(left_on__isnull=True)
    return qs.order_by("child__family_name", "child__given_name", "id")


def child_residences(user: AnyUser, child: Any) -> QuerySet[Residence]:
    return (
        residences_for_user(user)
        .filter(child=child)
        .select_related("institution", "institution__location")
        .order_by("-admitted_on")
    )


def residence_get(user: AnyUser, residence_uuid: Any) -> Residence:
    try:
        key = uuid_module.UUID(str(residence_uuid))
    except ValueError as exc:
        raise Http404 from exc
    residence = (
        residences_for_user(user).select_related("child", "institution").filter(uuid=key).first()
    )
    if residence is None:
        raise Http404
    return residence
