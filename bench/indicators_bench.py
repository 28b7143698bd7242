"""National indicators at scale: every indicator with each single disaggregation, timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        DEBUG=false .venv/bin/python bench/indicators_bench.py [--runs 5] [--date 2026-12-05]
        [--only FC2,STAB] [--by sex,region] [--explain FC2:sex] [--dashboard 5]

Each measurement is what ``GET /api/v1/indicators/{id}?date=D&by=<dimension>`` does for an
analyst (who sees aggregates only): ``indicators.catalogue.compute(id, D, None, [dimension])``
and then ``indicators.api.present(result, suppress=True)``, nationally (no area), for every
indicator of the catalogue (DOMAIN §9 and operational) and each disaggregation it offers.
One warm-up call per indicator, then ``--runs`` timed calls of each (indicator, dimension)
pair; p50, p95 and max in milliseconds against the 500 ms target. Also the total without a
disaggregation.
``--explain ID:dim`` prints EXPLAIN (ANALYZE, BUFFERS) for each query of one call;
``--dashboard N`` times N loads of each indicator's national dashboard page instead.
Writes bench/results-indicators-<date>.json beside the printed table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_name, prepare_environment

TARGET_MS = 500.0
BENCH_DIR = Path(__file__).resolve().parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def explain(indicator: str, dim: str, day: dt.date) -> None:
    from django.db import connection

    from homeward.indicators.catalogue import compute

    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT") and "pg_type" not in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        compute(indicator, day, None, [dim] if dim else [])
    with connection.cursor() as cursor:
        for statement, params in statements:
            print("=" * 100)
            print(statement, params)
            print("-" * 100)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            for (line,) in cursor.fetchall():
                print(line)


def dashboards(ids: list[str], day: dt.date, runs: int) -> None:
    """GET /indicators/dashboard/ as the national supervisor: headline figures, the 12-month
    series, the breakdown and the comparison of one indicator, server time."""
    from django.conf import settings
    from django.test import Client

    from homeward.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(username="supervisor.national"))
    print(f"national dashboard, D = {day}, {runs} loads after one warm-up")
    print(f"{'indicator':<10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for indicator in ids:
        url = f"/indicators/dashboard/?indicator={indicator}&date={day.isoformat()}"
        if client.get(url).status_code != 200:
            sys.exit(f"bench: {url} did not answer 200")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{indicator:<10}{statistics.median(times):>9.0f}{percentile(times, 0.95):>9.0f}"
            f"{max(times):>9.0f}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--only", default="", help="comma-separated indicator ids")
    parser.add_argument("--by", default="", help="comma-separated dimensions ('-' = none)")
    parser.add_argument("--explain", default="", help="ID:dimension, e.g. FC2:sex")
    parser.add_argument(
        "--dashboard",
        type=int,
        default=0,
        metavar="N",
        help="instead: time N loads of the national dashboard of each indicator",
    )
    args = parser.parse_args(argv)

    url = prepare_environment()
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from homeward.care.models import Placement
    from homeward.indicators.api import present
    from homeward.indicators.catalogue import CATALOGUE, compute, dimensions

    day = args.date or timezone.localdate()
    if args.explain:
        indicator, _, dim = args.explain.partition(":")
        explain(indicator.upper(), dim, day)
        return
    ids = [i.strip().upper() for i in args.only.split(",") if i.strip()] or list(CATALOGUE)
    if args.dashboard:
        dashboards(ids, day, args.dashboard)
        return
    asked = [d.strip() for d in args.by.split(",") if d.strip()]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]  # type: ignore[index]
    placements = Placement.objects.count()
    print(
        f"database {database_name(url)} (PostgreSQL {server}): {placements:,} placements; "
        f"D = {day}; {args.runs} runs per pair after one warm-up per indicator"
    )
    results: list[dict[str, Any]] = []
    header = (
        f"{'indicator':<10}{'by':<13}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  {'rows':>5}  value"
    )
    print(header)
    print("-" * len(header))
    for indicator in ids:
        compute(indicator, day, None, [])  # warm-up: plans, caches
        offered = ["-", *dimensions(indicator)]
        for dim in [d for d in asked if d in offered] if asked else offered:
            by = [] if dim == "-" else [dim]
            times: list[float] = []
            out: dict[str, Any] = {}
            for _ in range(args.runs):
                started = time.perf_counter()
                out = present(compute(indicator, day, None, by), True)
                times.append((time.perf_counter() - started) * 1000)
            row = {
                "indicator": indicator,
                "by": dim,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1),
                "rows": len(out["rows"]),
                "numerator": out["numerator"],
                "denominator": out["denominator"],
                "value": out["value"],
            }
            results.append(row)
            value = out["value"]
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            flag = "" if row["max_ms"] < TARGET_MS else "  > 500 ms"
            print(
                f"{indicator:<10}{dim:<13}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                f"{row['max_ms']:>9.1f}  {row['rows']:>5}  {shown}{flag}",
                flush=True,
            )
    worst = max(results, key=lambda r: r["max_ms"])
    over = [r for r in results if r["max_ms"] >= TARGET_MS]
    print(
        f"\nworst: {worst['indicator']} by {worst['by']}: max {worst['max_ms']} ms; "
        f"{len(over)} of {len(results)} pairs at or over {TARGET_MS:.0f} ms (max)"
    )
    path = BENCH_DIR / f"results-indicators-{dt.date.today().isoformat()}.json"
    path.write_text(
        json.dumps(
            {
                "database": database_name(url),
                "server_version": server,
                "placements": placements,
                "date": day.isoformat(),
                "runs": args.runs,
                "machine": platform.platform(),
                "results": results,
            },
            indent=1,
            default=str,
        )
    )
    print(f"wrote {path.relative_to(BENCH_DIR.parent)}")


if __name__ == "__main__":
    main()
