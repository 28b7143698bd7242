"""The referral report: per receiving agency and service type, computed in the database.

- received: referrals sent in the period;
- median time to answer: over the answered ones (accepted or declined). The database numbers
  the answered referrals of each group by their time to answer (a window function, the same
  SQL on SQLite and PostgreSQL) and returns only the one or two middle rows of each group;
  Python averages those. No row-by-row loop, no PostgreSQL-only percentile function;
- answered on time: the share of referrals answered by their deadline, among those that
  were answered or whose deadline passed unanswered (still waiting, or withdrawn after it);
  referrals withdrawn before their deadline are not counted either way;
- completion rate: completed among those accepted (withdrawn after acceptance counts as
  not completed).

These are counts about agencies' work with no attribute of any child, so no small-cell
suppression is applied.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from homeward.services.models import Referral, ReferralStatus, ServiceType

GROUP = ("provider__agency_id", "service_type_id")


@dataclass(frozen=True)
class ReportRow:
    agency_code: str
    agency_name: str
    service_type: ServiceType
    received: int
    answered: int
    median_answer: datetime.timedelta | None
    answered_on_time: int
    judged: int
    accepted: int
    completed: int

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.judged if self.judged else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.accepted if self.accepted else None

    @property
    def median_hours(self) -> float | None:
        if self.median_answer is None:
            return None
        return round(self.median_answer.total_seconds() / 3600, 1)


def referrals_in(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    agency_code: str = "",
    service_type: ServiceType | None = None,
) -> QuerySet[Referral]:
    qs = Referral.objects.all()
    zone = timezone.get_current_timezone()
    if since is not None:
        qs = qs.filter(sent_at__gte=datetime.datetime.combine(since, datetime.time(), zone))
    if until is not None:
        next_day = until + datetime.timedelta(days=1)
        qs = qs.filter(sent_at__lt=datetime.datetime.combine(next_day, datetime.time(), zone))
    if agency_code:
        qs = qs.filter(provider__agency__code=agency_code)
    if service_type is not None:
        qs = qs.filter(service_type=service_type)
    return qs


def median_answer_times(
    referrals: QuerySet[Referral],
) -> dict[tuple[int, int], datetime.timedelta]:
    """The median time to answer per group, from the middle rows the database picks."""
    partition = [F(name) for name in GROUP]
    ranked = referrals.filter(answered_at__isnull=False).annotate(
        took=ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField()),
        position=Window(RowNumber(), partition_by=partition, order_by=[F("took").asc(), "pk"]),
        size=Window(Count("pk"), partition_by=partition),
    )
    # Rows (n+1)//2 and (n+2)//2: the middle one when n is odd, the middle two when even.
    middle = ranked.filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
    found: dict[tuple[int, int], list[datetime.timedelta]] = defaultdict(list)
    for agency_id, type_id, took in middle.values_list(*GROUP, "took"):
        found[(agency_id, type_id)].append(took)
    return {
        key: datetime.timedelta(seconds=statistics.fmean(t.total_seconds() for t in values))
        for key, values in found.items()
    }


def referral_report(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    agency_code: str = "",
    service_type: ServiceType | None = None,
    now: datetime.datetime | None = None,
) -> list[ReportRow]:
    now = now or timezone.now()
    referrals = referrals_in(
        since=since, until=until, agency_code=agency_code, service_type=service_type
    )
    answered = Q(answered_at__isnull=False)
    deadline_passed = Q(
        answered_at__isnull=True,
        due_at__lt=Coalesce("withdrawn_at", Value(now), output_field=DateTimeField()),
    )
    groups = (
        referrals.values(*GROUP, "provider__agency__code", "provider__agency__name")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
            judged=Count("pk", filter=answered | deadline_passed),
            accepted=Count("pk", filter=answered & ~Q(status=ReferralStatus.DECLINED)),
            completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        )
        .order_by("provider__agency__name", "service_type_id")
    )
    rows = list(groups)
    types = ServiceType.objects.in_bulk({row["service_type_id"] for row in rows})
    medians = median_answer_times(referrals) if rows else {}
    report = [
        ReportRow(
            agency_code=row["provider__agency__code"],
            agency_name=row["provider__agency__name"],
            service_type=types[row["service_type_id"]],
            received=row["received"],
            answered=row["answered"],
            median_answer=medians.get((row["provider__agency_id"], row["service_type_id"])),
            answered_on_time=row["on_time"],
            judged=row["judged"],
            accepted=row["accepted"],
            completed=row["completed"],
        )
        for row in rows
    ]
    report.sort(key=lambda r: (r.agency_name, r.service_type.display_name))
    return report
