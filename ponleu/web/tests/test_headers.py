"""Web hardening: the CSP and its nonces, no-store and the other headers, production cookies,
and Django's deploy check with no warning."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ponleu.accounts import services
from ponleu.accounts.tests.conftest import authenticator_code, full_login, password_step
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership
from ponleu.testing.world import TEST_PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[3]
FORBIDDEN_IN_CSP = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'")


# --- helpers ----------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[dict] = []
        self.inline_attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.styles.append(attributes)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.inline_attributes.append((tag, name))


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_hardened_html(response) -> None:
    """Every script and style element carries this response's nonce; no inline handlers."""
    assert response["Content-Type"].startswith("text/html")
    directives = _directives(response)
    nonces = [word for word in directives["script-src"] if word.startswith("'nonce-")]
    assert len(nonces) == 1, directives["script-src"]
    nonce = nonces[0][len("'nonce-") : -1]
    elements = _Elements()
    elements.feed(response.content.decode())
    assert elements.scripts, "the page loads at least htmx"
    for script in elements.scripts + elements.styles:
        assert script.get("nonce") == nonce, script
    assert elements.inline_attributes == []


def _assert_private(response) -> None:
    assert response["Cache-Control"] == "no-store"
    # Never a referrer to another site. ("no-referrer" would make browsers post forms with
    # `Origin: null`, which Django's CSRF check refuses; see config/settings/base.py.)
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


# --- rendered pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_script_on_the_login_pages_carries_the_headers_nonce(world):
    client = Client()
    _assert_hardened_html(client.get(reverse("accounts:login")))
    _assert_hardened_html(password_step(client, "nobody", "wrong-password-123"))  # the failure page
    password_step(client, "caseworker_a")
    _assert_hardened_html(client.get(reverse("accounts:verify")))

    newcomer = make_user("newcomer", with_totp=False)
    Membership.objects.create(user=newcomer, organisation=world.org, role=Role.TEACHER)
    enrolling = Client()
    password_step(enrolling, "newcomer")
    _assert_hardened_html(enrolling.get(reverse("accounts:enrol")))


@pytest.mark.django_db
def test_authenticated_pages_carry_nonces_and_no_store(world, login_as):
    client = login_as(world.user("org_admin"))
    pages = [
        client.get(reverse("web:home")),
        client.get(reverse("web:policy")),
        client.get(reverse("accounts:devices")),
        client.post(
            reverse("accounts:devices"),
            {"name": "Tablet", "capabilities": ["reports.view"], "password": TEST_PASSWORD},
        ),
    ]
    for response in pages:
        assert response.status_code in (200, 201), response.request["PATH_INFO"]
        _assert_hardened_html(response)
        _assert_private(response)


@pytest.mark.django_db
def test_the_csp_is_nonce_based_and_closes_everything_else():
    response = Client().get(reverse("accounts:login"))
    header = response["Content-Security-Policy"]
    for token in FORBIDDEN_IN_CSP:
        assert token not in header
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert set(directives["script-src"]) - {"'self'"} == {
        w for w in directives["script-src"] if "nonce-" in w
    }
    for directive in ("script-src", "style-src", "default-src", "connect-src", "img-src"):
        assert "*" not in directives[directive]
        assert "http:" not in directives[directive]
        assert "https:" not in directives[directive]
    assert "data:" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["report-uri"] == [reverse("web:csp_report")]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_api_answers_are_never_stored_whether_by_session_or_token(world, login_as):
    issued = services.token_issue(
        actor=world.actor("caseworker_a"),
        membership=world.members["caseworker_a"],
        name="Phone",
        capabilities=["registry.view"],
        password=TEST_PASSWORD,
    )
    by_token = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    by_session = login_as(world.user("caseworker_a")).get("/api/v1/me")
    refused = Client().get("/api/v1/me")
    for response in (by_token, by_session, refused):
        _assert_private(response)
    assert (by_token.status_code, by_session.status_code, refused.status_code) == (200, 200, 401)


@pytest.mark.django_db
def test_anonymous_pages_are_not_stored_either(client):
    _assert_private(client.get(reverse("accounts:login")))
    _assert_private(client.get(reverse("web:home")))  # the redirect to the login page


