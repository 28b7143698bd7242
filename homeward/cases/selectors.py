"""Reads of cases and consents (the child itself was already read through its scope)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from homeward.cases.models import Consent, ConsentKind
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.registry.models import Child


def consents_of(child: Child) -> QuerySet[Consent]:
    return child.consents.select_related("agency", "working_group").order_by("-given_on", "-id")


def active_sharing_consents(child: Child) -> QuerySet[Consent]:
    return consents_of(child).filter(kind=ConsentKind.SHARING, withdrawn_on__isnull=True)


def consent_get(user: User | AnonymousUser, consent_uuid: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.filter(uuid=consent_uuid, child__in=children_for_user(user).values("pk"))
        .select_related("child")
        .first()
    )
    if consent is None:
        raise Http404
    return consent
