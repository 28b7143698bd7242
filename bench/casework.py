"""Casework at national scale: case chronology, tasks, a 200-case worker; page timings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        DEBUG=false .venv/bin/python bench/casework.py [--only generate|time] [--explain]

Runs on the database bench/generate.py made (1,000,000 children and cases) and only adds to
it. Every step is skipped when its rows are already there, and a fixed seed gives the same
rows on every run.

(a) generate:
    - a case manager ``cm.200`` (a membership like generate.py's, role case_manager) in the
      busiest district agency, who takes over exactly 200 open cases from the district's
      manager (UPDATE of case_manager_id); the cases in implementation or review get a
      next review date, as case_move sets it;
    - for those 200 cases: a long chronology (40 to 260 events each, some past the case
      page's 200), 5 to 60 case notes each with their "note added" events, and tasks: the
      open deadline of the current step, the next review, one to three actions from case
      conferences (about a third overdue) and the completed tasks of earlier steps;
    - for every other open case, the open task the pipeline would have made (the deadline
      of the current step, or the next review), assigned to its case manager;
    - case events, by COPY, until cases_caseevent holds 5,000,000 rows: each case opened,
      its status changes up to the current status (closure request and closure for closed
      cases) and notes, risk levels, assessments, plans, referrals, conferences and
      attachments spread between the case's opening and today (or its closure);
    - the shipped assessment templates (assessments.loader.assessments_load) and one draft
      assessment, started through assessments.actions.assessment_start.
(b) time: through django.test.Client as cm.200 (force_login, a confirmed TOTP device and an
    OTP-verified session, REQUIRE_SECOND_FACTOR on), GET each page 3 times to warm up, then
    30 times, the pages in turn a round at a time (so that other work on the machine weighs
    on all of them alike); the time is taken around ``client.get`` (server time). Pages: My
    work, the case list (/children/) of the worker, the case page (the case with the most
    events, and a median one) and the edit page of the draft assessment. Prints p50/p95/max,
    the median CPU time of the Django process and the SQL statements of one request; writes
    bench/results-casework-<date>.json.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from bench.common import database_name, prepare_environment

BENCH_DIR = Path(__file__).resolve().parent
USERNAME = "cm.200"
CASELOAD = 200
TOTAL_EVENTS = 5_000_000
SEED = 20261205
# The pipeline in order (cases.pipeline): a case at step k has passed steps 1..k-1.
PIPELINE = (
    "registered",
    "initial_assessment",
    "comprehensive_assessment",
    "case_planning",
    "implementation",
    "review",
)
OPEN_STATUSES = PIPELINE
DEADLINE_STEPS = {"initial_assessment", "comprehensive_assessment", "case_planning"}
REVIEW_STEPS = {"implementation", "review"}
STEP_LABELS = {
    "initial_assessment": "Initial assessment",
    "comprehensive_assessment": "Comprehensive assessment",
    "case_planning": "Case planning",
}
# Events beside the status changes, with how often each happens.
EXTRA_EVENTS = (
    ("note_added", 40),
    ("risk_set", 8),
    ("assessment_submitted", 8),
    ("assessment_approved", 6),
    ("plan_submitted", 5),
    ("plan_approved", 4),
    ("plan_reviewed", 6),
    ("referral_sent", 6),
    ("referral_answered", 5),
    ("conference_held", 3),
    ("attachment_added", 6),
)
NOTE_KINDS = ("visit", "call", "meeting", "other")
NOTE_TEXTS = (
    "Home visit. The child was at home with the mother; the flat is warm and clean, food in "
    "the fridge. The child goes to school every day; the class teacher confirms it.",
    "Phone call with the school's psychologist: the child's behaviour in class has improved "
    "since the last meeting; the family keeps the agreed appointments.",
    "Meeting with the grandmother, who offers to look after the child on weekdays. Agreed to "
    "visit her home before the next review.",
    "The father did not come to the agreed meeting and did not answer the phone. A letter "
    "was sent; a joint visit with the police inspector is planned.",
    "Visit with the district paediatrician: vaccinations up to date, weight within the norm. "
    "The mother asks for help with the application for the child benefit.",
)
ACTION_TITLES = (
    "Visit the family with the school's psychologist",
    "Ask the polyclinic for the child's medical record",
    "Prepare the documents for the child benefit",
    "Call the grandmother about weekday care",
    "Check school attendance with the class teacher",
)
RISK_LEVELS = ("low", "medium", "high")


# --- helpers ---------------------------------------------------------------------------------


class Weighted:
    def __init__(self, pairs: tuple[tuple[str, float], ...], rng: random.Random):
        self.items = [p[0] for p in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _item, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total
        self.rng = rng

    def __call__(self) -> str:
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


def stamp(ts: float) -> str:
    """A COPY timestamptz literal in UTC (cheaper than datetime.isoformat a million times)."""
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(ts))


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def copy_into(
    cursor: psycopg.Cursor[Any], table: str, columns: tuple[str, ...], lines: Iterator[str]
) -> int:
    """COPY the lines into the table (ids from its identity column); returns the row count."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    batch: list[str] = []
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        for line in lines:
            batch.append(line)
            count += 1
            if len(batch) >= 20_000:
                copy.write("".join(batch))
                batch.clear()
        if batch:
            copy.write("".join(batch))
    return count