# --- production settings ----------------------------------------------------------------


def _production_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("PONLEU_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
        )
    }
    env.update(
        {
            "PONLEU_MODE": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "ponleu.example.org",
            "DATABASE_URL": "postgres://ponleu@127.0.0.1:5432/ponleu",
            "PONLEU_ENCRYPTION_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "PONLEU_VAR_DIR": str(ROOT / "var" / "config-tests"),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
        }
    )
    return env


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = [
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_PATH", "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS", "DEBUG", "PASSWORD_HASHERS", "PASSWORD_RESET_TIMEOUT",
    "PONLEU_SESSION_IDLE_SECONDS", "PONLEU_SESSION_ABSOLUTE_SECONDS",
]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production():
    env = _production_env()
    check = subprocess.run(
        [sys.executable, "-m", "ponleu.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    dump = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert dump.returncode == 0, dump.stderr
    return check, json.loads(dump.stdout.strip().splitlines()[-1])


def test_production_passes_the_deploy_check_with_no_warning(production):
    check, _settings = production
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout
    assert "WARNING" not in check.stdout + check.stderr


def test_production_cookies_sessions_and_hsts(production):
    _check, prod = production
    assert prod["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert prod["CSRF_COOKIE_NAME"].startswith("__Host-")
    for cookie in ("SESSION", "CSRF"):
        # __Host- demands Secure, Path=/ and no Domain, or browsers drop the cookie.
        assert prod[f"{cookie}_COOKIE_SECURE"] is True
        assert prod[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert prod[f"{cookie}_COOKIE_SAMESITE"] in ("Lax", "Strict")
        assert prod[f"{cookie}_COOKIE_DOMAIN"] is None
        assert prod[f"{cookie}_COOKIE_PATH"] == "/"
    assert prod["LANGUAGE_COOKIE_SECURE"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_REFERRER_POLICY"] in ("no-referrer", "same-origin")
    assert prod["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    assert prod["DEBUG"] is False
    assert prod["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert prod["PASSWORD_RESET_TIMEOUT"] <= 30 * 60
    assert prod["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert prod["PONLEU_SESSION_IDLE_SECONDS"] <= 15 * 60
    assert prod["PONLEU_SESSION_ABSOLUTE_SECONDS"] <= 8 * 3600


@pytest.mark.django_db
def test_cookies_set_over_https_with_the_production_settings(world, production):
    """A real login over HTTPS with production's cookie settings: check what the browser gets."""
    _check, prod = production
    cookie_settings = {
        name: prod[name]
        for name in prod
        if name.startswith(("SESSION_COOKIE", "CSRF_COOKIE", "LANGUAGE_COOKIE", "SECURE_HSTS"))
    }
    with override_settings(**cookie_settings):
        client = Client()
        page = client.get(reverse("accounts:login"), secure=True)
        assert page["Strict-Transport-Security"].startswith(f"max-age={prod['SECURE_HSTS_SECONDS']}")
        user = world.user("caseworker_a")
        password_step(client, user.username, secure=True)
        client.post(reverse("accounts:verify"), {"code": authenticator_code(user)}, secure=True)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        csrf = client.cookies[settings.CSRF_COOKIE_NAME]
        language = client.cookies[settings.LANGUAGE_COOKIE_NAME]
        for cookie in (session, csrf):
            assert cookie.key.startswith("__Host-")
            assert cookie["path"] == "/"
            assert not cookie["domain"]
        for cookie in (session, csrf, language):
            assert cookie["secure"] is True
            assert cookie["httponly"] is True
            assert cookie["samesite"] == "Lax"
        # The session cookie dies with the browser; the server ends it sooner anyway.
        assert not session["max-age"]
        assert client.get(reverse("accounts:devices"), secure=True).status_code == 200


@pytest.mark.django_db
def test_headers_of_a_full_login_journey(world):
    client = Client()
    redirect = full_login(client, world.user("teacher"))
    _assert_private(redirect)
    _assert_private(client.get(reverse("accounts:devices")))
    assert re.fullmatch(r"[0-9a-f]{32}", client.get(reverse("accounts:devices"))["X-Request-Id"])
