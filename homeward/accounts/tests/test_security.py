"""Logging in: second factor, lockout, idle sessions, logging out everywhere, API tokens."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, login, otp_code, second_factor
from homeward.accounts.models import ApiToken
from homeward.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def password_login(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_without_the_second_factor_no_child_data_is_reachable(cast, register_child):
    child = register_child()
    client = password_login(cast.case_manager_a)
    for path in ["/children/", f"/children/{child.uuid}/", "/institutions/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/")


def test_first_login_enrols_an_authenticator_and_shows_recovery_codes(cast):
    client = password_login(cast.case_manager_a)
    page = client.get("/accounts/two-factor/?next=/children/")
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=cast.case_manager_a, confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/children/"})
    assert wrong.status_code == 422
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    done = client.post("/accounts/two-factor/", {"code": f"{code:06d}", "next": "/children/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get("/children/").status_code == 200


def test_a_recovery_code_works_once(cast):
    second_factor(cast.case_manager_a)
    code = otp_code(cast.case_manager_a)
    first = password_login(cast.case_manager_a)
    assert first.post("/accounts/two-factor/", {"code": code}).status_code == 302
    assert first.get("/children/").status_code == 200
    second = password_login(cast.case_manager_a)
    assert second.post("/accounts/two-factor/", {"code": code}).status_code == 422


def test_ten_wrong_passwords_lock_the_account(cast):
    client = Client()
    for _attempt in range(10):
        client.post("/accounts/login/", {"username": "cm_a", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "cm_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Account locked" in locked.content
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 10
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_the_token_endpoint_locks_too(cast):
    client = Client()
    for _attempt in range(10):
        client.post(
            "/api/v1/auth/token",
            {"username": "cm_a", "password": "wrong"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "cm_a", "password": PASSWORD, "otp": otp_code(cast.case_manager_a)},
        content_type="application/json",
    )
    assert response.status_code in {403, 429}
    assert not ApiToken.objects.exists()


def test_the_api_token_needs_the_second_factor(cast):
    second_factor(cast.case_manager_a)
    client = Client()
    body = {"username": "cm_a", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert missing.status_code == 401
    assert "second-factor" in missing.json()["detail"]
    wrong = client.post(
        "/api/v1/auth/token", {**body, "otp": "123456"}, content_type="application/json"
    )
    assert wrong.status_code == 401
    right = client.post(
        "/api/v1/auth/token",
        {**body, "otp": otp_code(cast.case_manager_a)},
        content_type="application/json",
    )
    assert right.status_code == 200


def test_a_revoked_token_stops_working(cast):
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "cm_a", "password": PASSWORD, "otp": otp_code(cast.case_manager_a)},
        content_type="application/json",
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/children", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/children", headers=headers).status_code == 401


def test_log_out_everywhere_ends_other_sessions_and_tokens(cast):
    phone = login(cast.case_manager_a)
    laptop = login(cast.case_manager_a)
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "cm_a", "password": PASSWORD, "otp": otp_code(cast.case_manager_a)},
            content_type="application/json",
        )
        .json()["token"]
    )
    assert phone.get("/children/").status_code == 200
    laptop.post("/accounts/security/logout-everywhere/")
    assert phone.get("/children/").status_code == 302
    assert (
        Client().get("/api/v1/children", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_sessions_end_after_inactivity_and_requests_renew_them(settings, cast, monkeypatch):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = login(cast.case_manager_a)
    clock = [time.time()]
    monkeypatch.setattr("homeward.accounts.security.time.time", lambda: clock[0])

    def expires() -> datetime.datetime:
        return Session.objects.get(session_key=client.session.session_key).expire_date

    assert client.get("/children/").status_code == 200
    first = expires()
    # within the renewal interval a request writes nothing to the session table
    clock[0] += settings.SESSION_RENEW_SECONDS - 5
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/children/").status_code == 200
    assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries)
    assert expires() == first
    # past it, the request moves the expiry
    clock[0] += 10
    client.get("/children/")
    assert expires() > first
    # an expired session is gone: the next request goes to the login page
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/children/").status_code == 302


def test_security_headers_and_cookies(cast):
    response = login(cast.case_manager_a).get("/accounts/security/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_stale_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "cm_a", "password": PASSWORD})
    assert response.status_code == 403