@dataclass
class CaseRow:
    id: int
    status: str
    opened_ts: float
    closed_ts: float | None
    manager_id: int | None
    risk_level: str


def read_cases(conn: psycopg.Connection[Any], where: str = "", params: Any = ()) -> list[CaseRow]:
    rows: list[CaseRow] = []
    with conn.cursor(name="cases") as cursor:
        cursor.itersize = 50_000
        cursor.execute(
            f"""
            SELECT id, status, extract(epoch FROM created_at)::float8,
                   extract(epoch FROM closed_on::timestamptz + interval '12 hours')::float8,
                   case_manager_id, risk_level
            FROM cases_case {where} ORDER BY id
            """,
            params,
        )
        for row in cursor:
            rows.append(CaseRow(*row))
    return rows


EVENT_COLUMNS = ("case_id", "type", "occurred_at", "actor_id", "data")
TASK_COLUMNS = (
    "uuid", "created_at", "updated_at", "version", "kind", "title", "due_at", "source",
    "completed_at", "assigned_to_id", "case_id", "completed_by_id",
)  # fmt: skip
NOTE_COLUMNS = (
    "uuid", "created_at", "updated_at", "version", "kind", "happened_on", "participants",
    "text", "author_id", "case_id",
)  # fmt: skip
NULL = "\\N"


def closed_steps(case: CaseRow) -> int:
    """How far along the pipeline a closed case went before its closure."""
    return case.id % len(PIPELINE)


class Chronology:
    """Events of one case: opened, the status changes, then extras between them."""

    def __init__(self, rng: random.Random, now_ts: float):
        self.rng = rng
        self.now_ts = now_ts
        self.extra = Weighted(EXTRA_EVENTS, rng)

    def base(self, case: CaseRow) -> int:
        """How many events the case has whatever else happened: opened and status changes."""
        if case.status == "closed":
            return 1 + closed_steps(case) + 2  # the closure request and the closure
        return 1 + PIPELINE.index(case.status)

    def data(self, kind: str) -> str:
        rng = self.rng
        if kind == "note_added":
            return json.dumps({"note": new_uuid(rng), "kind": rng.choice(NOTE_KINDS)})
        if kind == "risk_set":
            return json.dumps({"risk_level": rng.choice(RISK_LEVELS)})
        if kind.startswith("assessment"):
            return json.dumps({"assessment": new_uuid(rng)})
        if kind.startswith("plan"):
            return json.dumps({"plan": new_uuid(rng)})
        if kind.startswith("referral"):
            return json.dumps({"referral": new_uuid(rng)})
        if kind == "conference_held":
            return json.dumps({"conference": new_uuid(rng), "agencies": []})
        return json.dumps({"attachment": new_uuid(rng), "name": "scan.pdf"})

    def lines(
        self, case: CaseRow, count: int, notes: list[tuple[float, str, str]] | None = None
    ) -> Iterator[str]:
        """``count`` events (at least the base ones); ``notes`` are (ts, uuid, kind) to cite."""
        rng = self.rng
        start = case.opened_ts
        end = max(start + 60, case.closed_ts or self.now_ts)
        actor = str(case.manager_id) if case.manager_id else NULL
        events: list[tuple[float, str, str]] = [(start, "opened", "{}")]
        if case.status == "closed":
            passed = closed_steps(case)
            span = end - start
            for k in range(1, passed + 1):
                ts = start + span * k / (passed + 3)
                events.append(
                    (ts, "status_changed", json.dumps({"from": PIPELINE[k - 1], "to": PIPELINE[k]}))
                )
            reason = json.dumps({"reason": "Returned to the family"})
            events.append((end - 86400, "closure_requested", reason))
            events.append((end, "closed", json.dumps({"reason": "Returned to the family"})))
        else:
            span = end - start
            steps = PIPELINE.index(case.status)
            for k in range(1, steps + 1):
                ts = start + span * k / (steps + 1)
                events.append(
                    (ts, "status_changed", json.dumps({"from": PIPELINE[k - 1], "to": PIPELINE[k]}))
                )
        for ts, note_uuid, kind in notes or ():
            events.append((ts, "note_added", json.dumps({"note": note_uuid, "kind": kind})))
        while len(events) < count:
            kind = self.extra()
            if notes is not None and kind == "note_added":
                kind = "plan_reviewed"  # this case's notes are real rows, cited above
            events.append((rng.uniform(start, end), kind, self.data(kind)))
        for ts, kind, data in events:
            yield f"{case.id}\t{kind}\t{stamp(ts)}\t{actor}\t{data}\n"


