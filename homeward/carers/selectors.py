"""Reads of foster carer households, scoped to the user.

A user sees the carer households of their agencies (and sub-agencies) and every household
living in the region of one of their agencies: carers are a regional resource that every
worker placing children in the region draws on.
"""

from __future__ import annotations

import datetime
import statistics
import uuid as uuid_module
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from homeward.access.permissions import Perm, has_perm
from homeward.access.roles import Role
from homeward.access.scoping import NOTHING, memberships
from homeward.carers.models import (
    ADULT_ROLES,
    CarerHousehold,
    CarerPlacementLink,
    Check,
    CheckKind,
    CheckResult,
    HomeStudy,
    HomeStudyStatus,
    MatchingRow,
    Stage,
    TrainingCourse,
)
from homeward.carers.pipeline import ACTIVE
from homeward.cases.models import Task
from homeward.core.actions import short_date
from homeward.geo.models import Location

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Agency, User

    AnyUser = User | AnonymousUser


def region_path(location_path: str) -> str:
    """The path of the region a location lies in (a country is its own region)."""
    return "/".join(location_path.split("/")[:2])


def _in_area(field: str, path: str) -> Q:
    return Q(**{f"{field}__path": path}) | Q(**{f"{field}__path__startswith": path + "/"})


def carer_scope(user: AnyUser) -> Q:
    found = memberships(user)
    if not found:
        return NOTHING
    q = NOTHING
    area_ids = {m.agency.area_id for m in found}
    for path in Location.objects.filter(pk__in=area_ids).values_list("path", flat=True):
        q |= _in_area("location", region_path(path))
    for membership in found:
        q |= _in_area("agency", membership.agency.path)
    return q


def carers_for_user(user: AnyUser) -> QuerySet[CarerHousehold]:
    if not has_perm(user, Perm.CARER_VIEW):
        return CarerHousehold.objects.none()
    return CarerHousehold.objects.filter(carer_scope(user))


def matching_rows_for_user(user: AnyUser) -> QuerySet[MatchingRow]:
    """The ranking rows of the households ``carers_for_user`` gives, by ids: the regions and
    agencies in scope are few, so the ranking query needs no join to find them."""
    from homeward.accounts.models import Agency

    found = memberships(user)
    if not has_perm(user, Perm.CARER_VIEW) or not found:
        return MatchingRow.objects.none()
    areas = Location.objects.filter(pk__in={m.agency.area_id for m in found})
    regions = NOTHING
    for path in {region_path(p) for p in areas.values_list("path", flat=True)}:
        regions |= Q(path=path) | Q(path__startswith=path + "/")
    agencies = NOTHING
    for membership in found:
        path = membership.agency.path
        agencies |= Q(path=path) | Q(path__startswith=path + "/")
    region_ids = list(Location.objects.filter(regions).values_list("pk", flat=True))
    agency_ids = list(Agency.objects.filter(agencies).values_list("pk", flat=True))
    return MatchingRow.objects.filter(Q(region_id__in=region_ids) | Q(agency_id__in=agency_ids))


def carer_agencies(user: AnyUser) -> list[Agency]:
    """Foster-care services in which this user recruits carers."""
    return [m.agency for m in memberships(user) if m.role == Role.FOSTER_CARE_WORKER]


def _parse(value: Any) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def open_placements(household_ids: list[int] | None = None) -> dict[int, int]:
    """Children placed with each household now (open placements), by household id."""
    links = CarerPlacementLink.objects.filter(placement__end__isnull=True)
    if household_ids is not None:
        links = links.filter(household_id__in=household_ids)
    return dict(
        links.values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
        .order_by()
    )


def with_vacancies(queryset: QuerySet[CarerHousehold]) -> QuerySet[CarerHousehold]:
    """Annotate ``placed`` (children placed now) and ``vacancy`` (places free)."""
    return queryset.annotate(
        placed=Count("placement_links", filter=Q(placement_links__placement__end__isnull=True)),
        vacancy=F("terms__max_children") - F("placed"),
    )


def carer_list(
    user: AnyUser, *, stage: str = "", q: str = "", location: str = ""
) -> QuerySet[CarerHousehold]:
    qs = carers_for_user(user).select_related("location", "agency", "terms", "worker")
    if stage:
        qs = qs.filter(stage=stage)
    if location:
        qs = qs.filter(
            Q(location__code=location)
            | Q(location__path__contains=f"/{location}/")
            | Q(location__path__startswith=f"{location}/")
        )
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(members__family_name__icontains=text)
            | Q(address__icontains=text)
        ).distinct()
    return with_vacancies(qs).order_by("name", "id")


def carer_get(user: AnyUser, household_uuid: Any) -> CarerHousehold:
    household = (
        with_vacancies(carers_for_user(user))
        .select_related("location", "location__parent", "agency", "terms", "worker")
        .filter(uuid=_parse(household_uuid))
        .first()
    )
    if household is None:
        raise Http404
    return household


def home_study_get(user: AnyUser, study_uuid: Any) -> HomeStudy:
    study = (
        HomeStudy.objects.filter(
            uuid=_parse(study_uuid), household__in=carers_for_user(user).values("pk")
        )
        .select_related("template", "household")
        .first()
    )
    if study is None:
        raise Http404
    return study


def courses() -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.order_by("-is_active", "name")


def course_get(course_uuid: Any) -> TrainingCourse:
    course = TrainingCourse.objects.filter(uuid=_parse(course_uuid)).first()
    if course is None:
        raise Http404
    return course


def latest_checks(household: CarerHousehold) -> dict[tuple[str, int | None], Check]:
    """The latest check of each kind, for the household and for each member."""
    latest: dict[tuple[str, int | None], Check] = {}
    for check in household.checks.order_by("-done_on", "-id"):
        latest.setdefault((check.kind, check.member_id), check)
    return latest


