"""Benchmarks at national scale: the register's search box and the filtered child list page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        DEBUG=false .venv/bin/python bench/run.py [--explain]

(a) search: ``registry.selectors.child_list(user, ChildFilters(q=...))`` paginated as the view
    does it (count, then the first 25 rows), for names taken from the database and mutated
    (Latin forms, other transliterations, a dropped or swapped letter, word order,
    patronymic), and for case numbers and dates of birth;
(b) the child list page: GET /children/?... through django.test.Client, for filter and sort
    combinations; the time is taken around ``client.get`` (server time: middleware,
    session, queries, template).

Both run as the busiest district's case manager, as cm.caseload (60 cases) when generate.py
made it, and as the national supervisor. Prints tables and writes bench/results-<date>.json.
New migrations are applied to the bench database first, so the code measured is the tree's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_name, prepare_environment

BENCH_DIR = Path(__file__).resolve().parent
PAGE_SIZE = 25
SEARCH_TARGET_MS = 100.0
LIST_TARGET_MS = 50.0


# --- statistics ------------------------------------------------------------------------------


@dataclass
class Series:
    name: str
    user: str
    samples_ms: list[float] = field(default_factory=list)
    queries: int | None = None  # SQL statements of one run
    rows: int | None = None  # the count shown to the user (last run)
    found_on_first_page: int = 0  # search: the child the query was made from is on page 1
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0
    explain: str = ""

    def summary(self) -> dict[str, Any]:
        data = sorted(self.samples_ms)
        return {
            "n": len(data),
            "p50_ms": round(statistics.median(data), 1),
            "p95_ms": round(percentile(data, 95), 1),
            "max_ms": round(data[-1], 1),
            "mean_ms": round(statistics.fmean(data), 1),
        }


def percentile(sorted_data: list[float], pct: float) -> float:
    """Nearest-rank percentile: the value below which pct % of the samples fall."""
    if not sorted_data:
        return float("nan")
    rank = max(1, int(-(-pct * len(sorted_data) // 100)))  # ceil without floats drifting
    return sorted_data[min(rank, len(sorted_data)) - 1]


# --- query making ----------------------------------------------------------------------------

_LATIN_VARIANTS = [
    (re.compile(r"ov\b"), "off"),
    (re.compile(r"ev\b"), "eff"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ia"), "ya"),
    (re.compile(r"iu"), "yu"),
    (re.compile(r"ei"), "ey"),
    (re.compile(r"ii\b"), "iy"),
    (re.compile(r"ts"), "tz"),
    (re.compile(r"ou\b"), "ov"),
    (re.compile(r"sh"), "sch"),
    (re.compile(r"v"), "w"),
]


def other_transliteration(word: str) -> str:
    """The same name as another system (or a German or Polish clerk) would write it."""
    lowered = word.lower()
    for pattern, replacement in _LATIN_VARIANTS:
        changed = pattern.sub(replacement, lowered, count=1)
        if changed != lowered:
            return changed.capitalize()
    return word


def drop_letter(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    index = rng.randint(1, len(word) - 2)  # keep the first letter: people get that right
    return word[:index] + word[index + 1 :]


def swap_letters(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    index = rng.randint(1, len(word) - 3)
    return word[:index] + word[index + 1] + word[index] + word[index + 2 :]


QUERY_KINDS: dict[str, Callable[[dict[str, Any], random.Random], str]] = {
    "cyrillic family+given": lambda r, _: f"{r['family_name']} {r['given_name']}",
    "latin family+given": lambda r, _: f"{r['family_name_latin']} {r['given_name_latin']}",
    "cyrillic family only": lambda r, _: r["family_name"],
    "cyrillic typo (dropped letter)": lambda r, rng: (
        f"{drop_letter(r['family_name'], rng)} {r['given_name']}"
    ),
    "latin typo (swapped letters)": lambda r, rng: (
        f"{swap_letters(r['family_name_latin'], rng)} {r['given_name_latin']}"
    ),
    "other transliteration": lambda r, _: (
        f"{other_transliteration(r['family_name_latin'])} {r['given_name_latin']}"
    ),
    "full name with patronymic": lambda r, _: (
        f"{r['family_name']} {r['given_name']} {r['patronymic']}"
    ),
    "latin given+family (reversed)": lambda r, _: (
        f"{r['given_name_latin']} {r['family_name_latin']}"
    ),
}


# The register's search box also takes identifiers; timed apart from the name queries.
ID_KINDS: dict[str, Callable[[dict[str, Any], random.Random], str]] = {
    "case number": lambda r, _: r["case_number"],
    "case number, running part": lambda r, _: r["case_number"].rsplit("-", 1)[1],
    "date of birth (dd.mm.yyyy)": lambda r, _: r["date_of_birth"].strftime("%d.%m.%Y"),
}


# --- helpers over Django ---------------------------------------------------------------------


def capture(run: Callable[[], Any]) -> tuple[int, str, float]:
    """Run once recording SQL: the number of statements and the slowest one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    if slowest is None:
        return 0, "", 0.0
    return len(captured.captured_queries), slowest["sql"], float(slowest["time"]) * 1000


