"""Shared set-up for the generator and the benchmarks: environment, database guard."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench"


def prepare_environment() -> str:
    """Point Django at the bench database; return its URL. Call before django.setup()."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("HOMEWARD_ENV", "demo")
    # DEBUG would record every query in memory and slow each request down.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL (postgres://...).")
    check_name(database_name(url))
    return url


def database_name(url: str) -> str:
    return str(conninfo_to_dict(url).get("dbname") or "")


def check_name(name: str) -> None:
    """Refuse the databases the test runs and other people use."""
    if (
        not name
        or name in {"postgres", "template0", "template1", "test"}
        or name.startswith("test_")
    ):
        sys.exit(f"bench: refusing to use database {name!r}; use e.g. homeward_bench.")


def maintenance_conninfo(url: str) -> str:
    return make_conninfo(url, dbname="postgres")


def database_exists(url: str) -> bool:
    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return row is not None


def create_database(url: str, *, drop_first: bool) -> bool:
    """Create the database if missing (dropping it first when asked); True when created."""
    name = database_name(url)
    check_name(name)
    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as conn:
        if drop_first:
            if "bench" not in name:
                sys.exit(f"bench: --reset only drops a database whose name says bench: {name!r}")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
    return True
