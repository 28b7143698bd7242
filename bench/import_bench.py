"""The census import at scale: a 100,000-row CSV checked (dry run) and imported, timed.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--keep]

The database is IMPORT_BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/homeward_import_bench): a fresh database, dropped and
created on every run, migrated, with the location tree, a national agency over Belarus with a
supervisor (who may import for it), and a children's home per district for the institution
rows. The register benchmark's database is left alone (an import adds children to it).

The file has the columns of docs/import.md: about 59,000 children with 1–3 consecutive
placements each (Cyrillic names from bench/namedata.py, dates over ten years, the last
placement open for about half of them), one row per placement. It is written to a temporary
directory and goes through the production code as the worker runs it:

1. upload: ``imports.actions.import_job_create(dry_run=True)`` (format sniffing, line count,
   hash, the file stored);
2. dry run: ``imports.actions.import_job_run`` (every row checked, then planned against the
   records) — the report must be free of errors;
3. import: ``import_job_commit`` then ``import_job_run`` (checked again with the rows locked,
   then everything written in one transaction).

Each step is timed; the target is the import (2 + 3, or 3 alone) under 60 s. Counts of rows
written are read back from the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import namedata
from bench.common import create_database, database_name

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_import_bench"
COLUMNS = (
    "external_id", "family_name", "given_name", "patronymic", "sex", "date_of_birth",
    "disability", "legal_status", "region_code", "district_code", "care_type",
    "placement_start", "placement_end", "exit_destination", "institution_code",
)  # fmt: skip
CARE_TYPES = (
    ("institution", 38), ("small_group_home", 8), ("kinship", 20), ("guardianship", 9),
    ("foster", 12), ("foster_professional", 5), ("family_type_home", 7),
)  # fmt: skip
LEGAL = ("", "orphan", "parental_rights_deprived", "parental_rights_restricted",
         "temporary_placement_by_parents", "unknown")  # fmt: skip
EXITS = ("reunified", "adopted", "other")
TARGET_S = 60.0
SEED = 20261205


def setup() -> str:
    url = os.environ.get("IMPORT_BENCH_DATABASE_URL", DEFAULT_URL)
    if "import_bench" not in database_name(url):
        sys.exit("import bench: the database name must contain 'import_bench'.")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HOMEWARD_ENV", "demo")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    create_database(url, drop_first=True)
    return url


def reference_data() -> tuple[object, object, list[tuple[str, str, str]]]:
    """A national agency over Belarus with a supervisor; children's homes; the districts."""
    from homeward.access.roles import Role
    from homeward.accounts.models import Agency, AgencyKind, Membership, User
    from homeward.geo.models import Level, Location
    from homeward.institutions.models import Institution, InstitutionKind

    country = Location.objects.get(code="BY")
    agency = Agency.objects.create(
        code="BY-NAT", name="Национальный центр", name_latin="National centre",
        kind=AgencyKind.MINISTRY, area=country, path="BY-NAT",
    )  # fmt: skip
    user = User.objects.create(username="importer", first_name="Importer")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, agency=agency, role=Role.SUPERVISOR)
    districts = []
    for district in Location.objects.filter(level=Level.DISTRICT, path__startswith="BY/"):
        region = district.parent
        if region is None:
            continue
        code = f"{district.code}-CH"
        Institution.objects.create(
            code=code, name=f"Детский дом {district.code}", kind=InstitutionKind.CHILDRENS_HOME,
            agency=agency, location=district, capacity=120,
        )  # fmt: skip
        districts.append((region.code, district.code, code))
    return user, agency, districts