def _check_problem(check: Check | None, label: str, name: str, on: datetime.date) -> str | None:
    values = {"check": label, "name": name}
    if check is None:
        if name:
            return _("Check “%(check)s” for %(name)s is missing.") % values
        return _("Check “%(check)s” is missing.") % values
    values["date"] = short_date(check.done_on)
    if check.result != CheckResult.PASSED:
        if name:
            return _("Check “%(check)s” for %(name)s failed on %(date)s.") % values
        return _("Check “%(check)s” failed on %(date)s.") % values
    if check.expires_on is not None and check.expires_on <= on:
        values["date"] = short_date(check.expires_on)
        if name:
            return _("Check “%(check)s” for %(name)s expired on %(date)s.") % values
        return _("Check “%(check)s” expired on %(date)s.") % values
    return None


def training_hours(household: CarerHousehold) -> Decimal:
    total = household.training.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def approval_blockers(household: CarerHousehold, on: datetime.date | None = None) -> list[str]:
    """What still stands in the way of approving (or keeping approved) this household: the
    required checks passed and valid on ``on``, an adult carer, and the training hours."""
    on = on or timezone.localdate()
    problems: list[str] = []
    adults = [m for m in household.members.all() if m.role in ADULT_ROLES]
    if not adults:
        problems.append(_("Add the main carer to the household."))
    checks = list(household.checks.order_by("-done_on", "-id"))
    labels = dict(CheckKind.choices)
    required: dict[str, str] = settings.CARER_REQUIRED_CHECKS
    for kind, who in required.items():
        label = str(labels.get(kind, kind))
        if who == "adult":
            for member in adults:
                check = next(
                    (c for c in checks if c.kind == kind and c.member_id == member.pk), None
                )
                problem = _check_problem(check, label, member.full_name, on)
                if problem:
                    problems.append(problem)
        else:
            check = next((c for c in checks if c.kind == kind), None)
            problem = _check_problem(check, label, "", on)
            if problem:
                problems.append(problem)
    done = training_hours(household)
    required_hours = Decimal(settings.CARER_MIN_TRAINING_HOURS)
    if done < required_hours:
        problems.append(
            _("Preparation training: %(done)s of %(required)s hours completed.")
            % {
                "done": formats.number_format(int(done) if done == int(done) else done),
                "required": settings.CARER_MIN_TRAINING_HOURS,
            }
        )
    return problems


def has_submitted_home_study(household: CarerHousehold) -> bool:
    return household.home_studies.filter(status=HomeStudyStatus.SUBMITTED).exists()


@dataclass(frozen=True)
class Dashboard:
    stages: list[tuple[str, str, int]]  # (code, label, count)
    median_days_to_approval: int | None
    approvals_counted: int
    with_vacancies: list[CarerHousehold]
    vacancies_total: int
    lapsing: list[CarerHousehold]
    checks_lapsing: int
    tasks: list[Task]  # the user's open tasks about carers (they belong to no case)


def dashboard(user: AnyUser, *, today: datetime.date | None = None) -> Dashboard:
    """Counts for the foster-care service, in a handful of aggregate queries."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.CARER_EXPIRY_NOTICE_DAYS)
    scoped = carers_for_user(user)
    counts = dict(
        scoped.values("stage").annotate(n=Count("id")).values_list("stage", "n").order_by()
    )
    stages = [(code, str(label), counts.get(code, 0)) for code, label in Stage.choices]
    durations = [
        (approved - enquiry).days
        for enquiry, approved in scoped.filter(approved_on__isnull=False).values_list(
            "enquiry_on", "approved_on"
        )
        if approved is not None
    ]
    available = with_vacancies(
        scoped.filter(stage=Stage.APPROVED, approval_expires_on__gte=today, terms__isnull=False)
    ).filter(Q(vacancy__gt=0))
    vacancies_total = available.aggregate(total=Sum("vacancy"))["total"] or 0
    lapsing = (
        scoped.filter(
            stage__in=[Stage.APPROVED, Stage.ON_HOLD],
            approval_expires_on__gte=today,
            approval_expires_on__lte=horizon,
        )
        .select_related("location")
        .order_by("approval_expires_on", "id")
    )
    checks_lapsing = Check.objects.filter(
        household__in=scoped.filter(stage__in=ACTIVE).values("pk"),
        expires_on__gte=today,
        expires_on__lte=horizon,
    ).count()
    return Dashboard(
        stages=stages,
        median_days_to_approval=round(statistics.median(durations)) if durations else None,
        approvals_counted=len(durations),
        with_vacancies=list(available.select_related("location").order_by("-vacancy", "name")[:50]),
        vacancies_total=int(vacancies_total),
        lapsing=list(lapsing[:50]),
        checks_lapsing=checks_lapsing,
        tasks=list(
            Task.objects.filter(
                assigned_to_id=getattr(user, "pk", None),
                case__isnull=True,
                source__startswith="carer-",
                completed_at__isnull=True,
            ).order_by("due_at")[:50]
        ),
    )


def placements_with(user: AnyUser, household: CarerHousehold) -> list[dict[str, Any]]:
    """Placements made with the household; a child is named only to users who may see them."""
    from homeward.registry.selectors import children_for_user

    visible = set(
        children_for_user(user)
        .filter(placements__carer_link__household=household)
        .values_list("pk", flat=True)
    )
    rows = []
    for link in household.placement_links.select_related("placement", "placement__child").order_by(
        "-placement__start"
    ):
        placement = link.placement
        child = placement.child if placement.child_id in visible else None
        rows.append({"placement": placement, "child": child})
    return rows
