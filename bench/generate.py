"""Fill a PostgreSQL database with national-scale register data for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench HOMEWARD_ENV=demo \\
        .venv/bin/python bench/generate.py --children 1000000

Creates the database if missing, migrates, loads the location tree, creates one national
agency, one agency per region that has districts, one per district, a case manager per
district agency (holding all its district's cases) and a national supervisor, then streams
children, households, relatives, relationships and cases into PostgreSQL with COPY.
Secondary indexes and unique constraints are dropped for the load and rebuilt after it;
foreign keys are not checked row by row (session_replication_role = replica) because every
id is allocated here. Last, one more case manager (cm.caseload) takes over 60 open cases
in the busiest district: a typical caseload beside the district managers' thousands.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import sys
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from bench import namedata
from bench.common import create_database, database_name, prepare_environment

TABLES = (
    "registry_household",
    "registry_person",
    "registry_child",
    "registry_relationship",
    "cases_case",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "registry_household": (
        "id", "uuid", "created_at", "updated_at", "version", "name", "address", "notes",
        "agency_id", "location_id", "created_by_id",
    ),
    "registry_person": (
        "id", "uuid", "created_at", "updated_at", "version", "family_name", "given_name",
        "patronymic", "family_name_latin", "given_name_latin", "patronymic_latin", "search_key",
        "sex", "agency_id", "date_of_birth", "phone", "notes", "household_id",
        "location_id", "created_by_id",
    ),
    "registry_child": (
        "id", "uuid", "created_at", "updated_at", "version", "family_name", "given_name",
        "patronymic", "family_name_latin", "given_name_latin", "patronymic_latin", "search_key",
        "sex", "agency_id", "case_number", "date_of_birth", "date_of_birth_estimated",
        "has_disability", "disability_domains", "legal_status", "home_location_id",
        "school_name", "school_location_id", "household_id", "created_by_id",
        "scope_case_manager_id", "scope_team_id", "scope_supervisor_id",
    ),
    "registry_relationship": (
        "id", "kind", "lives_with_child", "notes", "child_id", "person_id", "related_child_id",
    ),
    "cases_case": (
        "id", "uuid", "created_at", "updated_at", "version", "status", "risk_level",
        "opened_on", "closed_on", "closure_reason", "agency_id", "case_manager_id", "child_id",
        "supervisor_id", "team_id",
    ),
}  # fmt: skip

NULL = "\\N"
NATIONAL_CODE = "NAT"
# Children per household: 1 to 4, about 2 on average (the issue asks ~1 household per 2).
HOUSEHOLD_SIZES = ((1, 40), (2, 30), (3, 20), (4, 10))
LEGAL_STATUSES = (
    ("unknown", 55),
    ("temporary_placement_by_parents", 10),
    ("parental_rights_restricted", 12),
    ("parental_rights_deprived", 15),
    ("orphan", 8),
)
CASE_STATUSES = (
    ("registered", 10),
    ("initial_assessment", 10),
    ("comprehensive_assessment", 10),
    ("case_planning", 10),
    ("implementation", 25),
    ("review", 10),
    ("closed", 25),
)
RISK_LEVELS = (("", 30), ("low", 35), ("medium", 25), ("high", 10))
CLOSURE_REASONS = (
    "Returned to the family",
    "Placed in a foster family",
    "Adopted",
    "Reached adulthood",
    "Moved out of the district",
)
DOMAINS = (
    "seeing", "hearing", "mobility", "fine_motor", "communication", "learning", "self_care",
    "behaviour", "emotions", "attention",
)  # fmt: skip
REGISTRATION_YEARS = 6  # children were registered over the last six years
SCHOOL_AGE = 6


# --- small helpers --------------------------------------------------------------------------


class Picker:
    """Weighted choice by bisection: much cheaper per call than random.choices."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float], rng: random.Random):
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total
        self.rng = rng

    def __call__(self) -> Any:
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


def zipf(items: Sequence[Any], rng: random.Random, offset: float, power: float = 1.0) -> Picker:
    """Most frequent first, falling like real name frequencies."""
    return Picker(items, [1.0 / (rank + offset) ** power for rank in range(len(items))], rng)


