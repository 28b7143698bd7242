"""The fixed cast of users and agencies every test reuses, and shared fixtures."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings

from homeward.access.roles import Role
from homeward.accounts.models import Agency, AgencyKind, Membership, Team, User
from homeward.geo.loader import locations_load
from homeward.geo.models import Location
from homeward.institutions.models import Institution

# Property tests check what is generated, not how fast: on a shared machine (two test workers,
# a database beside them) generation and examples can pause, which is no failure.
settings.register_profile("homeward", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("homeward")

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English: a request in another language leaves it active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def geo(db: None) -> None:
    """The location tree from the repository's data file (loaded once per database)."""
    if not Location.objects.filter(code="BY-VI").exists():
        locations_load()


def make_agency(code: str, name: str, kind: str, area: str, parent: Agency | None) -> Agency:
    return Agency.objects.create(
        code=code,
        name=name,
        kind=kind,
        area=Location.objects.get(code=area),
        parent=parent,
        path=f"{parent.path}/{code}" if parent else code,
    )


def make_user(username: str, agency: Agency, role: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    Membership.objects.create(user=user, agency=agency, role=role, **extra)
    return user


@dataclass
class Cast:
    region_a: Agency
    agency_a: Agency
    agency_b: Agency
    institution: Institution
    case_manager_a: User
    supervisor_a: User
    case_manager_b: User
    working_group: User
    analyst: User
    admin: User
    institution_staff: User


@pytest.fixture
def cast(geo: None) -> Cast:
    """Agency A in Vitebsk district, agency B in Gomel district, and one user per role."""
    ministry = make_agency("BY-MOE", "Министерство образования", AgencyKind.MINISTRY, "BY", None)
    region_a = make_agency(
        "BY-VI-EDU", "Витебский облисполком", AgencyKind.REGIONAL_BODY, "BY-VI", ministry
    )
    vitebsk_district = Location.objects.filter(parent__code="BY-VI", level="district").first()
    gomel_district = Location.objects.filter(parent__code="BY-HO", level="district").first()
    assert vitebsk_district and gomel_district
    agency_a = make_agency(
        "A-SEC",
        "СПЦ района A",
        AgencyKind.SOCIAL_EDUCATIONAL_CENTRE,
        vitebsk_district.code,
        region_a,
    )
    region_b = make_agency(
        "BY-HO-EDU", "Гомельский облисполком", AgencyKind.REGIONAL_BODY, "BY-HO", ministry
    )
    agency_b = make_agency(
        "B-SEC", "СПЦ района B", AgencyKind.SOCIAL_EDUCATIONAL_CENTRE, gomel_district.code, region_b
    )
    institution = Institution.objects.create(
        code="INST-A",
        name="Дом ребёнка A",
        kind="infant_home",
        agency=region_a,
        location=vitebsk_district,
        capacity=40,
    )
    team = Team.objects.create(agency=agency_a, name="Team A")
    return Cast(
        region_a=region_a,
        agency_a=agency_a,
        agency_b=agency_b,
        institution=institution,
        case_manager_a=make_user("cm_a", agency_a, Role.CASE_MANAGER, team=team),
        supervisor_a=make_user("sup_a", agency_a, Role.SUPERVISOR, team=team),
        case_manager_b=make_user("cm_b", agency_b, Role.CASE_MANAGER),
        working_group=make_user("wg", agency_a, Role.WORKING_GROUP_MEMBER),
        analyst=make_user("analyst", ministry, Role.ANALYST),
        admin=_admin(ministry),
        institution_staff=make_user(
            "staff", region_a, Role.INSTITUTION_STAFF, institution=institution
        ),
    )


def _admin(agency: Agency) -> User:
    user = User.objects.create_user(
        username="admin", password=PASSWORD, is_staff=True, is_superuser=True
    )
    Membership.objects.create(user=user, agency=agency, role=Role.SYSTEM_ADMIN)
    return user


def second_factor(user: User) -> Any:
    """The user's authenticator, enrolled and confirmed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device


def otp_code(user: User) -> str:
    """A fresh single-use code for the user (a recovery code; TOTP codes are single-use too)."""
    import secrets

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    second_factor(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    code = f"{secrets.randbelow(10**10):010d}"
    StaticToken.objects.create(device=device, token=code)
    return code


def login(user: User) -> Client:
    """A client signed in with both factors."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
    session.save()
    return client


CHILD_DEFAULTS: dict[str, Any] = {
    "family_name": "Иванов",
    "given_name": "Алексей",
    "patronymic": "Сергеевич",
    "sex": "M",
    "date_of_birth": datetime.date(2015, 3, 14),
}


def child_data(agency: Agency, **overrides: Any) -> dict[str, Any]:
    """Registration data for a child living in the agency's area."""
    data = dict(CHILD_DEFAULTS)
    data["home_location"] = agency.area
    data.update(overrides)
    return data


@pytest.fixture
def register_child(cast: Cast) -> Any:
    """Register a child through the action, in agency A by default."""
    from homeward.registry.actions import child_register

    def register(agency: Agency | None = None, actor: User | None = None, **fields: Any) -> Any:
        agency = agency or cast.agency_a
        actor = actor or (cast.case_manager_b if agency == cast.agency_b else cast.case_manager_a)
        return child_register(actor=actor, agency=agency, data=child_data(agency, **fields))

    return register


@pytest.fixture
def put_placement() -> Any:
    """Store a placement as given (a past one, ended or not, without the checks of the care
    actions) and work out the indicators' episode facts of its child, as the actions do."""
    from homeward.care.models import Placement
    from homeward.indicators.facts import refresh

    def put(**fields: Any) -> Any:
        placement = Placement.objects.create(**fields)
        refresh([placement.child_id])
        return placement

    return put


# --- browser tests ---------------------------------------------------------------------------

# Playwright's sync API runs an event loop in this thread; the live server runs in another.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    executable = path if Path(path).exists() else None  # else Playwright's own Chromium
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if is_unexpected(m) else None)
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def is_unexpected(message: Any) -> bool:
    """A console error, other than the browser's note of a form answered 422 (invalid input)."""
    return bool(message.type == "error" and "status of 422" not in message.text)


def browser_login(page: Any, base_url: str, user: User) -> None:
    """Log in through the pages, with a recovery code as the second factor."""
    code = otp_code(user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