def explain(statement: str) -> str:
    from django.db import connection

    if not statement.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        return "\n".join(row[0] for row in cursor.fetchall())


def sample_children(
    size: int, seed: int, case_manager_id: int | None = None
) -> list[dict[str, Any]]:
    """Real children to build queries from: across the country, or one manager's cases."""
    from django.db import connection

    where = ""
    params: list[Any] = [seed, size]
    if case_manager_id is not None:
        where = "WHERE c.id IN (SELECT child_id FROM cases_case WHERE case_manager_id = %s)"
        params = [case_manager_id, seed, size]
    with connection.cursor() as cursor:
        # A deterministic pseudo-random order: the same children on every run.
        cursor.execute(
            f"""
            SELECT c.id, c.family_name, c.given_name, c.patronymic, c.family_name_latin,
                   c.given_name_latin, c.case_number, c.date_of_birth
            FROM registry_child c {where}
            ORDER BY md5(c.id::text || %s::text) LIMIT %s
            """,
            params,
        )
        columns = [col.name for col in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# --- the benchmarks --------------------------------------------------------------------------


def bench_search(
    user: Any, label: str, people: list[dict[str, Any]], per_kind: int, seed: int, warmup: int
) -> list[Series]:
    from django.test import RequestFactory

    from homeward.core import paging
    from homeward.registry.selectors import ChildFilters, child_list

    # The first page as the view asks for it: core.paging.paginate with the register's
    # count cap, count then rows.
    first_page = RequestFactory().get("/children/")
    rng = random.Random(seed)
    series: list[Series] = []
    overall = Series("all name queries", label)
    identifiers = Series("all identifier queries", label)

    def run(text: str) -> tuple[int, list[int]]:
        qs = child_list(user, ChildFilters(q=text))
        page = paging.paginate(first_page, qs, PAGE_SIZE, count_cap=paging.COUNT_CAP)
        return page.paginator.count, [child.pk for child in page.object_list]

    for person in people[:warmup]:
        run(person["family_name"])
    kinds = [(kind, make, overall) for kind, make in QUERY_KINDS.items()]
    kinds += [(kind, make, identifiers) for kind, make in ID_KINDS.items()]
    for offset, (kind, make, total) in enumerate(kinds):
        result = Series(kind, label)
        # Each kind gets its own children, so that no query warms the cache for the next.
        # (A small caseload has fewer children than queries: they are reused in turn.)
        start = warmup + offset * per_kind
        chosen = [people[(start + i) % len(people)] for i in range(per_kind)]
        for person in chosen:
            text = make(person, rng)
            started = time.perf_counter()
            count, page = run(text)
            elapsed = (time.perf_counter() - started) * 1000
            result.samples_ms.append(elapsed)
            total.samples_ms.append(elapsed)
            result.found_on_first_page += person["id"] in page
            total.found_on_first_page += person["id"] in page
            if elapsed > result.slowest_sql_ms:
                result.rows = count
                result.queries, result.slowest_sql, _ms = capture(functools.partial(run, text))
                result.slowest_sql_ms = elapsed
        series.append(result)
    return [overall, identifiers, *series]


@dataclass
class ListCase:
    name: str
    params: dict[str, str]


def list_cases(district: str, region: str, common_name: str) -> list[ListCase]:
    # The area filter offers regions and districts (geo.selectors.area_choices).
    area = {"sex": "F", "age_band": "7-13", "location": district}
    return [
        ListCase("no filters (sort name)", {}),
        ListCase("sex+age+district", area),
        ListCase("sex+age+district sort=-born", {**area, "sort": "-born"}),
        ListCase("sex+age+district sort=case", {**area, "sort": "case"}),
        ListCase("sex+age+district sort=-registered", {**area, "sort": "-registered"}),
        ListCase("district", {"location": district}),
        ListCase("district sort=-name", {"location": district, "sort": "-name"}),
        ListCase("region", {"location": region}),
        ListCase("region+disability", {"location": region, "disability": "yes"}),
        ListCase("legal status+age 14-17", {"legal_status": "orphan", "age_band": "14-17"}),
        ListCase("sex+age 0-2 sort=born", {"sex": "M", "age_band": "0-2", "sort": "born"}),
        ListCase("no filters page 40", {"page": "40"}),
        ListCase("name search q=", {"q": common_name}),
        ListCase("name search q= + district", {"q": common_name, "location": district}),
    ]


# "1,234 children", or "More than 1000 children" when the list stops counting at its cap.
COUNT_RE = re.compile(r'class="text-muted small">\s*(?:More than\s+)?([\d\s,.\u00a0\u202f]+)\s')


def bench_list(
    user: Any, label: str, cases: list[ListCase], repeat: int, warmup: int
) -> list[Series]:
    from django.conf import settings
    from django.test import Client

    host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    host = host.lstrip(".")
    client = Client(HTTP_HOST=host)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results: list[Series] = []
    for case in cases:
        result = Series(case.name, label)

        def get(params: dict[str, str] = case.params) -> Any:
            response = client.get("/children/", params)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET /children/ {params} gave {response.status_code}")
            return response

        for _ in range(warmup):
            get()
        response = None
        for _ in range(repeat):
            started = time.perf_counter()
            response = get()
            result.samples_ms.append((time.perf_counter() - started) * 1000)
        if response is not None:
            match = COUNT_RE.search(response.content.decode())
            if match:
                result.rows = int(re.sub(r"\D", "", match.group(1)))
        result.queries, result.slowest_sql, result.slowest_sql_ms = capture(get)
        results.append(result)
    return results


# --- report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from django.db import connection

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory_gb = round(total_kb / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        settings_pg = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            settings_pg[name] = cursor.fetchone()[0]
        counts = {}
        for table in ("registry_child", "registry_household", "registry_person", "cases_case"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "postgresql": version,
        "postgresql_settings": settings_pg,
        "rows": counts,
    }


def python_speed_ms() -> float:
    """The best of five timings of a fixed pure-Python loop: the machine's speed while it
    runs. A shared virtual machine's speed drifts (the same loop 300 ms at one hour, 500 at
    another), and every figure here moves with it; printed beside them so that runs can be
    compared."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        best = min(best, (time.perf_counter() - started) * 1000)
    return round(best, 1)


def print_table(title: str, series: list[Series], target_ms: float, found: bool) -> None:
    print()
    print(title)
    header = f"{'case':<36}{'user':<22}{'n':>4}{'p50':>8}{'p95':>8}{'max':>8}{'SQL':>5}"
    header += f"{'rows':>10}" + (f"{'hit%':>6}" if found else "") + "  p95 target"
    print(header)
    print("-" * len(header))
    for item in series:
        s = item.summary()
        verdict = "ok" if s["p95_ms"] < target_ms else "MISSED"
        rows = "" if item.rows is None else f"{item.rows:,}"
        queries = "" if item.queries is None else str(item.queries)
        line = (
            f"{item.name[:35]:<36}{item.user[:21]:<22}{s['n']:>4}{s['p50_ms']:>8.1f}"
            f"{s['p95_ms']:>8.1f}{s['max_ms']:>8.1f}{queries:>5}{rows:>10}"
        )
        if found:
            line += f"{100 * item.found_on_first_page / max(1, s['n']):>6.0f}"
        print(f"{line}  {verdict}")
    if found:
        print("rows: matches of the slowest query; hit%: the child the query was made from is")
        print("on the first page (a quality check, not a target)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=30, help="search queries per kind (x8)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per list case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["search", "list"], help="run one part only")
    parser.add_argument("--district", help="the case manager's district (default: largest)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slowest SQL")
    parser.add_argument("--out", type=Path, help="results file (default bench/results-<date>)")
    parser.add_argument("--label", default="", help="a note stored with the results")
    args = parser.parse_args(argv)

    url = prepare_environment()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    import homeward.wsgi  # noqa: F401  (started as the server starts: start-up objects frozen)
    from homeward.accounts.models import User
    from homeward.geo.models import Location

    if settings.DEBUG:
        sys.exit("bench: run with DEBUG=false (DEBUG keeps every query in memory).")
    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    if pending:
        # The tree moves on while the data stays: bring the schema up to date first.
        print(f"applying {len(pending)} new migration(s) to the bench database")
        call_command("migrate", interactive=False, verbosity=0)
    supervisor = User.objects.get(username="supervisor.national")
    caseload = User.objects.filter(username="cm.caseload").first()
    with connection.cursor() as cursor:
        if args.district:
            district_code = args.district
        else:
            # The busiest district agency (where generate.py put cm.caseload): the worst
            # case for its district case manager.
            cursor.execute(
                """
                SELECT a.code FROM cases_case k JOIN accounts_agency a ON a.id = k.agency_id
                GROUP BY a.code ORDER BY count(*) DESC LIMIT 1
                """
            )
            district_code = cursor.fetchone()[0].removesuffix("-SEC")
    manager = User.objects.get(username=f"cm.{district_code.lower()}")
    district = Location.objects.get(code=district_code)
    region = district.parent
    if region is None:
        sys.exit(f"bench: {district_code} is not a district")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name FROM registry_child GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        common_name = cursor.fetchone()[0]

    users = [(f"cm {district_code}", manager)]
    if caseload is not None:
        users.append(("cm caseload 60", caseload))
    users.append(("national supervisor", supervisor))
    info = machine()
    load_at_start = os.getloadavg()
    if load_at_start[0] > 1.0:
        # Two cores: anything else running shows up directly in the figures.
        print(f"warning: load average {load_at_start[0]:.1f} at start; figures will be noisy")
    speed_at_start = python_speed_ms()
    print(f"database {database_name(url)}: {info['rows']['registry_child']:,} children")
    print(f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; {info['postgresql']}")
    print(f"speed: a 1,000,000-step Python loop takes {speed_at_start} ms")
    search_series: list[Series] = []
    list_series: list[Series] = []
    started = time.perf_counter()
    if args.only in (None, "search"):
        needed = args.per_kind * (len(QUERY_KINDS) + len(ID_KINDS)) + args.warmup
        for label, user in users:
            # Case managers search among their own cases; the supervisor nationwide.
            own = user.pk if user is not supervisor else None
            people = sample_children(needed, args.seed, own)
            search_series += bench_search(
                user, label, people, args.per_kind, args.seed, args.warmup
            )
        print_table(
            "(a) search box: child_list(q=...), count + first page",
            search_series,
            SEARCH_TARGET_MS,
            found=True,
        )
    if args.only in (None, "list"):
        cases = list_cases(district.code, region.code, common_name)
        for label, user in users:
            list_series += bench_list(user, label, cases, args.repeat, args.warmup)
        print_table("(b) GET /children/ server time", list_series, LIST_TARGET_MS, found=False)
    if args.explain:
        for item in [*search_series, *list_series]:
            if item.slowest_sql and item.summary()["p95_ms"] >= min(
                SEARCH_TARGET_MS, LIST_TARGET_MS
            ):
                item.explain = explain(item.slowest_sql)
                print(f"\n--- {item.name} / {item.user}: slowest SQL, EXPLAIN ANALYZE")
                print(item.explain)

    today = dt.date.today().isoformat()
    out = args.out or BENCH_DIR / f"results-{today}.json"
    payload = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "database": database_name(url),
        "machine": info,
        "arguments": {k: str(v) for k, v in vars(args).items()},
        "district": district_code,
        "targets_ms": {"search_p95": SEARCH_TARGET_MS, "list_p95": LIST_TARGET_MS},
        "search": [
            {**asdict(s), "samples_ms": [round(x, 2) for x in s.samples_ms], **s.summary()}
            for s in search_series
        ],
        "list": [
            {**asdict(s), "samples_ms": [round(x, 2) for x in s.samples_ms], **s.summary()}
            for s in list_series
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
        "python_loop_ms": {"start": speed_at_start, "end": python_speed_ms()},
        "load_average": {
            "start": [round(x, 2) for x in load_at_start],
            "end": [round(x, 2) for x in os.getloadavg()],
        },
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    loop = payload["python_loop_ms"]
    print(f"\nspeed: the Python loop took {loop['start']} ms, then {loop['end']} ms")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