def census_csv(path: Path, rows: int, districts: list[tuple[str, str, str]]) -> tuple[int, int]:
    """Write the file; return (rows, children)."""
    rng = random.Random(SEED)
    today = dt.date.today().toordinal()
    care_types = [c for c, _ in CARE_TYPES]
    weights = [w for _, w in CARE_TYPES]
    written = children = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(COLUMNS) + "\n")
        while written < rows:
            children += 1
            male = rng.random() < 0.5
            family = rng.choice(namedata.RU_FAMILY)
            _father, son, daughter = rng.choice(namedata.RU_PATRONYMICS)
            if male:
                given, patronymic = rng.choice(namedata.RU_MALE), son
            else:
                family = namedata.feminine_family(family, "ru")
                given, patronymic = rng.choice(namedata.RU_FEMALE), daughter
            born = rng.randint(today - 18 * 365 + 30, today - 200)
            region, district, home = rng.choice(districts)
            child = [
                f"BY-C-{children:07d}", family, given, patronymic, "M" if male else "F",
                dt.date.fromordinal(born).isoformat(), "yes" if rng.random() < 0.08 else "no",
                rng.choice(LEGAL), region, district,
            ]  # fmt: skip
            count = min(rng.choice((1, 1, 2, 2, 2, 3)), rows - written)
            start = rng.randint(max(born, today - 10 * 365), today - 30 * count)
            for index in range(count):
                care = rng.choices(care_types, weights)[0]
                last = index == count - 1
                room = (today - start) // (count - index) if not last else today - start
                length = rng.randint(min(30, room), max(30, room))
                end: int | None = start + length
                if (last and rng.random() < 0.5) or end is None or end >= today:
                    end, exit_destination = None, ""
                else:
                    exit_destination = rng.choice(EXITS) if last else "other_formal_care"
                out.write(
                    ",".join(
                        [
                            *child, care, dt.date.fromordinal(start).isoformat(),
                            dt.date.fromordinal(end).isoformat() if end else "",
                            exit_destination, home if care == "institution" else "",
                        ]
                    )
                    + "\n"
                )  # fmt: skip
                written += 1
                if end is None:
                    break
                start = end + rng.randint(0, 1)
    return written, children


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the CSV (path printed)")
    args = parser.parse_args(argv)
    url = setup()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from homeward.care.models import Placement
    from homeward.imports.actions import import_job_commit, import_job_create, import_job_run
    from homeward.imports.models import ImportJob
    from homeward.registry.models import Child

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("geo_load", verbosity=0)
    user, agency, districts = reference_data()
    print(f"database {database_name(url)}: fresh, migrated ({time.perf_counter() - started:.0f} s)")
    folder = Path(tempfile.mkdtemp(prefix="census-"))
    path = folder / "census.csv"
    rows, children = census_csv(path, args.rows, districts)
    size = path.stat().st_size
    print(f"{path}: {rows:,} rows, {children:,} children, {size / 2**20:.1f} MB")

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    upload = SimpleUploadedFile("census.csv", path.read_bytes(), content_type="text/csv")
    job = import_job_create(actor=user, upload=upload, agency=agency, dry_run=True)  # type: ignore[arg-type]
    timings["upload (create job)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    import_job_run(job_uuid=str(job.uuid))
    timings["dry run (check + plan)"] = time.perf_counter() - t0
    job = ImportJob.objects.get(pk=job.pk)
    report = job.report or {}
    counts = {k: v for k, v in report.items() if k not in {"errors", "warnings"}}
    print(f"dry run: {job.status}; {counts}")
    if job.status != "valid":
        print(json.dumps(report.get("errors", [])[:10], indent=1, default=str, ensure_ascii=False))
        sys.exit("import bench: the dry run found errors")
    t0 = time.perf_counter()
    import_job_commit(actor=user, job=job)  # type: ignore[arg-type]
    import_job_run(job_uuid=str(job.uuid))
    timings["import (check again + write)"] = time.perf_counter() - t0
    job = ImportJob.objects.get(pk=job.pk)
    if job.status != "done":
        sys.exit(f"import bench: the import ended {job.status}: {job.report}")
    timings["dry run + import"] = (
        timings["dry run (check + plan)"] + timings["import (check again + write)"]
    )
    result = {
        "database": database_name(url),
        "rows": rows,
        "children_in_file": children,
        "megabytes": round(size / 2**20, 1),
        "report": {k: v for k, v in (job.report or {}).items() if k not in {"errors", "warnings"}},
        "children_registered": Child.objects.count(),
        "placements_recorded": Placement.objects.count(),
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "target_s": TARGET_S,
    }
    print(json.dumps(result, indent=1))
    if args.keep:
        print(f"kept {path}")
    else:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
