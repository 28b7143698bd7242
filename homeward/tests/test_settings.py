"""Settings come from the environment; production refuses unsafe ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def load_settings(
    shown: str = "s.DATABASES['default']['ENGINE']", **env: str
) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh process with ``env``; print ``shown`` as JSON."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(  # noqa: S603 (this interpreter, with an expression the test wrote)
        [sys.executable, "-c", f"import json, homeward.settings as s; print(json.dumps({shown}))"],
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
    assert json.loads(result.stdout) == "django.db.backends.postgresql"


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


def load_setting(name: str, **env: str) -> subprocess.CompletedProcess[str]:
    return load_settings(f"s.{name}", HOMEWARD_ENV="demo", **env)


def test_a_country_sets_its_own_carer_checks_and_matching_defaults():
    checks = '{"references": "household", "health": "adult"}'
    result = load_setting("CARER_REQUIRED_CHECKS", CARER_REQUIRED_CHECKS=checks)
    assert json.loads(result.stdout) == {"references": "household", "health": "adult"}
    result = load_setting("MATCHING_DEFAULT_WEIGHTS", MATCHING_DEFAULT_WEIGHTS='{"siblings": 40}')
    weights = json.loads(result.stdout)
    assert (weights["siblings"], weights["relatives"]) == (40, 30)  # the others stay
    result = load_setting(
        "MATCHING_DEFAULT_LANGUAGES", MATCHING_DEFAULT_LANGUAGES='{"BG": ["bg", "tr"]}'
    )
    assert json.loads(result.stdout) == {"BG": ["bg", "tr"]}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CARER_REQUIRED_CHECKS", "{references: household}", "is not valid JSON"),
        ("CARER_REQUIRED_CHECKS", '{"references": "everyone"}', '"household" or "adult"'),
        ("CARER_REQUIRED_CHECKS", '["references"]', "must be a JSON object"),
        ("MATCHING_DEFAULT_WEIGHTS", '{"siblings": 400}', "from 0 to 100"),
        ("MATCHING_DEFAULT_WEIGHTS", '{"horoscope": 5}', "not all zero, for relatives"),
        (
            "MATCHING_DEFAULT_WEIGHTS",
            '{"relatives": 0, "siblings": 0, "home": 0, "school": 0, "parents": 0, "language": 0,'
            ' "training": 0, "experience": 0, "preferences": 0, "professional": 0}',
            "not all zero",
        ),
        ("MATCHING_DEFAULT_WEIGHTS", '{"siblings": true}', "from 0 to 100"),
        ("MATCHING_DEFAULT_LANGUAGES", '{"BY": "ru"}', "list of language codes"),
    ],
)
def test_a_malformed_country_rule_is_refused_at_start_naming_the_variable(name, value, message):
    result = load_setting(name, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert message in result.stderr


@pytest.mark.django_db
def test_an_unknown_carer_check_kind_stops_django_at_its_checks(settings):
    from homeward.carers.checks import required_checks_are_known

    assert required_checks_are_known() == []
    settings.CARER_REQUIRED_CHECKS = {"references": "household", "horoscope": "adult"}
    errors = required_checks_are_known()
    assert [error.id for error in errors] == ["carers.E001"]
    assert "horoscope" in errors[0].msg
