"""The child list as CSV at national scale: a million rows streamed, peak memory and time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        DEBUG=false .venv/bin/python bench/export_bench.py [--user supervisor.national]

``GET /api/v1/exports/children.csv`` through django.test.Client as the national supervisor
(who sees every child), with a bearer token issued for the run and deleted after it: the
production view, ``exports.actions.export_stream`` and ``exports.tables.children_table`` (the
list selector, read in chunks with a server-side cursor), ``exports.writers.csv_chunks``. The
response's streaming content is consumed chunk by chunk and thrown away, as a WSGI server
would send it. Reports rows, bytes, time to the
first chunk, total time, and this process's peak resident set size (VmHWM from
/proc/self/status, i.e. the high-water mark of the whole process including Python and
Django) before the request and at the end, against the 300 MB target.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_name, prepare_environment

TARGET_MB = 300.0


def memory() -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident set size of this process, in MB."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            found[key] = int(value.split()[0]) / 1024
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="supervisor.national")
    parser.add_argument("--query", default="", help="filters, e.g. 'sex=F&age_band=0-2'")
    args = parser.parse_args(argv)

    url = prepare_environment()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from homeward.accounts.models import User
    from homeward.accounts.tokens import token_issue

    user = User.objects.get(username=args.user)
    host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    raw, token = token_issue(user=user)  # the API takes bearer tokens, as a client would use
    client = Client(HTTP_HOST=host.lstrip("."), HTTP_AUTHORIZATION=f"Bearer {raw}")
    path = "/api/v1/exports/children.csv" + (f"?{args.query}" if args.query else "")
    before = memory()
    print(f"database {database_name(url)}; GET {path} as {args.user}")
    print(f"before: RSS {before['VmRSS']:.0f} MB, peak {before['VmHWM']:.0f} MB")
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"export bench: HTTP {response.status_code}: {response.content[:500]!r}")
    first: float | None = None
    size = 0
    lines = 0
    for chunks, chunk in enumerate(response.streaming_content, start=1):
        if first is None:
            first = time.perf_counter() - started
        data = chunk if isinstance(chunk, bytes) else str(chunk).encode()
        size += len(data)
        lines += data.count(b"\n")
        if chunks % 100 == 0:
            now = memory()
            print(
                f"\r  {lines - 1:>10,} rows  {size / 2**20:>7.0f} MB sent  "
                f"RSS {now['VmRSS']:.0f} MB  {time.perf_counter() - started:>6.1f} s",
                end="",
                flush=True,
            )
    response.close()
    token.delete()
    total = time.perf_counter() - started
    after = memory()
    rows = lines - 1  # the header
    print()
    result = {
        "database": database_name(url),
        "rows": rows,
        "megabytes": round(size / 2**20, 1),
        "first_chunk_s": round(first or 0.0, 2),
        "total_s": round(total, 1),
        "rows_per_s": round(rows / total),
        "rss_before_mb": round(before["VmRSS"], 1),
        "peak_rss_mb": round(after["VmHWM"], 1),
        "rss_end_mb": round(after["VmRSS"], 1),
        "target_mb": TARGET_MB,
        "met": after["VmHWM"] < TARGET_MB,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