# --- generation steps ------------------------------------------------------------------------


def setup_worker() -> tuple[Any, Any, list[int]]:
    """cm.200, its membership and its 200 open cases; returns (user, agency, case ids)."""
    from django.db import connection, transaction

    from bench.generate import CASELOAD_USER
    from homeward.access.roles import Role
    from homeward.accounts.models import Agency, Membership, User
    from homeward.cases.models import Case

    with connection.cursor() as cursor:
        # The busiest district agency, as generate.py chose it for cm.caseload.
        cursor.execute(
            "SELECT agency_id FROM cases_case GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1"
        )
        agency = Agency.objects.get(pk=cursor.fetchone()[0])  # type: ignore[index]
    district_manager = User.objects.get(username=f"cm.{agency.area.code.lower()}")
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"first_name": USERNAME}
        )
        if created:
            user.set_unusable_password()  # the benchmark logs in with force_login
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, role=Role.CASE_MANAGER)
        mine = Case.objects.filter(case_manager=user)
        have = mine.exclude(status="closed").count()
        if have < CASELOAD:
            with connection.cursor() as cursor:
                # A deterministic spread over the district's open cases (not cm.caseload's).
                cursor.execute(
                    """
                    SELECT id FROM cases_case
                    WHERE agency_id = %s AND case_manager_id = %s AND status <> 'closed'
                    ORDER BY md5(id::text || %s) LIMIT %s
                    """,
                    [agency.pk, district_manager.pk, str(SEED), CASELOAD - have],
                )
                ids = [row[0] for row in cursor.fetchall()]
            Case.objects.filter(pk__in=ids).update(case_manager=user)
        # Open cases past planning have their next review date, as case_move sets it.
        today = dt.date.today()
        for case in mine.filter(status__in=sorted(REVIEW_STEPS), next_review_on__isnull=True):
            offset = random.Random(f"{SEED}:{case.pk}").randint(-20, 80)
            case.next_review_on = today + dt.timedelta(days=offset)
            Case.objects.filter(pk=case.pk).update(next_review_on=case.next_review_on)
    ids = list(mine.exclude(status="closed").order_by("pk").values_list("pk", flat=True))
    print(
        f"  {USERNAME}: {len(ids)} open cases in {agency.code}, taken from "
        f"{district_manager} ({CASELOAD_USER} keeps its own)"
    )
    return user, agency, ids


