"""Homeward settings, read from the environment.

HOMEWARD_ENV selects the mode: ``production`` (the default), ``demo`` or ``test``.
Production refuses to start without a real SECRET_KEY; demo and test are explicit opt-ins.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOMEWARD_VAR_DIR", BASE_DIR / "var"))

HOMEWARD_ENV = os.environ.get("HOMEWARD_ENV", "production").strip().lower()
if HOMEWARD_ENV not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(
        f"HOMEWARD_ENV must be production, demo or test, not {HOMEWARD_ENV!r}."
    )
DEMO_MODE = HOMEWARD_ENV == "demo"
TEST_MODE = HOMEWARD_ENV == "test"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json(name: str, default: Any, valid: Callable[[Any], bool], expected: str) -> Any:
    """A JSON value from the environment (a country's own rules), checked for its shape."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON ({error}).") from error
    if not valid(value):
        raise ImproperlyConfigured(f"{name} must be {expected}, not {raw!r}.")
    return value


def _mapping_of(check_value: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def valid(value: Any) -> bool:
        return isinstance(value, dict) and all(
            isinstance(key, str) and check_value(item) for key, item in value.items()
        )

    return valid


INSECURE_SECRET_KEY = "homeward-insecure-demo-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if HOMEWARD_ENV == "production":
    if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(or set HOMEWARD_ENV=demo for the demo)."
        )
elif not SECRET_KEY:
    SECRET_KEY = INSECURE_SECRET_KEY

# Old keys still accepted while sessions signed with them expire (see docs/security.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

DEBUG = env_bool("DEBUG", default=DEMO_MODE)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if HOMEWARD_ENV != "production" else []
)
if TEST_MODE:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def database_from_url(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL; a malformed one stops start-up with a readable message."""
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_URL must start with sqlite:/// or postgres:// (Homeward supports "
            "SQLite and PostgreSQL)."
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database.")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        config["CONN_MAX_AGE"] = 0
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if not DATABASE_URL:
    # The embedded default: a SQLite file under var/, made on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve the indicators on PostgreSQL; SQLite builds the same indexes
# without the extra columns, which is all the embedded demo needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "ninja",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "homeward.core",
    "homeward.access",
    "homeward.accounts",
    "homeward.audit",
    "homeward.geo",
    "homeward.registry",
    "homeward.institutions",
    "homeward.cases",
    "homeward.plans",
    "homeward.assessments",
    "homeward.care",
    "homeward.carers",
    "homeward.matching",
    "homeward.services",
    "homeward.indicators",
    "homeward.imports",
    "homeward.exports",
    "homeward.demo",
    "homeward.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "homeward.accounts.security.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "homeward.access.middleware.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "homeward" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.access.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TEST_MODE:
    # Hashing speed only; production and demo use argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("be", _("Belarusian")),
    ("bg", _("Bulgarian")),
]
LOCALE_PATHS = [BASE_DIR / "homeward" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Minsk")
FORMAT_MODULE_PATH = ["homeward.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "homeward" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Attachments live outside the web root and are served only after a permission check.
    # Point ATTACHMENTS_DIR at storage every app server shares (or swap the backend).
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("ATTACHMENTS_DIR", str(VAR_DIR / "attachments"))},
    },
    # Uploaded census files and finished exports: private like attachments, shared by every
    # app server and task worker.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("IMPORTS_DIR", str(VAR_DIR / "imports"))},
    },
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("EXPORTS_DIR", str(VAR_DIR / "exports"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TEST_MODE

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TEST_MODE:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Second factor (TOTP) for every user; only the demo may run without it.
REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", default=not DEMO_MODE)
if not REQUIRE_SECOND_FACTOR and HOMEWARD_ENV == "production":
    raise ImproperlyConfigured("REQUIRE_SECOND_FACTOR cannot be turned off in production.")
OTP_TOTP_ISSUER = "Homeward"
RECOVERY_CODES = 10

# Lockout after repeated failures, per user name and per address, for web logins and the API
# token alike.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 10))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", 1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Sessions and cookies: secure unless serving plain http on a developer machine.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=HOMEWARD_ENV == "production")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Inactivity timeout: requests renew the session, at most once a minute (a write to the
# session table each time; accounts.security.SessionRenewalMiddleware); silence ends it.
SESSION_COOKIE_AGE = int(os.environ.get("IDLE_TIMEOUT_MINUTES", 30)) * 60
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline script or style anywhere, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", 10)) * 1024 * 1024
# Census imports (docs/import.md): the largest file accepted.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", 50)) * 1024 * 1024
# Exports: lists longer than this are written by the task worker, not in the request; PDF
# stops at its own limit (nobody reads more pages); download links expire after some hours.
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("EXPORT_SYNC_MAX_ROWS", 10_000))
EXPORT_PDF_MAX_ROWS = int(os.environ.get("EXPORT_PDF_MAX_ROWS", 20_000))
EXPORT_LINK_HOURS = int(os.environ.get("EXPORT_LINK_HOURS", 24))

# Consent age bands (DOMAIN §2): below the first age the caregiver consents; from the first to
# the second the caregiver consents and the child assents (both); from the second the child.
CONSENT_AGE_BANDS = (
    int(os.environ.get("CONSENT_CAREGIVER_BELOW", 6)),
    int(os.environ.get("CONSENT_CHILD_FROM", 14)),
)
# Closed records are anonymised this many years after closure (`manage.py retention_anonymise`).
RETENTION_YEARS_AFTER_CLOSURE = int(os.environ.get("RETENTION_YEARS_AFTER_CLOSURE", 10))
# Case deadlines (DOMAIN §2), configurable: hours allowed for each step by risk level.
CASE_DEADLINES: dict[str, dict[str, int]] = {
    "initial_assessment": {"high": 24, "medium": 72, "low": 168, "unknown": 72},
    "comprehensive_assessment": {
        "high": 14 * 24,
        "medium": 30 * 24,
        "low": 30 * 24,
        "unknown": 30 * 24,
    },
    "case_planning": {"high": 7 * 24, "medium": 14 * 24, "low": 14 * 24, "unknown": 14 * 24},
}
# Reviews at least every 3 months, sooner for high risk.
CASE_REVIEW_INTERVAL_DAYS = {"high": 30, "medium": 90, "low": 90, "unknown": 90}
# Placements (DOMAIN §3): reviews at least every 3 months; an emergency placement's
# gatekeeping decision must follow within this many days.
PLACEMENT_REVIEW_INTERVAL_DAYS = int(os.environ.get("PLACEMENT_REVIEW_INTERVAL_DAYS", 91))
EMERGENCY_GATEKEEPING_DAYS = int(os.environ.get("EMERGENCY_GATEKEEPING_DAYS", 3))
# Referrals (DOMAIN §7): a provider answers within this many working days (Monday to Friday)
# unless its service type says otherwise; then the referral is escalated.
REFERRAL_RESPONSE_WORKING_DAYS = int(os.environ.get("REFERRAL_RESPONSE_WORKING_DAYS", 3))
# Indicators: the yearly target of family needs assessments by area (location code), e.g.
# "BY-VI=700,BY-HO=400"; an area without its own target adds up the targets inside it.
FAMILY_ASSESSMENT_TARGETS: dict[str, int] = {
    code.strip(): int(target)
    for code, _sep, target in (
        item.partition("=")
        for item in os.environ.get("FAMILY_ASSESSMENT_TARGETS", "BY-VI=700").split(",")
        if item.strip()
    )
}
# The address people open Homeward at (e.g. https://homeward.example.org), for links in emails.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
BREAK_GLASS_MINUTES = int(os.environ.get("BREAK_GLASS_MINUTES", 240))

# Foster carers (DOMAIN §5), configurable: the checks approval needs ("household": one for
# the household, "adult": one for each adult member), the preparation training hours, how
# long an approval lasts until the annual review, and how early expiry tasks are made.
# Each check's kind and whether it is made once for the household or for each adult; a
# country with other rules sets CARER_REQUIRED_CHECKS as JSON (the kinds are checked against
# carers.models.CheckKind when Django starts).
CARER_REQUIRED_CHECKS: dict[str, str] = env_json(
    "CARER_REQUIRED_CHECKS",
    {
        "references": "household",
        "home_safety": "household",
        "health": "adult",
        "criminal_record": "adult",
    },
    _mapping_of(lambda scope: scope in {"household", "adult"}),
    'a JSON object of check kinds, each "household" or "adult"',
)
CARER_MIN_TRAINING_HOURS = int(os.environ.get("CARER_MIN_TRAINING_HOURS", 40))
CARER_APPROVAL_VALID_DAYS = int(os.environ.get("CARER_APPROVAL_VALID_DAYS", 365))
CARER_EXPIRY_NOTICE_DAYS = int(os.environ.get("CARER_EXPIRY_NOTICE_DAYS", 60))
CARER_HOME_STUDY_TEMPLATE = "foster_home_study"
# Assessment forms that are not started on a child's case (they belong to carer households).
NON_CASE_TEMPLATES = frozenset({CARER_HOME_STUDY_TEMPLATE})
# Matching (DOMAIN §5): default weights of the criteria (a region may set its own), the
# distance at which closeness counts half, the languages assumed for a child whose languages
# are not recorded (by country), and the batch solver: up to MATCHING_EXACT_PAIRS feasible
# (child group, household) pairs it is solved exactly; beyond, see matching/solver.py.
MATCHING_DEFAULT_WEIGHTS: dict[str, float] = {
    "relatives": 30,
    "siblings": 20,
    "home": 10,
    "school": 10,
    "parents": 5,
    "language": 10,
    "training": 10,
    "experience": 5,
    "preferences": 5,
    "professional": 5,
}


def _weights(value: Any) -> bool:
    def weight(item: Any) -> bool:
        return isinstance(item, int | float) and not isinstance(item, bool) and 0 <= item <= 100

    return (
        _mapping_of(weight)(value)
        and set(value) <= set(MATCHING_DEFAULT_WEIGHTS)
        and any({**MATCHING_DEFAULT_WEIGHTS, **value}.values())
    )


# Weights given in MATCHING_DEFAULT_WEIGHTS (JSON) replace these; each region may still set its
# own on the matching pages.
MATCHING_DEFAULT_WEIGHTS.update(
    env_json(
        "MATCHING_DEFAULT_WEIGHTS",
        {},
        _weights,
        f"a JSON object of weights from 0 to 100, not all zero, for "
        f"{', '.join(MATCHING_DEFAULT_WEIGHTS)}",
    )
)
MATCHING_DISTANCE_HALF_KM = float(os.environ.get("MATCHING_DISTANCE_HALF_KM", 20))
MATCHING_DEFAULT_LANGUAGES: dict[str, list[str]] = env_json(
    "MATCHING_DEFAULT_LANGUAGES",
    {"BY": ["ru", "be"], "BG": ["bg"]},
    _mapping_of(lambda codes: isinstance(codes, list) and all(isinstance(c, str) for c in codes)),
    'a JSON object of country codes, each a list of language codes ({"BY": ["ru", "be"]})',
)
MATCHING_EXACT_PAIRS = int(os.environ.get("MATCHING_EXACT_PAIRS", 20_000))
MATCHING_TIME_LIMIT_SECONDS = float(os.environ.get("MATCHING_TIME_LIMIT_SECONDS", 60))

# API bearer tokens live this long after issue.
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", 12))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if HOMEWARD_ENV != "production"
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The mail server for notices (referral escalations): see README's configuration table.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "homeward@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