def weighted(pairs: Sequence[tuple[Any, float]], rng: random.Random) -> Picker:
    return Picker([p[0] for p in pairs], [p[1] for p in pairs], rng)


# Every word of the children's and persons' search keys (migration registry 0007).
SEARCH_VOCABULARY = """
INSERT INTO registry_searchword (word)
SELECT w FROM (SELECT unnest(string_to_array(search_key, ' ')) AS w FROM registry_child
               UNION SELECT unnest(string_to_array(search_key, ' ')) FROM registry_person) AS words
WHERE w <> '' ON CONFLICT (word) DO NOTHING
"""


@contextmanager
def phase(name: str, timings: dict[str, float]) -> Iterator[None]:
    print(f"… {name}", flush=True)
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 1)
    print(f"  {name}: {timings[name]:.1f} s", flush=True)


# --- reference data: agencies and users ------------------------------------------------------


@dataclass
class Place:
    location_id: int
    country: str  # "BY" or "BG": drives the language of names and the transliteration
    region_code: str


@dataclass
class District:
    code: str
    agency_id: int
    case_manager_id: int
    places: list[Place]  # the district itself and its localities
    weight: float


def setup_reference_data(rng: random.Random, password: str | None) -> list[District]:
    """Agencies (national > region > district) and users; idempotent."""
    from homeward.access.roles import Role
    from homeward.accounts.models import Agency, AgencyKind, Membership, User
    from homeward.geo.models import Level, Location

    def agency(code: str, name: str, kind: str, area: Location, parent: Agency | None) -> Agency:
        path = f"{parent.path}/{code}" if parent else code
        obj, _ = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_latin": name,
                "kind": kind,
                "area": area,
                "parent": parent,
                "path": path,
            },
        )
        return obj

    def user(username: str, member_of: Agency, role: str) -> User:
        obj, created = User.objects.get_or_create(
            username=username, defaults={"first_name": username}
        )
        if created:
            if password:
                obj.set_password(password)
            else:
                obj.set_unusable_password()  # the benchmarks use force_login
            obj.save()
        Membership.objects.get_or_create(user=obj, agency=member_of, role=role)
        return obj

    # One national root for both countries: the national supervisor sees everything.
    national = agency(
        NATIONAL_CODE,
        "National child protection agency (bench)",
        AgencyKind.MINISTRY,
        Location.objects.get(code="BY"),
        None,
    )
    user("supervisor.national", national, Role.SUPERVISOR)
    districts: list[District] = []
    locations = list(Location.objects.order_by("path"))
    by_parent: dict[int | None, list[Location]] = {}
    for location in locations:
        by_parent.setdefault(location.parent_id, []).append(location)
    regions: dict[int, Agency] = {}
    for location in locations:
        if location.level != Level.DISTRICT:
            continue
        region = next(loc for loc in locations if loc.pk == location.parent_id)
        if region.pk not in regions:
            regions[region.pk] = agency(
                f"{region.code}-RA",
                f"{region.name_local}: управление",
                AgencyKind.REGIONAL_BODY,
                region,
                national,
            )
        district_agency = agency(
            f"{location.code}-SEC",
            f"СПЦ: {location.name_local}",
            AgencyKind.SOCIAL_EDUCATIONAL_CENTRE,
            location,
            regions[region.pk],
        )
        manager = user(f"cm.{location.code.lower()}", district_agency, Role.CASE_MANAGER)
        country = location.country_code
        places = [Place(location.pk, country, region.code)]
        places += [Place(loc.pk, country, region.code) for loc in by_parent.get(location.pk, [])]
        districts.append(
            District(
                code=location.code,
                agency_id=district_agency.pk,
                case_manager_id=manager.pk,
                places=places,
                # Districts differ in size: a town district holds several rural ones.
                weight=rng.lognormvariate(0.0, 0.6),
            )
        )
    return districts


# --- row generation --------------------------------------------------------------------------


@dataclass
class Language:
    code: str
    family: Picker
    male: Picker
    female: Picker
    patronymic: Picker  # (father's given name, son's form, daughter's form)
    streets: list[str]
    school: str


@dataclass
class Ids:
    household: int = 0
    person: int = 0
    child: int = 0
    relationship: int = 0
    case: int = 0