def worker_casework(url: str, user_id: int) -> None:
    """Notes, events and tasks of cm.200's cases; skipped when the worker has tasks."""
    rng = random.Random(SEED + 1)
    now_ts = time.time()
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT 1 FROM cases_task WHERE assigned_to_id = %s", [user_id]).fetchone():
            print(f"  {USERNAME}: casework already there")
            return
        conn.execute("SET session_replication_role = replica")
        cases = read_cases(conn, "WHERE case_manager_id = %s AND status <> 'closed'", [user_id])
        chronology = Chronology(rng, now_ts)
        note_lines: list[str] = []
        event_lines: list[str] = []
        task_lines: list[str] = []

        def task(
            case: CaseRow, kind: str, title: str, due: float, source: str, done: float | None
        ) -> None:
            created = stamp(min(due, now_ts) - 7 * 86400)
            task_lines.append(
                "\t".join(
                    (
                        new_uuid(rng), created, created, "1", kind, title, stamp(due), source,
                        stamp(done) if done else NULL, str(user_id), str(case.id),
                        str(user_id) if done else NULL,
                    )
                )
                + "\n"
            )  # fmt: skip

        for case in cases:
            start, end = case.opened_ts, now_ts
            notes: list[tuple[float, str, str]] = []
            for _ in range(rng.randint(5, 60)):
                ts = rng.uniform(start, end)
                note_uuid, kind = new_uuid(rng), rng.choice(NOTE_KINDS)
                notes.append((ts, note_uuid, kind))
                happened = time.strftime("%Y-%m-%d", time.gmtime(ts))
                note_lines.append(
                    "\t".join(
                        (
                            note_uuid, stamp(ts), stamp(ts), "1", kind, happened,
                            "mother, class teacher" if kind != "call" else "",
                            rng.choice(NOTE_TEXTS), str(user_id), str(case.id),
                        )
                    )
                    + "\n"
                )  # fmt: skip
            count = max(chronology.base(case) + len(notes), rng.randint(40, 260))
            event_lines.extend(chronology.lines(case, count, notes))
            # Tasks: the earlier steps' deadlines, done; the open ones of today.
            step = PIPELINE.index(case.status)
            for k in range(1, step):
                if PIPELINE[k] in DEADLINE_STEPS:
                    due = start + (end - start) * (k + 0.5) / (step + 1)
                    title = f"Complete the step: {STEP_LABELS[PIPELINE[k]]}"
                    task(case, "deadline", title, due, f"deadline:{PIPELINE[k]}", due - 86400)
            if case.status in DEADLINE_STEPS:
                due = now_ts + rng.uniform(-10, 25) * 86400
                title = f"Complete the step: {STEP_LABELS[case.status]}"
                task(case, "deadline", title, due, f"deadline:{case.status}", None)
            if case.status in REVIEW_STEPS:
                due = now_ts + rng.uniform(-20, 80) * 86400
                day = time.strftime("%Y-%m-%d", time.gmtime(due))
                task(case, "review", "Review the case", due, f"review:{day}", None)
            for _ in range(rng.randint(1, 3)):
                due = now_ts + rng.uniform(-15, 30) * 86400
                title = rng.choice(ACTION_TITLES)
                task(case, "action", title, due, "", None)
            for _ in range(rng.randint(2, 6)):
                due = rng.uniform(start, end)
                title = rng.choice(ACTION_TITLES)
                task(case, "action", title, due, "", due - rng.uniform(0, 5) * 86400)
        with conn.cursor() as cursor:
            notes_n = copy_into(cursor, "cases_casenote", NOTE_COLUMNS, iter(note_lines))
            events_n = copy_into(cursor, "cases_caseevent", EVENT_COLUMNS, iter(event_lines))
            tasks_n = copy_into(cursor, "cases_task", TASK_COLUMNS, iter(task_lines))
        conn.commit()
    print(f"  {USERNAME}: {notes_n:,} notes, {events_n:,} events, {tasks_n:,} tasks")


def national_tasks(url: str, user_id: int) -> None:
    """The open task of every other open case; skipped when there are many open tasks."""
    rng = random.Random(SEED + 2)
    now_ts = time.time()
    with psycopg.connect(url) as conn:
        (existing,) = conn.execute(
            "SELECT count(*) FROM cases_task WHERE assigned_to_id <> %s", [user_id]
        ).fetchone() or (0,)
        if existing >= 100_000:
            print(f"  {existing:,} tasks of other workers already there")
            return
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        cases = read_cases(
            conn,
            "WHERE status = ANY(%s) AND case_manager_id IS NOT NULL AND case_manager_id <> %s",
            [sorted(DEADLINE_STEPS | REVIEW_STEPS), user_id],
        )

        def lines() -> Iterator[str]:
            for case in cases:
                if case.status in DEADLINE_STEPS:
                    kind, title = "deadline", f"Complete the step: {STEP_LABELS[case.status]}"
                    due = now_ts + rng.uniform(-10, 25) * 86400
                    source = f"deadline:{case.status}"
                else:
                    kind, title = "review", "Review the case"
                    due = now_ts + rng.uniform(-20, 80) * 86400
                    source = f"review:{time.strftime('%Y-%m-%d', time.gmtime(due))}"
                created = stamp(max(case.opened_ts, min(due, now_ts) - 30 * 86400))
                yield (
                    f"{new_uuid(rng)}\t{created}\t{created}\t1\t{kind}\t{title}\t{stamp(due)}\t"
                    f"{source}\t{NULL}\t{case.manager_id}\t{case.id}\t{NULL}\n"
                )

        with conn.cursor() as cursor:
            made = copy_into(cursor, "cases_task", TASK_COLUMNS, lines())
        conn.commit()
    print(f"  {made:,} open tasks for the other open cases")


