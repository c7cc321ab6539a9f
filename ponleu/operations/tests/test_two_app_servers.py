"""Two app servers, one database: whatever a user does on one, the other knows.

Two real ``ponleu serve`` processes (no shared memory) over one database and one file store,
as behind a load balancer (docs/operations/scale.md): a login on the first is a login on the
second, its CSRF token is good on both, a read on either is audited in the one chain, and the
login throttle counts failures on both together.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.audit.models import AccessEvent
from ponleu.operations import database_copy
from ponleu.testing.world import TEST_PASSWORD

# Several app servers are a production shape, so `make test` runs this in its PostgreSQL phase.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.heavy,
    pytest.mark.one_database_phase("postgresql"),
]
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def shared_database(tmp_path, people):
    """The URL of one database both servers use: the test database itself, or a file copy of the
    in-memory SQLite test database."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    database_copy.dump("default", tmp_path)
    return f"sqlite:///{tmp_path / database_copy.SQLITE_FILE}"


def _reads_recorded(shared_database: str) -> int:
    if connection.vendor == "postgresql":
        return AccessEvent.objects.count()
    path = shared_database.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM audit_accessevent").fetchone()[0]


@pytest.fixture
def two_servers(tmp_path, shared_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": shared_database,
        "PONLEU_VAR_DIR": str(tmp_path / "shared-var"),
        "PONLEU_ENCRYPTION_KEYS": settings.PONLEU_ENCRYPTION_KEYS,
        "SECRET_KEY": settings.SECRET_KEY,
    }
    servers = []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ponleu.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--threads",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers.append((process, f"http://127.0.0.1:{port}"))
    try:
        # Generous: on a machine shared with other work a server can take a minute to start.
        deadline = time.monotonic() + 180
        for process, url in servers:
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{url}/healthz", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.25)
            else:
                process.kill()
                pytest.fail(f"the server at {url} did not start: {process.stderr.read().decode()[-2000:]}")
        yield [url for _, url in servers]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)


def _csrf(session: requests.Session, url: str, path: str) -> str:
    page = session.get(url + path).text
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_two_servers_share_logins_audit_and_the_throttle(world, people, two_servers, shared_database):
    first, second = two_servers
    user = world.user("caseworker_a")
    browser = requests.Session()
    token = _csrf(browser, first, "/accounts/login/")
    answer = browser.post(
        f"{first}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": user.username, "password": TEST_PASSWORD},
        headers={"Referer": f"{first}/accounts/login/"},
    )
    assert answer.url.endswith("/accounts/login/verify/")
    device = TOTPDevice.objects.get(user=user)
    token = answer.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # The second factor is given to the other server: the half-done login is in the shared session.
    answer = browser.post(
        f"{second}/accounts/login/verify/",
        {"csrfmiddlewaretoken": token, "code": f"{totp(device.bin_key):06d}"},
        headers={"Referer": f"{second}/accounts/login/verify/"},
    )
    assert answer.status_code == 200
    assert "logout" in answer.text

    reads_before = _reads_recorded(shared_database)
    child = people[1]
    for url in (first, second):
        page = browser.get(f"{url}/people/{child.pk}/")
        assert page.status_code == 200
        assert child.given_name_latin in page.text
    assert _reads_recorded(shared_database) >= reads_before + 2

    token = _csrf(browser, first, "/")
    assert browser.post(
        f"{second}/accounts/logout/", {"csrfmiddlewaretoken": token}, headers={"Referer": f"{second}/"}
    ).url.endswith("/accounts/login/")
    assert browser.get(f"{first}/people/{child.pk}/").url.startswith(f"{first}/accounts/login/")

    _failed_logins_are_counted_across_both_servers(world, two_servers)


def _failed_logins_are_counted_across_both_servers(world, two_servers):
    first, second = two_servers
    user = world.user("caseworker_b")
    browser = requests.Session()
    for attempt in range(settings.PONLEU_LOGIN_MAX_FAILURES):
        url = two_servers[attempt % 2]
        token = _csrf(browser, url, "/accounts/login/")
        browser.post(
            f"{url}/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": user.username, "password": "a-wrong-password-123"},
            headers={"Referer": f"{url}/accounts/login/"},
        )
    token = _csrf(browser, first, "/accounts/login/")
    answer = browser.post(
        f"{first}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": user.username, "password": TEST_PASSWORD},
        headers={"Referer": f"{first}/accounts/login/"},
    )
    assert not answer.url.endswith("/verify/"), "the fifth failure, on either server, locks the account out"
