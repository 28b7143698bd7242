"""Every URL declares its permission; anonymous visitors reach only the public ones."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.access.urlmap import PUBLIC, URL_PERMISSIONS, declaration_for


def walk(patterns: Sequence[object], namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            nested = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, nested or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            yield (f"{namespace}:{name}" if namespace else name), str(pattern.pattern)


def test_every_url_pattern_declares_a_permission():
    # An unnamed pattern (Django admin has a few) is covered only by its namespace's "ns:*".
    missing = [
        (name, route)
        for name, route in walk(get_resolver().url_patterns)
        if declaration_for(name + ("unnamed" if name.endswith(":") else "")) is None
    ]
    assert missing == []


def test_the_map_names_only_existing_urls():
    names = {name for name, _route in walk(get_resolver().url_patterns)}
    stale = [name for name in URL_PERMISSIONS if not name.endswith(":*") and name not in names]
    assert stale == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/children/", "/children/new/", "/children/households/", "/institutions/", "/admin/"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/children", "/api/v1/institutions", "/api/v1/locations"])
def test_anonymous_api_calls_get_401(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_public_urls_are_few():
    public = sorted(name for name, rule in URL_PERMISSIONS.items() if rule == PUBLIC)
    assert public == [
        "accounts:login",
        "accounts:logout",
        "api:api-root",
        "api:openapi-json",
        "api:openapi-view",
        "healthz",
        "set_language",
    ]


def test_each_role_starts_where_its_work_is(cast):
    from conftest import login, make_user
    from homeward.access.roles import Role

    foster_worker = make_user("fcw_start", cast.agency_a, Role.FOSTER_CARE_WORKER)
    starts = {
        cast.case_manager_a: "/cases/my-work/",
        cast.supervisor_a: "/cases/my-work/",
        foster_worker: "/carers/dashboard/",
        cast.working_group: "/children/",
        cast.institution_staff: "/children/",
        cast.analyst: "/indicators/",
    }
    for user, start in starts.items():
        assert login(user).get("/")["Location"] == start, user.username
    assert login(cast.admin).get("/").status_code == 200