def national_events(url: str, user_id: int) -> None:
    """Case events until the table holds TOTAL_EVENTS; skipped when it already does."""
    rng = random.Random(SEED + 3)
    now_ts = time.time()
    with psycopg.connect(url) as conn:
        (existing,) = conn.execute("SELECT count(*) FROM cases_caseevent").fetchone() or (0,)
        if existing >= TOTAL_EVENTS:
            print(f"  {existing:,} case events already there")
            return
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        cases = read_cases(conn, "WHERE case_manager_id IS DISTINCT FROM %s", [user_id])
        chronology = Chronology(rng, now_ts)
        budget = TOTAL_EVENTS - existing
        counts = [chronology.base(case) for case in cases]
        extra = budget - sum(counts)
        if extra < 0:
            sys.exit(f"bench: {budget:,} events to add are fewer than the cases' base events")
        # Extras fall more on the cases that have been open longer (a longer chronology).
        weights = [max(1.0, now_ts - c.opened_ts) for c in cases]
        for index in rng.choices(range(len(cases)), weights=weights, k=extra):
            counts[index] += 1
        print(f"  {budget:,} events for {len(cases):,} cases")

        def lines() -> Iterator[str]:
            for case, count in zip(cases, counts, strict=True):
                yield from chronology.lines(case, count)

        started = time.perf_counter()
        with conn.cursor() as cursor:
            made = copy_into(cursor, "cases_caseevent", EVENT_COLUMNS, lines())
        conn.commit()
    print(f"  {made:,} case events in {time.perf_counter() - started:.0f} s")


def draft_assessment(user: Any, case_ids: list[int]) -> Any:
    """The shipped templates and one draft (the largest form) on the worker's first case."""
    from homeward.assessments.actions import assessment_start
    from homeward.assessments.loader import assessments_load
    from homeward.assessments.models import Assessment
    from homeward.assessments.selectors import current_templates
    from homeward.cases.models import Case

    loaded, kept = assessments_load()
    print(f"  assessment templates: {loaded} loaded, {kept} already there")
    template = max(current_templates(), key=lambda t: len(json.dumps(t.definition)))
    case = Case.objects.get(pk=case_ids[0])
    draft = Assessment.objects.filter(case=case, template=template, status="draft").first()
    if draft is None:
        draft = assessment_start(actor=user, case=case, template=template)
        print(f"  draft assessment {draft.uuid} ({template.code}) started")
    return draft


def analyze(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("cases_caseevent", "cases_task", "cases_casenote", "cases_case"):
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))


# --- timing ----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    target_ms: float
    params: dict[str, str] | None = None


