"""Matching benchmarks on PostgreSQL: ranking 50,000 carers for one child, and the optimal
batch for 5,000 children and 5,000 carer households in one region.

    .venv/bin/python bench/matching_bench.py            # builds the data on first run
    .venv/bin/python bench/matching_bench.py --reset    # drop and rebuild the database

The database is MATCH_BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/homeward_match_bench), never DATABASE_URL, so that the
register benchmark's database is left alone. It is created if missing and migrated.

Data: 50,000 approved carer households in Belarus, 5,000 of them in Vitebsk region and the
rest spread over the other regions; every approval covers girls aged 8 (so that the ranking
of the bench's girl of 8 really scores all 50,000), with other terms, languages, training,
experience, preferences and vacancies (1–3) varied. 5,000 children wait in Vitebsk region
(a gatekeeping decision for foster care), some in sibling groups of 2 or 3, some with
disabilities and recorded needs.

(a) ranking: ``matching.engine.rank_for_child`` for one child as a national foster-care worker
    (the whole database query, NumPy scoring of every household, reasons for the top 20),
    50 runs after 3 warm-ups; p50 and p95.
(b) batch: ``matching.engine.batch_plan`` for Vitebsk region (children and carers read,
    5,000 × 5,000 scores, column generation of the LP over every feasible pair, the exact
    solution of the contested part, the move and swap passes), 3 runs; and once
    ``matching.actions.proposal_for_region``, which also stores the proposal and its matches.
    The total is reported against the upper bound that no assignment can beat.
Bench data is written with bulk inserts, not through the actions: it is scale, not behaviour.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import create_database, database_name

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_match_bench"
CARERS = 50_000
REGION_CARERS = 5_000
CHILDREN = 5_000
RANK_RUNS = 50
BATCH_RUNS = 3
SEED = 20260101


def setup(reset: bool) -> str:
    url = os.environ.get("MATCH_BENCH_DATABASE_URL", DEFAULT_URL)
    if "match_bench" not in database_name(url):
        sys.exit("matching bench: the database name must contain 'match_bench'.")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HOMEWARD_ENV", "demo")
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    create_database(url, drop_first=reset)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("geo_load", verbosity=0)
    return url


def _user(username: str, agency: Any, role: str) -> Any:
    from homeward.accounts.models import Membership, User

    user, _created = User.objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def _agency(code: str, name: str, kind: str, area: Any, parent: Any) -> Any:
    from homeward.accounts.models import Agency

    agency, _created = Agency.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "area": area,
            "parent": parent,
            "path": f"{parent.path}/{code}" if parent else code,
        },
    )
    return agency


def generate() -> None:
    from django.db import connection, transaction

    from homeward.access.roles import Role
    from homeward.care.models import GatekeepingDecision
    from homeward.carers.actions import matching_rows_rebuild
    from homeward.carers.models import (
        ApprovalTerms,
        CarerHousehold,
        Language,
        Stage,
        TrainingTopic,
        bits,
    )
    from homeward.geo.models import Location
    from homeward.matching.models import MatchingNeeds
    from homeward.registry.models import Child, Relationship

    if CarerHousehold.objects.count() >= CARERS:
        print("bench data present; --reset rebuilds it")
        return
    rng = random.Random(SEED)
    today = dt.date.today()
    country = Location.objects.get(code="BY")
    national = _agency("BENCH-BY", "Национальная служба", "ministry", country, None)
    region = Location.objects.get(code="BY-VI")
    regional = _agency("BENCH-VI", "Служба приёмных семей", "regional_body", region, national)
    _user("bench.fcw", national, Role.FOSTER_CARE_WORKER)
    vitebsk = list(Location.objects.filter(level="locality", path__startswith="BY/BY-VI/"))
    elsewhere = list(
        Location.objects.filter(level="locality", path__startswith="BY/").exclude(
            path__startswith="BY/BY-VI/"
        )
    )
    languages = Language.values
    topics = TrainingTopic.values
    with transaction.atomic():
        started = time.perf_counter()
        households = []
        for i in range(CARERS):
            langs = ["ru"] + (["be"] if rng.random() < 0.5 else [])
            if rng.random() < 0.05:
                langs.append(rng.choice(languages))
            trained = rng.sample(topics, rng.randint(0, 3))
            pref = rng.random() < 0.3
            households.append(
                CarerHousehold(
                    name=f"Семья {i:05d}",
                    agency=regional,
                    location=rng.choice(vitebsk if i < REGION_CARERS else elsewhere),
                    languages=sorted(set(langs)),
                    language_mask=bits(langs, languages),
                    training_mask=bits(trained, topics),
                    training_hours=40 + 8 * len(trained),
                    placements_total=rng.choice([0, 0, 0, 1, 2, 3, 5, 8]),
                    professional=rng.random() < 0.15,
                    stage=Stage.APPROVED,
                    enquiry_on=today - dt.timedelta(days=rng.randint(200, 900)),
                    approved_on=today - dt.timedelta(days=rng.randint(1, 180)),
                    approval_expires_on=today + dt.timedelta(days=rng.randint(30, 365)),
                    preferred_age_min=rng.randint(0, 8) if pref else None,
                    preferred_age_max=rng.randint(8, 17) if pref else None,
                )
            )
        CarerHousehold.objects.bulk_create(households, batch_size=5000)
        terms = []
        for household in households:
            low = rng.randint(0, 8)
            disabilities = rng.random() < 0.3
            terms.append(
                ApprovalTerms(
                    household=household,
                    decided_on=household.approved_on,
                    panel="Комиссия",
                    max_children=rng.randint(1, 3),
                    age_min=low,
                    age_max=rng.randint(max(low, 8), 17),
                    accepts_female=True,
                    accepts_male=rng.random() < 0.9,
                    sibling_groups=rng.random() < 0.6,
                    disabilities=disabilities,
                    term=rng.choice(["both", "both", "short", "long"]),
                    professional=household.professional,
                )
            )
        ApprovalTerms.objects.bulk_create(terms, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE carers_carerhousehold h SET terms_id = t.id "
                "FROM carers_approvalterms t WHERE t.household_id = h.id"
            )
        rows = matching_rows_rebuild()
        print(f"{CARERS} carers ({rows} ranking rows) in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        district_agency = _agency(
            "BENCH-VI-D", "СПЦ", "social_educational_centre", vitebsk[0].parent, regional
        )
        children = []
        for i in range(CHILDREN):
            disabled = rng.random() < 0.15 and i > 0
            born = today - dt.timedelta(days=rng.randint(200, 17 * 365))
            if i == 0:  # the child ranked in (a): a girl of 8, whom every approval covers
                born = today.replace(year=today.year - 8) - dt.timedelta(days=100)
            children.append(
                Child(
                    family_name=f"Ребёнок{i:05d}",
                    given_name="Бенч",
                    family_name_latin=f"Rebenok{i:05d}",
                    given_name_latin="Bench",
                    search_key=f"rebenok{i:05d}",
                    sex="F" if i == 0 else rng.choice("FM"),
                    date_of_birth=born,
                    has_disability=disabled,
                    disability_domains=["learning"] if disabled else [],
                    home_location=rng.choice(vitebsk),
                    school_location=rng.choice(vitebsk) if rng.random() < 0.6 else None,
                    agency=district_agency,
                    case_number=f"BENCH-{i:05d}",
                )
            )
        Child.objects.bulk_create(children, batch_size=5000)
        decided = today - dt.timedelta(days=10)
        GatekeepingDecision.objects.bulk_create(
            [
                GatekeepingDecision(
                    child=child,
                    decided_on=decided,
                    outcome="place",
                    care_type="foster",
                    necessity="bench",
                    suitability="bench",
                    alternatives="bench",
                    assessment_reference="bench",
                    decision_maker="bench",
                    legal_basis="bench",
                    agency=district_agency,
                )
                for child in children
            ],
            batch_size=5000,
        )
        links = []
        index = 1  # the ranked child has no brothers or sisters waiting
        while index < CHILDREN:
            size = 1 if rng.random() < 0.85 else rng.choice([2, 2, 3])
            group = children[index : index + size]
            for a, b in itertools.pairwise(group):
                links.append(Relationship(child=a, kind="sibling", related_child=b))
            index += size
        Relationship.objects.bulk_create(links, batch_size=5000)
        MatchingNeeds.objects.bulk_create(
            [
                MatchingNeeds(child=child, languages=["ru"], topics=["trauma"], term="long")
                for child in children
                if rng.random() < 0.2
            ],
            batch_size=5000,
        )
        print(f"{CHILDREN} waiting children in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run() -> dict[str, Any]:
    from django.db import connection

    from homeward.accounts.models import User
    from homeward.geo.models import Location
    from homeward.matching.actions import proposal_for_region
    from homeward.matching.engine import batch_plan, rank_for_child
    from homeward.registry.models import Child

    user = User.objects.get(username="bench.fcw")
    region = Location.objects.get(code="BY-VI")
    child = Child.objects.select_related("home_location", "school_location").get(
        case_number="BENCH-00000"
    )
    results: dict[str, Any] = {"database": connection.settings_dict["NAME"]}

    for _ in range(3):
        rank_for_child(user, child)
    samples = []
    ranking = None
    for _ in range(RANK_RUNS):
        started = time.perf_counter()
        ranking = rank_for_child(user, child)
        samples.append((time.perf_counter() - started) * 1000)
    if ranking is None:
        sys.exit("no ranking")
    results["ranking"] = {
        "runs": RANK_RUNS,
        "households_scored": ranking.considered,
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
        "top": [
            {"score": round(r.score, 1), "reasons": [x.text for x in r.reasons]}
            for r in ranking.results[:3]
        ],
    }
    print(json.dumps(results["ranking"], ensure_ascii=False, indent=2))

    batch_samples = []
    plan = None
    for _ in range(BATCH_RUNS):
        started = time.perf_counter()
        plan = batch_plan(user, region)
        batch_samples.append(time.perf_counter() - started)
    if plan is None:
        sys.exit("no batch")
    assigned = [u for u, h in enumerate(plan.solution.household_of) if h >= 0]
    started = time.perf_counter()
    proposal = proposal_for_region(actor=user, region=region)
    stored = time.perf_counter() - started
    results["batch"] = {
        "runs": BATCH_RUNS,
        "children": sum(len(u) for u in plan.units),
        "units": len(plan.units),
        "households": len(plan.table),
        "places": int(plan.table.vacancy.sum()),
        "matched_units": len(assigned),
        "matched_children": sum(len(plan.units[u]) for u in assigned),
        "candidate_pairs": plan.solution.edges,
        "solver": plan.solution.status,
        "total_score": round(plan.solution.total, 1),
        "bound": round(plan.solution.bound, 1) if plan.solution.bound is not None else None,
        "within_bound_pct": round(100 * plan.solution.total / plan.solution.bound, 3)
        if plan.solution.bound
        else None,
        "p50_s": round(statistics.median(batch_samples), 2),
        "max_s": round(max(batch_samples), 2),
        "proposal_with_storage_s": round(stored, 2),
        "proposal": str(proposal.uuid),
    }
    print(json.dumps(results["batch"], ensure_ascii=False, indent=2))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--out", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    setup(args.reset)
    generate()
    results = run()
    results["machine"] = os.uname().nodename
    results["date"] = dt.date.today().isoformat()
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"written {args.out}")


if __name__ == "__main__":
    main()
