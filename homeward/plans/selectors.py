"""Reads of care plans, through the case's scope."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from homeward.cases.selectors import cases_for_user
from homeward.plans.models import CarePlan, Goal, PlanAction, PlanStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.cases.models import Case

    AnyUser = User | AnonymousUser


def plans_of(case: Case) -> QuerySet[CarePlan]:
    return case.plans.order_by("-created_at", "-id")


def has_approved_plan(case: Case) -> bool:
    return case.plans.filter(status=PlanStatus.APPROVED).exists()


def plan_get(user: AnyUser, plan_uuid: uuid.UUID | str) -> CarePlan:
    plan = (
        CarePlan.objects.filter(uuid=plan_uuid, case__in=cases_for_user(user))
        .select_related("case", "case__child", "submitted_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    Prefetch("actions", queryset=PlanAction.objects.select_related("agency"))
                ),
            ),
            "reviews__reviewed_by",
        )
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def action_get(user: AnyUser, action_uuid: uuid.UUID | str) -> PlanAction:
    action = (
        PlanAction.objects.filter(uuid=action_uuid, goal__plan__case__in=cases_for_user(user))
        .select_related("goal__plan__case__child")
        .first()
    )
    if action is None:
        raise Http404
    return action