@dataclass
class Counts:
    households: int = 0
    persons: int = 0
    children: int = 0
    relationships: int = 0
    cases: int = 0
    counters: dict[tuple[str, int], int] = field(default_factory=dict)


class Generator:
    """Builds COPY text lines, a household with its children and relatives at a time."""

    def __init__(
        self,
        rng: random.Random,
        districts: list[District],
        ids: Ids,
        counters: dict[tuple[str, int], int],
        tz: dt.tzinfo,
    ):
        from homeward.registry import names
        from homeward.registry.names import search_key_for, to_latin

        # search_key_for folds each part with names.name_key, a pure function of one word
        # list; memoising it in this process keeps the keys identical and saves ~70% of the
        # generation time (a few hundred distinct names recur a million times).
        if not hasattr(names.name_key, "cache_info"):
            names.name_key = lru_cache(maxsize=None)(names.name_key)
        self.rng = rng
        self.tz = tz
        self.district = Picker(districts, [d.weight for d in districts], rng)
        self.ids = ids
        self.counts = Counts(counters=dict(counters))
        self.to_latin: Callable[[str, str], str] = lru_cache(maxsize=None)(to_latin)
        self.search_key_for = search_key_for
        self.household_size = weighted(HOUSEHOLD_SIZES, rng)
        self.legal_status = weighted(LEGAL_STATUSES, rng)
        self.case_status = weighted(CASE_STATUSES, rng)
        self.risk_level = weighted(RISK_LEVELS, rng)
        self.languages = {
            "ru": Language(
                "ru",
                zipf(namedata.RU_FAMILY, rng, 10),
                zipf(namedata.RU_MALE, rng, 5, 0.9),
                zipf(namedata.RU_FEMALE, rng, 5, 0.9),
                zipf(namedata.RU_PATRONYMICS, rng, 5, 0.9),
                namedata.RU_STREETS,
                "Средняя школа №",
            ),
            "be": Language(
                "be",
                zipf(namedata.BE_FAMILY, rng, 10),
                zipf(namedata.BE_MALE, rng, 5, 0.9),
                zipf(namedata.BE_FEMALE, rng, 5, 0.9),
                zipf(namedata.BE_PATRONYMICS, rng, 5, 0.9),
                namedata.BE_STREETS,
                "Сярэдняя школа №",
            ),
            "bg": Language(
                "bg",
                zipf(namedata.BG_FAMILY, rng, 10),
                zipf(namedata.BG_MALE, rng, 5, 0.9),
                zipf(namedata.BG_FEMALE, rng, 5, 0.9),
                zipf(namedata.BG_PATRONYMICS, rng, 5, 0.9),
                namedata.BG_STREETS,
                "Основно училище №",
            ),
        }
        now = dt.datetime.now(dt.UTC)
        self.now_ts = now.timestamp()
        self.today = now.astimezone(tz).date()
        self.first_registration_ts = self.now_ts - REGISTRATION_YEARS * 365.25 * 86400
        # Ages 0–17 on today: born after today minus 18 years.
        self.oldest_birth = self.today.replace(year=self.today.year - 18).toordinal() + 1
        self.newest_birth = self.today.toordinal()

    # names ------------------------------------------------------------------------------

    def named(self, family: str, given: str, patronymic: str, country: str) -> list[str]:
        """Written names, Latin forms and search key, as actions._fill_latin_and_key does."""
        latin = [self.to_latin(part, country) for part in (family, given, patronymic)]
        key = self.search_key_for(family, given, patronymic, *latin)
        return [family, given, patronymic, *latin, key]

    def uuid(self) -> str:
        # Version-4 UUIDs from the seeded generator: reproducible, and no syscall per row.
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, earliest_ts: float) -> dt.datetime:
        ts = self.rng.uniform(max(earliest_ts, self.first_registration_ts), self.now_ts)
        return dt.datetime.fromtimestamp(ts, self.tz)

    # one household ---------------------------------------------------------------------

    def household(self, out: dict[str, list[str]], max_children: int) -> int:
        rng = self.rng
        district: District = self.district()
        # Most children live in a town or village; some are recorded at district level.
        place = (
            rng.choice(district.places[1:])
            if len(district.places) > 1 and rng.random() < 0.7
            else district.places[0]
        )
        if place.country == "BG":
            language = self.languages["bg"]
        else:
            language = self.languages["be" if rng.random() < 0.3 else "ru"]
        family = language.family()
        family_f = namedata.feminine_family(family, language.code)
        father, son_patronymic, daughter_patronymic = language.patronymic()
        size = min(int(self.household_size()), max_children)

        births = sorted(rng.randint(self.oldest_birth, self.newest_birth) for _ in range(size))
        registered = [self.stamp(_midnight_ts(b, self.tz)) for b in births]
        household_created = min(registered)
        hh_id = self.ids.household = self.ids.household + 1
        street = rng.choice(language.streets)
        address = f"ул. {street}, {rng.randint(1, 120)}"
        if language.code != "bg" and rng.random() < 0.4:
            address += f", кв. {rng.randint(1, 90)}"
        created = household_created.isoformat()
        out["registry_household"].append(
            "\t".join(
                (
                    str(hh_id), self.uuid(), created, created, "1",
                    namedata.family_household_name(family, language.code), address, "",
                    str(district.agency_id), str(place.location_id),
                    str(district.case_manager_id),
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.households += 1

        # Relatives: a mother in most households, a father in about half, else a grandmother.
        relatives: list[tuple[int, str]] = []
        mother_birth = births[0] - rng.randint(18 * 365, 40 * 365)
        has_mother = rng.random() < 0.9
        has_father = rng.random() < 0.55 or not has_mother
        if has_mother:
            _, _, mother_patronymic = language.patronymic()
            relatives.append(
                self.person(
                    out, "mother", "F", family_f, language.female(), mother_patronymic,
                    mother_birth, place, district, hh_id, created, language,
                )
            )  # fmt: skip
        if has_father:
            _, fathers_patronymic, _ = language.patronymic()
            relatives.append(
                self.person(
                    out, "father", "M", family, father, fathers_patronymic,
                    mother_birth - rng.randint(-3 * 365, 8 * 365), place, district, hh_id,
                    created, language,
                )
            )  # fmt: skip
        if len(relatives) == 1 and rng.random() < 0.3:
            _, _, grandmother_patronymic = language.patronymic()
            relatives.append(
                self.person(
                    out, "grandparent", "F", family_f, language.female(),
                    grandmother_patronymic, mother_birth - rng.randint(20 * 365, 30 * 365),
                    place, district, hh_id, created, language,
                )
            )  # fmt: skip

        for birth, registered_at in zip(births, registered, strict=True):
            child_id = self.child(
                out, family, family_f, son_patronymic, daughter_patronymic, birth,
                registered_at, place, district, hh_id, language,
            )  # fmt: skip
            for person_id, kind in relatives:
                rel_id = self.ids.relationship = self.ids.relationship + 1
                lives = "t" if kind != "father" or rng.random() < 0.8 else "f"
                out["registry_relationship"].append(
                    f"{rel_id}\t{kind}\t{lives}\t\t{child_id}\t{person_id}\t{NULL}\n"
                )
                self.counts.relationships += 1
        return size

    def person(
        self,
        out: dict[str, list[str]],
        kind: str,
        sex: str,
        family: str,
        given: str,
        patronymic: str,
        birth: int,
        place: Place,
        district: District,
        household_id: int,
        created: str,
        language: Language,
    ) -> tuple[int, str]:
        person_id = self.ids.person = self.ids.person + 1
        names = self.named(family, given, patronymic, place.country)
        prefix = "+359 88" if language.code == "bg" else "+375 29"
        phone = f"{prefix} {self.rng.randint(1000000, 9999999)}" if self.rng.random() < 0.8 else ""
        out["registry_person"].append(
            "\t".join(
                (
                    str(person_id), self.uuid(), created, created, "1", *names, sex,
                    str(district.agency_id), dt.date.fromordinal(birth).isoformat(), phone, "",
                    str(household_id), str(place.location_id), str(district.case_manager_id),
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.persons += 1
        return person_id, kind

    def child(
        self,
        out: dict[str, list[str]],
        family: str,
        family_f: str,
        son_patronymic: str,
        daughter_patronymic: str,
        birth: int,
        registered_at: dt.datetime,
        place: Place,
        district: District,
        household_id: int,
        language: Language,
    ) -> int:
        rng = self.rng
        child_id = self.ids.child = self.ids.child + 1
        if rng.random() < 0.5:
            sex, names = "F", self.named(family_f, language.female(), daughter_patronymic,
                                         place.country)  # fmt: skip
        else:
            sex, names = "M", self.named(family, language.male(), son_patronymic, place.country)
        counter_key = (place.region_code, registered_at.year)
        sequence = self.counts.counters.get(counter_key, 0) + 1
        self.counts.counters[counter_key] = sequence
        case_number = f"{place.region_code}-{registered_at.year}-{sequence:05d}"
        disabled = rng.random() < 0.08
        domains = json.dumps(sorted(rng.sample(DOMAINS, rng.randint(1, 3)))) if disabled else "[]"
        age = (self.newest_birth - birth) // 365
        at_school = age >= SCHOOL_AGE
        school = f"{language.school} {rng.randint(1, 40)}" if at_school else ""
        created = registered_at.isoformat()
        out["registry_child"].append(
            "\t".join(
                (
                    str(child_id), self.uuid(), created, created, "1", *names, sex,
                    str(district.agency_id), case_number, dt.date.fromordinal(birth).isoformat(),
                    "t" if rng.random() < 0.02 else "f", "t" if disabled else "f", domains,
                    self.legal_status(), str(place.location_id), school,
                    str(place.location_id) if at_school else NULL, str(household_id),
                    str(district.case_manager_id),
                    # the case's workers, which the triggers copy outside the replica role
                    str(district.case_manager_id), NULL, NULL,
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.children += 1

        # Registering a child opens its case (registry.actions.child_register → case_open).
        case_id = self.ids.case = self.ids.case + 1
        status = self.case_status()
        opened = registered_at.date()
        closed, reason = NULL, ""
        if status == "closed":
            span = max(0, self.today.toordinal() - opened.toordinal())
            # one draw whatever the span, so that the same seed gives the same rows every day
            closed_on = dt.date.fromordinal(opened.toordinal() + int(rng.random() * (span + 1)))
            closed = closed_on.isoformat()
            reason = rng.choice(CLOSURE_REASONS)
        out["cases_case"].append(
            "\t".join(
                (
                    str(case_id), self.uuid(), created, created, "1", status, self.risk_level(),
                    opened.isoformat(), closed, reason, str(district.agency_id),
                    str(district.case_manager_id), str(child_id), NULL, NULL,
                )
            )
            + "\n"
        )  # fmt: skip
        self.counts.cases += 1
        return child_id


def _midnight_ts(ordinal: int, tz: dt.tzinfo) -> float:
    return dt.datetime.combine(dt.date.fromordinal(ordinal), dt.time(), tz).timestamp()


# --- loading ---------------------------------------------------------------------------------


@dataclass
class Deferred:
    """A secondary index or unique constraint dropped for the load, rebuilt after it."""

    table: str
    name: str
    drop: str
    create: str
    gin: bool


def secondary_objects(conn: psycopg.Connection[Any]) -> list[Deferred]:
    found: list[Deferred] = []
    constraints = conn.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'x')
        """,
        [list(TABLES)],
    ).fetchall()
    for table, name, definition in constraints:
        found.append(
            Deferred(
                table,
                name,
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
                gin=False,
            )
        )
    indexes = conn.execute(
        """
        SELECT i.indrelid::regclass::text, c.relname, pg_get_indexdef(i.indexrelid), am.amname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_am am ON am.oid = c.relam
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint k
            WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')
          )
        """,
        [list(TABLES)],
    ).fetchall()
    for table, name, definition, method in indexes:
        found.append(Deferred(table, name, f'DROP INDEX "{name}"', definition, gin=method == "gin"))
    return found


def rebuild(url: str, objects: list[Deferred], sizes: dict[str, int]) -> None:
    """Rebuild on two connections at once (two cores), the longest builds first."""
    queue = sorted(objects, key=lambda o: -(sizes.get(o.table, 0) * (8 if o.gin else 1)))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '2GB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            while True:
                with lock:
                    if not queue or errors:
                        return
                    item = queue.pop(0)
                started = time.perf_counter()
                try:
                    conn.execute(item.create.encode())
                except BaseException as exc:
                    errors.append(exc)
                    return
                # one write per line: two threads report at once
                sys.stdout.write(f"    {item.name}: {time.perf_counter() - started:.1f} s\n")
                sys.stdout.flush()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def copy_statement(table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
    )


def check_columns(conn: psycopg.Connection[Any]) -> None:
    """Stop early, with a clear message, when the schema has moved on from this script."""
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
                f"required but not generated: {sorted(required)}); update bench/generate.py."
            )


def load(
    url: str,
    districts: list[District],
    children: int,
    seed: int,
    timings: dict[str, float],
    chunk: int,
) -> Counts:
    from django.conf import settings

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed)
    with psycopg.connect(url, autocommit=True) as conn:
        check_columns(conn)
        ids = Ids(
            *(
                conn.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(
                    sql.Identifier(table)
                )).fetchone()[0]  # type: ignore[index]
                for table in TABLES
            )
        )  # fmt: skip
        counters = {
            (prefix, year): last
            for prefix, year, last in conn.execute(
                "SELECT prefix, year, last FROM registry_casenumbercounter"
            ).fetchall()
        }
        deferred = secondary_objects(conn)
        with phase("drop secondary indexes", timings):
            for item in deferred:
                conn.execute(item.drop.encode())
            print(f"  dropped {len(deferred)}: {', '.join(d.name for d in deferred)}")

    generator = Generator(rng, districts, ids, counters, tz)
    with phase("generate and COPY", timings), ExitStack() as stack:
        copies = {}
        for table in TABLES:
            conn = stack.enter_context(psycopg.connect(url))
            # Ids are allocated here, so per-row foreign-key triggers would only cost time.
            conn.execute("SET session_replication_role = replica")
            conn.execute("SET synchronous_commit = off")
            cursor = stack.enter_context(conn.cursor())
            copies[table] = stack.enter_context(
                cursor.copy(copy_statement(table), writer=QueuedLibpqWriter(cursor))
            )
        started = time.perf_counter()
        made = 0
        while made < children:
            out: dict[str, list[str]] = {table: [] for table in TABLES}
            for _ in range(chunk):
                if made >= children:
                    break
                made += generator.household(out, children - made)
            for table, lines in out.items():
                copies[table].write("".join(lines))
            elapsed = time.perf_counter() - started
            print(
                f"\r  {made:>10,} children  {made / elapsed:>8,.0f}/s",
                end="",
                flush=True,
            )
        print(f"\n  generated in {time.perf_counter() - started:.1f} s; waiting for COPY…")
    counts = generator.counts

    with psycopg.connect(url, autocommit=True) as conn:
        with phase("sequences and case-number counters", timings):
            for table in TABLES:
                conn.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({t}, 'id'), "
                        "greatest((SELECT max(id) FROM {i}), 1))"
                    ).format(t=sql.Literal(table), i=sql.Identifier(table))
                )
            with conn.cursor() as cursor:
                cursor.executemany(
                    """
                    INSERT INTO registry_casenumbercounter (prefix, year, last)
                    VALUES (%s, %s, %s)
                    ON CONFLICT (prefix, year) DO UPDATE SET last = EXCLUDED.last
                    """,
                    [(p, y, last) for (p, y), last in sorted(counts.counters.items())],
                )
        sizes = {
            table: int(
                conn.execute("SELECT pg_relation_size(%s::regclass)", [table]).fetchone()[0]  # type: ignore[index]
            )
            for table in TABLES
        }
    with phase("rebuild indexes and constraints", timings):
        rebuild(url, deferred, sizes)
    with psycopg.connect(url, autocommit=True) as conn, phase("search vocabulary", timings):
        # The triggers that keep registry_searchword did not fire (replica role): fill it as
        # migration registry 0007 does, or the near-match search finds no typos.
        conn.execute(SEARCH_VOCABULARY)
        conn.execute("VACUUM (ANALYZE) registry_searchword")
    with psycopg.connect(url, autocommit=True) as conn, phase("vacuum analyze", timings):
        # Autovacuum would get there on a live system; without it the first reads set hint
        # bits and index-only scans are impossible, which would skew the benchmarks.
        for table in TABLES:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    return counts


CASELOAD_USER = "cm.caseload"
CASELOAD = 60


def typical_caseload(password: str | None) -> None:
    """One more case manager, in the busiest district, with a typical caseload.

    The district case managers above hold every case of their district (thousands): the
    worst case for scoping. A real case manager holds a few dozen; this one takes over
    CASELOAD open cases from the district's manager, so the benchmarks can time both.
    """
    from django.db import connection

    from homeward.access.roles import Role
    from homeward.accounts.models import Agency, Membership, User
    from homeward.cases.models import Case

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agency_id FROM cases_case GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        return
    agency = Agency.objects.get(pk=row[0])
    user, created = User.objects.get_or_create(
        username=CASELOAD_USER, defaults={"first_name": CASELOAD_USER}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, agency=agency, role=Role.CASE_MANAGER)
    have = Case.objects.filter(case_manager=user).count()
    if have < CASELOAD:
        # Spread over the table like real registrations, not the first rows loaded.
        ids = list(
            Case.objects.filter(agency=agency)
            .exclude(status="closed")
            .exclude(case_manager=user)
            .order_by("uuid")
            .values_list("pk", flat=True)[: CASELOAD - have]
        )
        Case.objects.filter(pk__in=ids).update(case_manager=user)
    print(f"  {CASELOAD_USER}: {CASELOAD} cases in {agency.code}")


def verify_sample(size: int = 300) -> None:
    """Recompute Latin forms and keys of a sample with the registry's own action helper."""
    from homeward.registry.actions import NAME_FIELDS, _fill_latin_and_key
    from homeward.registry.models import Child

    sample = list(Child.objects.select_related("home_location").order_by("?")[:size])
    for child in sample:
        fresh = Child(home_location=child.home_location)
        for name in NAME_FIELDS:
            setattr(fresh, name, getattr(child, name))
        _fill_latin_and_key(fresh)
        for name in (*NAME_FIELDS, *(f"{f}_latin" for f in NAME_FIELDS), "search_key"):
            if getattr(fresh, name) != getattr(child, name):
                sys.exit(
                    f"bench: {child.case_number} {name}: stored {getattr(child, name)!r}, "
                    f"the action gives {getattr(fresh, name)!r}"
                )
    print(f"  {len(sample)} sampled children match registry.actions._fill_latin_and_key")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--reset", action="store_true", help="drop and recreate the bench database first"
    )
    parser.add_argument(
        "--password",
        help="password for the generated users (default: unusable; the "
        "benchmarks log in with force_login)",
    )
    parser.add_argument("--chunk", type=int, default=5000, help="households per COPY batch")
    args = parser.parse_args(argv)

    url = prepare_environment()
    timings: dict[str, float] = {}
    total_started = time.perf_counter()
    print(f"database {database_name(url)}: {args.children:,} children, seed {args.seed}")
    with phase("create database", timings):
        created = create_database(url, drop_first=args.reset)
        print(f"  {'created' if created else 'exists'}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    with phase("migrate and geo_load", timings):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("geo_load", verbosity=0)
    from homeward.registry.models import Child

    existing = Child.objects.count()
    if existing:
        sys.exit(
            f"bench: the database already holds {existing:,} children; "
            "run with --reset to start again."
        )
    rng = random.Random(args.seed)
    with phase("agencies and users", timings):
        districts = setup_reference_data(rng, args.password)
        print(f"  {len(districts)} district agencies, {len(districts) + 1} users")
    connections.close_all()  # no open Django transaction while the tables are reshaped

    counts = load(url, districts, args.children, args.seed + 1, timings, args.chunk)
    with phase("case manager with a typical caseload", timings):
        typical_caseload(args.password)
    with phase("verify a sample", timings):
        verify_sample()
    total = time.perf_counter() - total_started
    print()
    print(f"{'phase':<36}{'seconds':>10}")
    for name, seconds in timings.items():
        print(f"{name:<36}{seconds:>10.1f}")
    print(f"{'total':<36}{total:>10.1f}")
    print(
        f"rows: {counts.children:,} children, {counts.cases:,} cases, "
        f"{counts.households:,} households, {counts.persons:,} persons, "
        f"{counts.relationships:,} relationships"
    )


if __name__ == "__main__":
    main()