def signed_in_client(user: Any) -> Any:
    """A client with a session as after the login: password, then a verified TOTP code."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    client = Client(HTTP_HOST=host.lstrip("."))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages(user: Any, draft: Any) -> list[Page]:
    from django.db.models import Count

    from homeward.cases.models import Case

    cases = list(
        Case.objects.filter(case_manager=user)
        .exclude(status="closed")
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .values_list("uuid", "n")
    )
    heaviest, heaviest_n = cases[0]
    median, median_n = cases[len(cases) // 2]
    return [
        Page("my work", "/cases/my-work/", 150.0),
        Page("case list (/children/)", "/children/", 150.0),
        Page("case list, sort -registered", "/children/", 150.0, {"sort": "-registered"}),
        Page(f"case page ({heaviest_n} events)", f"/cases/{heaviest}/", 100.0),
        Page(f"case page ({median_n} events)", f"/cases/{median}/", 100.0),
        Page("assessment form (draft edit)", f"/assessments/{draft.uuid}/edit/", 100.0),
    ]


def time_pages(
    user: Any, draft: Any, repeat: int, warmup: int, show_explain: bool
) -> list[tuple[Page, Any, list[float]]]:
    """Time the pages in turn, a round at a time, so that whatever else runs on the
    machine weighs on every page alike; also the CPU time of this (the Django) process."""
    from bench.run import Series, capture, explain

    client = signed_in_client(user)
    chosen = pages(user, draft)
    results = [(page, Series(page.name, USERNAME), []) for page in chosen]

    def get(page: Page) -> Any:
        response = client.get(page.path, page.params or {})
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {page.path} gave {response.status_code}")
        return response

    for page in chosen:
        for _ in range(warmup):
            get(page)
    for _ in range(repeat):
        for page, series, cpu in results:
            cpu_started = time.process_time()
            started = time.perf_counter()
            get(page)
            series.samples_ms.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    for page, series, _cpu in results:
        series.queries, series.slowest_sql, series.slowest_sql_ms = capture(
            lambda page=page: get(page)
        )
        if show_explain:
            series.explain = explain(series.slowest_sql)
    return results


def report(results: list[tuple[Page, Any, list[float]]]) -> None:
    print()
    header = (
        f"{'page':<36}{'n':>4}{'p50':>8}{'p95':>8}{'max':>8}{'cpu50':>7}{'SQL':>5}{'slowest':>9}"
    )
    print(header + "  target (p95)")
    print("-" * (len(header) + 14))
    for page, series, cpu in results:
        s = series.summary()
        verdict = "ok" if s["p95_ms"] < page.target_ms else "MISSED"
        print(
            f"{page.name[:35]:<36}{s['n']:>4}{s['p50_ms']:>8.1f}{s['p95_ms']:>8.1f}"
            f"{s['max_ms']:>8.1f}{statistics.median(cpu):>7.1f}{series.queries:>5}"
            f"{series.slowest_sql_ms:>9.1f}  <{page.target_ms:.0f} ms {verdict}"
        )
    print("times in ms: server time around client.get; cpu50: median CPU time of the Django")
    print("process (PostgreSQL's own time not included); SQL: statements of one request;")
    print("slowest: the slowest statement of that request")
    for page, series, _cpu in results:
        if series.explain:
            print(f"\n--- {page.name}: slowest SQL ({series.slowest_sql_ms:.1f} ms)")
            print(series.slowest_sql)
            print(series.explain)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["generate", "time"], help="run one part only")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slowest SQL")
    parser.add_argument("--out", type=Path, help="results file")
    args = parser.parse_args(argv)

    url = prepare_environment()
    # Production asks every user for the second factor; the session below carries it.
    os.environ.setdefault("REQUIRE_SECOND_FACTOR", "true")
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        sys.exit("bench: run with DEBUG=false (DEBUG keeps every query in memory).")
    steps: list[tuple[str, Callable[[], Any]]] = []
    started = time.perf_counter()
    user, _agency, case_ids = setup_worker()
    if args.only in (None, "generate"):
        steps = [
            ("casework of the 200-case worker", lambda: worker_casework(url, user.pk)),
            ("open tasks of the other cases", lambda: national_tasks(url, user.pk)),
            ("case events up to 5,000,000", lambda: national_events(url, user.pk)),
            ("vacuum analyze", lambda: analyze(url)),
        ]
        for name, step in steps:
            print(f"… {name}", flush=True)
            step_started = time.perf_counter()
            step()
            print(f"  {name}: {time.perf_counter() - step_started:.1f} s", flush=True)
    draft = draft_assessment(user, case_ids)
    if args.only == "generate":
        return

    from bench.run import machine

    info = machine()
    with psycopg.connect(url) as conn:
        for table in ("cases_caseevent", "cases_task", "cases_casenote"):
            (info["rows"][table],) = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone() or (0,)
    load_at_start = os.getloadavg()
    print(f"database {database_name(url)}: {info['rows']}")
    print(f"{info['cpu']}, {info['cores']} cores; {info['postgresql']}")
    print(f"load average at start: {load_at_start[0]:.1f}")
    results = time_pages(user, draft, args.repeat, args.warmup, args.explain)
    report(results)
    out = args.out or BENCH_DIR / f"results-casework-{dt.date.today().isoformat()}.json"
    payload = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database_name(url),
        "machine": info,
        "user": USERNAME,
        "pages": [
            {
                "path": page.path,
                "params": page.params,
                "target_p95_ms": page.target_ms,
                **asdict(series),
                "samples_ms": [round(x, 2) for x in series.samples_ms],
                "cpu_ms": [round(x, 2) for x in cpu],
                "cpu_p50_ms": round(statistics.median(cpu), 1),
                **series.summary(),
            }
            for page, series, cpu in results
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
        "load_average": {
            "start": [round(x, 2) for x in load_at_start],
            "end": [round(x, 2) for x in os.getloadavg()],
        },
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
