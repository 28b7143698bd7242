"""Markdown tables from bench/run.py results, for docs/performance.md.

    .venv/bin/python bench/report.py bench/results-<date>-baseline.json \\
        [bench/results-<date>-after.json]

With two files, each row shows the first (before) and the second (after) side by side.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def keyed(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["user"], row["name"]): row for row in rows}


def fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(section: str, before: dict[str, Any], after: dict[str, Any] | None, target: float) -> str:
    rows = before[section]
    later = keyed(after[section]) if after else {}
    search = section == "search"
    header = ["user", "case", "n", "p50 ms", "p95 ms", "max ms"]
    if search:
        header.append("hit %")
    if after:
        header += ["→ p50 ms", "→ p95 ms", "→ max ms"]
        if search:
            header.append("→ hit %")
    header.append(f"p95 < {target:.0f} ms")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["user"], row["name"], str(row["n"])]
        cells += [fmt(row["p50_ms"]), fmt(row["p95_ms"]), fmt(row["max_ms"])]
        if search:
            cells.append(f"{100 * row['found_on_first_page'] / max(1, row['n']):.0f}")
        final = row
        if after:
            other = later.get((row["user"], row["name"]))
            if other is None:
                cells += ["–"] * (4 if search else 3)
            else:
                final = other
                cells += [fmt(other["p50_ms"]), fmt(other["p95_ms"]), fmt(other["max_ms"])]
                if search:
                    found = 100 * other["found_on_first_page"] / max(1, other["n"])
                    cells.append(f"{found:.0f}")
        cells.append("yes" if final["p95_ms"] < target else "**no**")
        if row["name"].startswith("all "):
            cells = [f"**{c}**" if i < 2 else c for i, c in enumerate(cells)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?")
    args = parser.parse_args()
    before = load(args.before)
    after = load(args.after) if args.after else None
    targets = before["targets_ms"]
    print("### Search\n")
    print(table("search", before, after, targets["search_p95"]))
    print("\n### List page\n")
    print(table("list", before, after, targets["list_p95"]))


if __name__ == "__main__":
    main()
