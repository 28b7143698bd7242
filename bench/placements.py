"""Add formal-care histories to the national-scale bench database (after bench/generate.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        .venv/bin/python bench/placements.py --placements 3000000

Adds, with COPY and a fixed seed, what the indicators read (homeward/indicators/engine.py):

- institutions: per region an infant home, a boarding school and a home for children with
  disabilities (in its first district), per district a children's home and a small group home;
- placements, about ``--placements`` of them, spread over the register's children: each
  placed child has 1–3 episodes of 1–5 placements over the last ten years (never before
  birth), consecutive placements of an episode start on the day the previous one ended or the
  day after, episodes are separated by gaps of months to years, the last placement of an
  episode ends with an exit destination (`reunified`, `adopted`, `other`, `death`) and the
  inner ones with `other_formal_care`, and a placement still running today is open. Entries are
  residential in about half the cases (Belarus-like: large institutions first, then kinship
  and guardianship, foster and family-type homes); later placements lean to family-based care.
  Residential placements name an institution (infant home under 4, boarding school, disability
  home, children's home; small group homes for `small_group_home`). Placements are in the
  child's home district mostly, sometimes elsewhere in the region;
- gatekeeping decisions: most entries and many moves of the last five years have one (dated a
  few days to weeks before the start; emergency placements are decided a few days after), far
  fewer before; a few children without placements have a "support the family" decision;
- placement reviews every ~91 days (some late), the last six months of each placement, since
  the system went live three years ago;
- approved care plans for most children in care today (a few overdue for review);
- population (children aged 0–17) by country, region and district for 2015–2027, about three
  times the register's children in each district;
- then the indicators' episode facts of every placement (``indicators.facts.rebuild``, what
  ``manage.py indicators_facts`` runs).

Refuses to run when placements exist, unless ``--reset``, which first deletes what an earlier
run wrote (all placement facts, placements, reviews, gatekeeping decisions and population rows;
the care plans and institutions it made). Foreign keys are not checked row by row
(session_replication_role = replica): every id is allocated here. Tables are analysed at the end.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from bench.common import database_name, prepare_environment

NULL = "\\N"
TABLES = (
    "institutions_institution",
    "care_gatekeepingdecision",
    "care_placement",
    "care_placementreview",
    "plans_careplan",
    "indicators_population",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "institutions_institution": (
        "id", "uuid", "created_at", "updated_at", "version", "code", "name", "name_latin",
        "kind", "capacity", "is_active", "agency_id", "location_id",
    ),
    "care_gatekeepingdecision": (
        "id", "uuid", "created_at", "updated_at", "version", "decided_on", "outcome",
        "care_type", "necessity", "suitability", "alternatives", "assessment_reference",
        "decision_maker", "legal_basis", "agency_id", "child_id", "recorded_by_id",
    ),
    "care_placement": (
        "id", "uuid", "created_at", "updated_at", "version", "care_type", "provider_name",
        "start", "end", "reason", "exit_destination", "emergency", "warnings",
        "next_review_on", "child_id", "created_by_id", "district_id", "gatekeeping_id",
        "institution_id", "region_id",
    ),
    "care_placementreview": (
        "id", "reviewed_on", "notes", "next_review_on", "placement_id", "reviewed_by_id",
    ),
    "plans_careplan": (
        "id", "uuid", "created_at", "updated_at", "version", "status", "summary", "starts_on",
        "next_review_on", "submitted_at", "decided_at", "decision_comment", "case_id",
        "created_by_id", "decided_by_id", "submitted_by_id",
    ),
    "indicators_population": ("id", "year", "children", "location_id"),
}  # fmt: skip

RESIDENTIAL = ("institution", "small_group_home")
# Entries: residential about half (Belarus), then relatives and guardians, then foster care.
FIRST_CARE = (
    ("institution", 46), ("small_group_home", 9), ("kinship", 18), ("guardianship", 8),
    ("foster", 9), ("foster_professional", 5), ("family_type_home", 6),
    ("independent_living", 1),
)  # fmt: skip
AFTER_RESIDENTIAL = (
    ("institution", 40), ("small_group_home", 15), ("kinship", 10), ("guardianship", 7),
    ("foster", 13), ("foster_professional", 8), ("family_type_home", 7),
    ("independent_living", 1),
)  # fmt: skip
AFTER_FAMILY = (
    ("institution", 28), ("small_group_home", 12), ("kinship", 13), ("guardianship", 9),
    ("foster", 17), ("foster_professional", 10), ("family_type_home", 11),
    ("independent_living", 1),
)  # fmt: skip
# Median length of a stay in days (log-normal around it).
MEDIAN_DAYS = {
    "institution": 480, "small_group_home": 330, "kinship": 380, "guardianship": 360,
    "foster": 230, "foster_professional": 200, "family_type_home": 420,
    "independent_living": 300,
}  # fmt: skip
EPISODES = ((1, 40), (2, 35), (3, 25))
PLACEMENTS_PER_EPISODE = ((1, 18), (2, 22), (3, 22), (4, 20), (5, 18))
EPISODE_EXITS = (("reunified", 55), ("adopted", 14), ("other", 7), ("death", 0.3))
REASONS = (
    "Neglect", "Parental alcohol abuse", "Parents deprived of parental rights",
    "Domestic violence", "Parent in prison", "Orphaned", "Parent's illness",
    "Child's disability: parents could not cope", "Abandonment", "Housing lost",
)  # fmt: skip
HISTORY_YEARS = 10
RECENT_YEARS = 5  # decisions recorded routinely since then
REVIEW_DAYS = 91
REVIEW_WINDOW_DAYS = 200  # reviews are generated for the last ~6 months of each placement
ROLLOUT_YEARS = 3  # ... recorded since the system went live


PLAN_SUMMARY = "Care plan: return home or a family placement"
INSTITUTION_CODES = ("-IH-1", "-BS-1", "-DH-1", "-CH-1", "-SGH-1")
RESET = (
    "DELETE FROM indicators_placementfact",
    "DELETE FROM care_placementreview",
    "DELETE FROM care_placement",
    "DELETE FROM care_gatekeepingdecision",
    f"DELETE FROM plans_careplan WHERE summary = '{PLAN_SUMMARY}'",
    "DELETE FROM institutions_institution WHERE "
    + " OR ".join(f"code LIKE '%%{suffix}'" for suffix in INSTITUTION_CODES),
    "DELETE FROM indicators_population",
)


class Picker:
    def __init__(self, pairs: Sequence[tuple[Any, float]], rng: random.Random):
        self.items = [p[0] for p in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _item, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total
        self.rng = rng

    def __call__(self) -> Any:
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


@contextmanager
def phase(name: str, timings: dict[str, float]) -> Iterator[None]:
    print(f"… {name}", flush=True)
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 1)
    print(f"  {name}: {timings[name]:.1f} s", flush=True)


def iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def stamp(ordinal: int) -> str:
    return f"{iso(ordinal)}T10:00:00+00:00"


@dataclass
class Area:
    district_ids: dict[int, int]  # any location (district or locality) → its district
    region_of: dict[int, int]  # district → region
    districts_in: dict[int, list[int]]  # region → its districts
    region_code: dict[int, str]
    district_code: dict[int, str]


@dataclass
class Homes:
    children_home: dict[int, int] = field(default_factory=dict)  # district → institution
    group_home: dict[int, int] = field(default_factory=dict)  # district → institution
    infant: dict[int, tuple[int, int]] = field(default_factory=dict)  # region → (inst, district)
    boarding: dict[int, tuple[int, int]] = field(default_factory=dict)
    disability: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Counts:
    placements: int = 0
    placed_children: int = 0
    open: int = 0
    decisions: int = 0
    reviews: int = 0
    plans: int = 0
    by_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def read_areas(conn: psycopg.Connection[Any]) -> Area:
    rows = conn.execute("SELECT id, parent_id, level, code FROM geo_location").fetchall()
    level = {r[0]: r[2] for r in rows}
    parent = {r[0]: r[1] for r in rows}
    code = {r[0]: r[3] for r in rows}
    district_ids: dict[int, int] = {}
    region_of: dict[int, int] = {}
    districts_in: dict[int, list[int]] = defaultdict(list)
    for loc_id, lvl in sorted(level.items()):
        if lvl == "district":
            district_ids[loc_id] = loc_id
            region_of[loc_id] = parent[loc_id]
            districts_in[parent[loc_id]].append(loc_id)
        elif lvl == "locality" and level.get(parent[loc_id]) == "district":
            district_ids[loc_id] = parent[loc_id]
    return Area(
        district_ids,
        region_of,
        dict(districts_in),
        {r: code[r] for r in districts_in},
        {d: code[d] for d in region_of},
    )


def make_institutions(
    conn: psycopg.Connection[Any], area: Area, rng: random.Random, next_id: int
) -> tuple[Homes, list[str]]:
    agencies = dict(conn.execute("SELECT code, id FROM accounts_agency").fetchall())
    homes = Homes()
    lines: list[str] = []

    def add(code: str, name: str, kind: str, agency: int, location: int) -> int:
        nonlocal next_id
        next_id += 1
        created = stamp(dt.date(2010, 1, 1).toordinal())
        lines.append(
            "\t".join(
                (
                    str(next_id), str(uuid.UUID(int=rng.getrandbits(128), version=4)), created,
                    created, "1", code, name, name, kind, str(rng.randint(40, 250)), "t",
                    str(agency), str(location),
                )
            )
            + "\n"
        )  # fmt: skip
        return next_id

    for region, districts in sorted(area.districts_in.items()):
        rcode = area.region_code[region]
        agency = agencies.get(f"{rcode}-RA") or agencies["NAT"]
        seat = districts[0]
        homes.infant[region] = (add(f"{rcode}-IH-1", f"Infant home {rcode}", "infant_home",
                                    agency, seat), seat)  # fmt: skip
        homes.boarding[region] = (add(f"{rcode}-BS-1", f"Boarding school {rcode}",
                                      "boarding_school", agency, seat), seat)  # fmt: skip
        homes.disability[region] = (add(f"{rcode}-DH-1", f"Home for children with "
                                        f"disabilities {rcode}", "disability_home", agency,
                                        seat), seat)  # fmt: skip
        for district in districts:
            dcode = area.district_code[district]
            dagency = agencies.get(f"{dcode}-SEC") or agency
            homes.children_home[district] = add(
                f"{dcode}-CH-1", f"Children's home {dcode}", "childrens_home", dagency, district
            )
            homes.group_home[district] = add(
                f"{dcode}-SGH-1",
                f"Small group home {dcode}",
                "small_group_home",
                dagency,
                district,
            )
    return homes, lines


class Histories:
    """Builds COPY lines for one child's care history at a time."""

    def __init__(self, rng: random.Random, area: Area, homes: Homes, today: dt.date, ids: dict):
        self.rng = rng
        self.area = area
        self.homes = homes
        self.today = today.toordinal()
        self.earliest = today.replace(year=today.year - HISTORY_YEARS).toordinal()
        self.recent = today.replace(year=today.year - RECENT_YEARS).toordinal()
        self.rollout = today.replace(year=today.year - ROLLOUT_YEARS).toordinal()
        self.ids = ids
        self.counts = Counts()
        self.first_care = Picker(FIRST_CARE, rng)
        self.after_residential = Picker(AFTER_RESIDENTIAL, rng)
        self.after_family = Picker(AFTER_FAMILY, rng)
        self.episodes = Picker(EPISODES, rng)
        self.per_episode = Picker(PLACEMENTS_PER_EPISODE, rng)
        self.episode_exit = Picker(EPISODE_EXITS, rng)
        self.sigma = 0.85

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return int(self.ids[table])

    def decision(
        self, out: dict[str, list[str]], child: int, agency: int, decided: int, outcome: str,
        care_type: str,
    ) -> int:  # fmt: skip
        gid = self.next_id("care_gatekeepingdecision")
        created = stamp(decided)
        if outcome == "place":
            necessity = "Family support was tried (social worker visits, benefits) and failed."
            suitability = f"{care_type} fits the child's age and needs."
        else:
            necessity = "The family can care for the child with support."
            suitability = "Support at home."
        out["care_gatekeepingdecision"].append(
            "\t".join(
                (
                    str(gid), self.uuid(), created, created, "1", iso(decided), outcome,
                    care_type if outcome == "place" else "", necessity, suitability,
                    "Kinship care; foster family", "Comprehensive assessment",
                    "Commission on minors' affairs", "Code on Marriage and Family",
                    str(agency), str(child), NULL,
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.decisions += 1
        return gid

    def support_decision(self, out: dict[str, list[str]], child: int, agency: int) -> None:
        decided = self.rng.randint(max(self.recent, self.today - 3 * 365), self.today)
        self.decision(out, child, agency, decided, "family_support", "")

    def place_where(self, care_type: str, home_district: int, age: int, disabled: bool) -> tuple:
        """(region, district, institution or None) of a placement."""
        rng = self.rng
        region = self.area.region_of[home_district]
        district = home_district
        if rng.random() < 0.15:
            district = rng.choice(self.area.districts_in[region])
        if care_type == "institution":
            if age < 4:
                inst, district = self.homes.infant[region]
            elif disabled and rng.random() < 0.6:
                inst, district = self.homes.disability[region]
            elif age >= 7 and rng.random() < 0.4:
                inst, district = self.homes.boarding[region]
            else:
                inst = self.homes.children_home[district]
            return region, district, inst
        if care_type == "small_group_home":
            return region, district, self.homes.group_home[district]
        return region, district, None

    def child(
        self, out: dict[str, list[str]], child: int, born: int, disabled: bool, home: int,
        agency: int, case: int,
    ) -> None:  # fmt: skip
        rng = self.rng
        today = self.today
        first = max(born, self.earliest)
        if first >= today:
            return
        # Histories begin early in the window more often than late (older cases recur).
        start = first + int((today - 1 - first) * rng.random() ** 1.5)
        home_district = self.area.district_ids[home]
        episodes = self.episodes()
        current_care: str | None = None
        episode_start = start
        open_placement = False
        self.counts.placed_children += 1
        for episode in range(episodes):
            if episode:
                gap = max(30, int(rng.lognormvariate(math.log(250), 0.8)))
                start = start + gap
                if start >= today:
                    break
            episode_start = start
            count = self.per_episode()
            previous: str | None = None
            for index in range(count):
                age = int((start - born) / 365.25)
                if previous is None:
                    care = self.first_care()
                else:
                    residential = previous in RESIDENTIAL
                    picker = self.after_residential if residential else self.after_family
                    care = picker()
                    while care == previous and rng.random() < 0.5:
                        care = picker()
                if care == "independent_living" and age < 15:
                    care = "foster"
                emergency = previous is None and rng.random() < 0.08
                if emergency:
                    length = rng.randint(3, 60)
                else:
                    length = max(7, int(rng.lognormvariate(math.log(MEDIAN_DAYS[care]), 0.85)))
                end: int | None = start + length
                last = index == count - 1
                if end >= today:  # type: ignore[operator]
                    end, destination = None, ""
                elif last:
                    destination = self.episode_exit()
                else:
                    destination = "other_formal_care"
                region, district, institution = self.place_where(care, home_district, age, disabled)
                # Gatekeeping: routine in recent years, rarer before; emergencies decided after.
                gatekeeping = NULL
                recent = start >= self.recent
                chances = (0.92, 0.35) if previous is None else (0.6, 0.2)
                chance = chances[0] if recent else chances[1]
                if rng.random() < chance:
                    if emergency:
                        decided = min(start + rng.randint(1, 5), today)
                    else:
                        decided = start - min(200, int(rng.lognormvariate(math.log(12), 0.8)))
                    gatekeeping = str(self.decision(out, child, agency, decided, "place", care))
                pid = self.next_id("care_placement")
                warnings = []
                if care in RESIDENTIAL and age < 3:
                    warnings.append('"under_3_residential"')
                if district != home_district:
                    warnings.append('"outside_home_district"')
                if index >= 2:
                    warnings.append('"many_placements"')
                if emergency and gatekeeping == NULL:
                    warnings.append('"gatekeeping_missing"')
                next_review = self.reviews(out, pid, start, end)
                created = stamp(start)
                out["care_placement"].append(
                    "\t".join(
                        (
                            str(pid), self.uuid(), created, created, "1", care, "", iso(start),
                            iso(end) if end is not None else NULL, rng.choice(REASONS),
                            destination, "t" if emergency else "f",
                            "[" + ", ".join(warnings) + "]",
                            iso(next_review) if end is None else NULL, str(child), NULL,
                            str(district), gatekeeping,
                            str(institution) if institution else NULL, str(region),
                        )
                    )
                    + "\n"
                )  # fmt: skip
                self.counts.placements += 1
                self.counts.by_type[care] += 1
                current_care = care
                previous = care
                if end is None:
                    open_placement = True
                    break
                start = end + (0 if rng.random() < 0.6 else 1)
            if open_placement:
                break
            start = end  # type: ignore[assignment]
        if open_placement:
            self.counts.open += 1
            if rng.random() < 0.8:
                self.plan(out, case, episode_start)
        del current_care

    def reviews(self, out: dict[str, list[str]], pid: int, start: int, end: int | None) -> int:
        """Quarterly reviews over the last months of the placement; the next review due."""
        rng = self.rng
        until = end if end is not None else self.today
        due = start + REVIEW_DAYS
        lines = out["care_placementreview"]
        window = max(until - REVIEW_WINDOW_DAYS, self.rollout)
        while True:
            late = rng.randint(20, 90) if rng.random() < 0.12 else rng.randint(-10, 0)
            on = due + late
            if on > until:
                return due
            due = on + REVIEW_DAYS
            if on >= window:
                rid = self.next_id("care_placementreview")
                lines.append(f"{rid}\t{iso(on)}\t\t{iso(due)}\t{pid}\t{NULL}\n")
                self.counts.reviews += 1

    def plan(self, out: dict[str, list[str]], case: int, episode_start: int) -> None:
        rng = self.rng
        starts = min(episode_start + rng.randint(10, 45), self.today)
        decided = min(starts + rng.randint(0, 10), self.today)
        if rng.random() < 0.85:
            next_review = self.today + rng.randint(0, 180)
        else:
            next_review = self.today - rng.randint(1, 150)
        next_review = max(next_review, starts)
        pid = self.next_id("plans_careplan")
        created = stamp(starts)
        out["plans_careplan"].append(
            "\t".join(
                (
                    str(pid), self.uuid(), created, created, "1", "approved",
                    PLAN_SUMMARY, iso(starts),
                    iso(next_review), created, stamp(decided), "", str(case), NULL, NULL, NULL,
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.plans += 1


def copy_statement(table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
    )


def check_columns(conn: psycopg.Connection[Any]) -> None:
    for table, columns in COLUMNS.items():
        rows = conn.execute(
            """
            SELECT column_name, is_nullable = 'NO' AND column_default IS NULL
                   AND is_identity = 'NO'
            FROM information_schema.columns WHERE table_name = %s
            """,
            [table],
        ).fetchall()
        present = {name for name, _required in rows}
        missing = set(columns) - present
        required = {name for name, needed in rows if needed} - set(columns)
        if missing or required:
            sys.exit(
                f"bench: {table} has changed (unknown here: {sorted(missing)}, "
                f"required but not generated: {sorted(required)}); update bench/placements.py."
            )


def population_lines(
    conn: psycopg.Connection[Any], area: Area, first_id: int, rng: random.Random
) -> list[str]:
    """About three times the register's children per district, falling ~1% a year."""
    counted: dict[int, int] = defaultdict(int)
    for location, n in conn.execute(
        "SELECT home_location_id, count(*) FROM registry_child GROUP BY 1"
    ).fetchall():
        if location in area.district_ids:
            counted[area.district_ids[location]] += n
    countries = dict(
        conn.execute(
            "SELECT r.id, r.parent_id FROM geo_location r WHERE r.level = 'region'"
        ).fetchall()
    )
    lines: list[str] = []
    next_id = first_id
    for year in range(2015, 2028):
        factor = 3.0 * (1 + 0.01 * (2026 - year))
        totals: dict[int, int] = defaultdict(int)
        for district, n in sorted(counted.items()):
            people = int(n * factor * rng.uniform(0.97, 1.03))
            region = area.region_of[district]
            totals[district] = people
            totals[region] += people
            totals[countries[region]] += people
        for location, people in sorted(totals.items()):
            next_id += 1
            lines.append(f"{next_id}\t{year}\t{people}\t{location}\n")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="default: today's date"
    )
    parser.add_argument("--reset", action="store_true", help="empty the tables written here")
    parser.add_argument("--chunk", type=int, default=20000, help="children per COPY batch")
    args = parser.parse_args(argv)

    url = prepare_environment()
    today = args.today or dt.date.today()
    timings: dict[str, float] = {}
    total_started = time.perf_counter()
    rng = random.Random(args.seed)
    print(f"database {database_name(url)}: ~{args.placements:,} placements up to {today}")
    with psycopg.connect(url, autocommit=True) as conn:
        check_columns(conn)
        existing = conn.execute("SELECT count(*) FROM care_placement").fetchone()[0]  # type: ignore[index]
        if existing and not args.reset:
            sys.exit(f"bench: {existing:,} placements exist; run with --reset to replace them.")
        if args.reset:
            with phase("empty the tables", timings):
                # Row by row, not TRUNCATE … CASCADE: that would also empty every table that
                # merely references these (memberships reference institutions). Anything else
                # still pointing at these rows stops the reset with PostgreSQL's error.
                for statement in RESET:
                    conn.execute(statement)
        children = conn.execute("SELECT count(*) FROM registry_child").fetchone()[0]  # type: ignore[index]
        if not children:
            sys.exit("bench: no children; run bench/generate.py first.")
        ids = {
            table: conn.execute(
                sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in TABLES
        }
        area = read_areas(conn)
        with phase("institutions and population", timings):
            homes, institution_lines = make_institutions(
                conn, area, rng, ids["institutions_institution"]
            )
            with conn.cursor() as cur:
                with cur.copy(copy_statement("institutions_institution")) as copy:
                    copy.write("".join(institution_lines))
                pop = population_lines(conn, area, ids["indicators_population"], rng)
                with cur.copy(copy_statement("indicators_population")) as copy:
                    copy.write("".join(pop))
            print(f"  {len(institution_lines)} institutions, {len(pop)} population rows")

    histories = Histories(rng, area, homes, today, ids)
    # Children are placed with a probability that is re-estimated as the run goes, so that
    # the total lands near --placements whatever the age mix.
    per_child = 2.9
    with phase("generate and COPY", timings), ExitStack() as stack:
        copies = {}
        for table in ("care_gatekeepingdecision", "care_placement", "care_placementreview",
                      "plans_careplan"):  # fmt: skip
            conn = stack.enter_context(psycopg.connect(url))
            conn.execute("SET session_replication_role = replica")
            conn.execute("SET synchronous_commit = off")
            cursor = stack.enter_context(conn.cursor())
            copies[table] = stack.enter_context(
                cursor.copy(copy_statement(table), writer=QueuedLibpqWriter(cursor))
            )
        reader = stack.enter_context(psycopg.connect(url))
        rows = stack.enter_context(reader.cursor(name="children"))
        rows.itersize = args.chunk
        rows.execute(
            """
            SELECT c.id, c.date_of_birth, c.has_disability, c.home_location_id, c.agency_id,
                   k.id
            FROM registry_child c JOIN cases_case k ON k.child_id = c.id
            ORDER BY c.id
            """
        )
        started = time.perf_counter()
        out: dict[str, list[str]] = {table: [] for table in copies}
        for seen, (child, born, disabled, home, agency, case) in enumerate(rows, start=1):
            remaining = args.placements - histories.counts.placements
            left = children - seen + 1
            if histories.counts.placed_children > 1000:
                per_child = histories.counts.placements / histories.counts.placed_children
            chance = remaining / (left * per_child) if remaining > 0 else 0.0
            if home in area.district_ids and rng.random() < chance:
                histories.child(out, child, born.toordinal(), disabled, home, agency, case)
            elif rng.random() < 0.05:
                histories.support_decision(out, child, agency)
            if seen % args.chunk == 0:
                for table, lines in out.items():
                    copies[table].write("".join(lines))
                    lines.clear()
                elapsed = time.perf_counter() - started
                print(
                    f"\r  {seen:>9,} children  {histories.counts.placements:>10,} placements "
                    f"{seen / elapsed:>8,.0f} children/s",
                    end="",
                    flush=True,
                )
        for table, lines in out.items():
            copies[table].write("".join(lines))
        print(f"\n  generated in {time.perf_counter() - started:.1f} s; waiting for COPY…")

    with psycopg.connect(url, autocommit=True) as conn:
        with phase("sequences", timings):
            for table in TABLES:
                conn.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({t}, 'id'), "
                        "greatest((SELECT max(id) FROM {i}), 1))"
                    ).format(t=sql.Literal(table), i=sql.Identifier(table))
                )
        with phase("vacuum analyze", timings):
            for table in TABLES:
                conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    with phase("episode facts (indicators_facts)", timings):
        import django

        django.setup()
        from homeward.indicators.facts import rebuild

        facts = rebuild()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) indicators_placementfact")
    counts = histories.counts
    total = time.perf_counter() - total_started
    print()
    for name, seconds in timings.items():
        print(f"{name:<36}{seconds:>10.1f}")
    print(f"{'total':<36}{total:>10.1f}")
    print(
        f"rows: {counts.placements:,} placements of {counts.placed_children:,} children "
        f"({counts.open:,} open today), {counts.decisions:,} gatekeeping decisions, "
        f"{counts.reviews:,} reviews, {counts.plans:,} care plans, {facts:,} placement facts"
    )
    share = {k: f"{v / counts.placements:.1%}" for k, v in sorted(counts.by_type.items())}
    print(f"care types: {share}")


if __name__ == "__main__":
    main()
