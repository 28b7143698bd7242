"""Settings come from the environment; production refuses unsafe ones."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import homeward.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "secret",
    ["", "homeward-insecure-demo-key-never-use-in-production", "short"],
)
def test_production_refuses_a_missing_default_or_short_secret_key(secret):
    result = load_settings(HOMEWARD_ENV="production", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = load_settings(HOMEWARD_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_demo_mode_is_explicit_and_needs_no_key():
    assert load_settings(HOMEWARD_ENV="demo").returncode == 0
    assert load_settings(HOMEWARD_ENV="staging").returncode != 0


@pytest.mark.parametrize(
    "url", ["not a url", "mysql://u@h/db", "postgres://", "http://example.org/"]
)
def test_a_malformed_database_url_is_refused_with_a_clear_message(url):
    result = load_settings(HOMEWARD_ENV="demo", DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" in result.stderr  # raised at import, the message names the variable


def test_postgres_url_selects_postgresql():
    result = load_settings(HOMEWARD_ENV="demo", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_bad_boolean_is_refused():
    result = load_settings(HOMEWARD_ENV="demo", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_server_starts_with_its_urls_loaded_and_start_up_objects_frozen():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HOMEWARD_ENV"] = "demo"
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; import homeward.wsgi; "
            "print(gc.get_freeze_count(), 'homeward.registry.views' in sys.modules)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    frozen, views_loaded = started.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
