"""Login throttling by the real client address: per (account, address), per account and per
address, behind a reverse proxy as well as directly; the second factor's own counter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from ponleu.accounts import services
from ponleu.accounts.models import LoginAttempt
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.testing.world import TEST_PASSWORD, make_member

from .conftest import T0, authenticator_code, password_step, worst_day, worst_hour

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
PROXY = "10.0.0.2"  # nginx in front of Ponleu
PROXIES = ["10.0.0.0/24"]


def _through_proxy(client, path, data, client_address):
    return client.post(path, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def _logs_in(user, *, ip, via_proxy=False) -> bool:
    client = Client()
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ip} if via_proxy else {"REMOTE_ADDR": ip}
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD}, **extra)
    if response.status_code != 302:
        return False
    response = client.post(VERIFY, {"code": authenticator_code(user)}, **extra)
    return response.status_code == 302 and "_auth_user_id" in client.session


# --- behind a reverse proxy --------------------------------------------------------------


@override_settings(PONLEU_TRUSTED_PROXIES=PROXIES)
def test_behind_a_trusted_proxy_strangers_guessing_do_not_lock_everyone_out(world):
    with clock.frozen(T0):
        for i in range(40):
            _through_proxy(
                Client(),
                LOGIN,
                {"username": f"nobody{i}", "password": "guess-1234567"},
                f"198.51.100.{i + 1}",
            )
        assert _logs_in(world.user("caseworker_a"), ip="203.0.113.50", via_proxy=True)
    # Each stranger is counted under their own address, none under the proxy's.
    assert LoginAttempt.objects.filter(ip="198.51.100.7").count() == 1
    assert not LoginAttempt.objects.filter(ip=PROXY).exists()


@override_settings(PONLEU_TRUSTED_PROXIES=PROXIES)
def test_the_audit_trail_names_the_client_behind_the_proxy(world):
    user = world.user("teacher")
    assert _logs_in(user, ip="203.0.113.60", via_proxy=True)
    event = AuditEvent.objects.get(action="accounts.user.logged_in", target_id=str(user.pk))
    assert event.ip == "203.0.113.60"


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(world):
    """Without the setting (or from any other peer) X-Forwarded-For is the client's own claim."""
    client = Client()
    for i in range(3):
        client.post(
            LOGIN,
            {"username": "nobody", "password": "guess-1234567"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert LoginAttempt.objects.filter(ip="198.51.100.9").count() == 3
    with override_settings(PONLEU_TRUSTED_PROXIES=PROXIES):
        client.post(
            LOGIN,
            {"username": "nobody", "password": "guess-1234567"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        )
    assert LoginAttempt.objects.filter(ip="198.51.100.9").count() == 4
    assert not LoginAttempt.objects.filter(ip__startswith="203.0.113.").exists()


# --- one shared address ------------------------------------------------------------------


def test_a_busy_office_behind_one_address_is_not_locked_out_by_its_own_typos(world):
    """Forty colleagues share one public address; in one hour 60 of their logins are mistyped."""
    office = "203.0.113.80"
    staff = [make_member(world.org, f"staff{i:02d}", "field_worker") for i in range(40)]
    with clock.frozen(T0) as t:
        for i in range(60):
            services.password_check(
                username=staff[i % 40].user.username, password="typo-typo-typo", ip=office
            )
            t.advance(seconds=50)
        assert _logs_in(world.user("caseworker_b"), ip=office)
        assert _logs_in(staff[0].user, ip=office)


def test_five_wrong_passwords_from_one_address_lock_out_that_address_only(world):
    user = world.user("supervisor")
    attacker, owner = "198.51.100.66", "203.0.113.10"
    with clock.frozen(T0):
        for _ in range(5):
            assert services.password_check(username=user.username, password="wrong", ip=attacker).user is None
        # Even the right password is refused from the attacker's address now...
        assert (
            services.password_check(username=user.username, password=TEST_PASSWORD, ip=attacker).user is None
        )
        # ...while the owner, elsewhere, still logs in.
        assert _logs_in(user, ip=owner)


# --- the second factor ------------------------------------------------------------------


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(world):
    """Someone who has the password must not get endless code guesses by logging in again."""
    user = world.user("caseworker_a")
    client = Client()
    with clock.frozen(T0):
        for _round in range(2):
            password_step(client, user.username)
            for _ in range(2):
                assert client.post(VERIFY, {"code": "000000"}).status_code == 200
        password_step(client, user.username)
        response = client.post(VERIFY, {"code": "000000"})  # the fifth wrong code in all
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        user.refresh_from_db()
        assert user.is_locked()
        assert user.locked_until == T0 + dt.timedelta(minutes=15)
        assert not _logs_in(user, ip="203.0.113.11")
    with clock.frozen(T0 + dt.timedelta(minutes=16)):
        assert _logs_in(user, ip="203.0.113.11")


# --- the attack budgets (security goal E) -----------------------------------------------


def _guess_for_a_day(user, addresses, *, guesses=10_000):
    step = dt.timedelta(days=1).total_seconds() / guesses
    with clock.frozen(T0) as t:
        for i in range(guesses):
            services.password_check(username=user.username, password=f"guess-{i}", ip=addresses(i))
            t.advance(seconds=step)


def _real_checks(seen, user) -> list[dt.datetime]:
    """The verifications against this account's own hash: the guesses that could succeed."""
    user.refresh_from_db()
    return [at for at, encoded in seen if encoded == user.password]


# 10,000 guesses through the throttle's counts: the SQLite phase of `make test` is enough (the
# PostgreSQL-only test of parallel guesses covers what differs between the two databases).
@pytest.mark.one_database_phase("sqlite")
def test_10000_guesses_from_10000_addresses_check_the_password_at_most_20_times_an_hour_50_a_day(
    world, count_verifications
):
    user = world.user("dpo")
    _guess_for_a_day(user, lambda i: f"2001:db8:{i // 256:x}::{i % 256:x}")
    checks = _real_checks(count_verifications, user)
    print(  # noqa: T201 - the figures are the point
        f"10,000 guesses from 10,000 addresses: {len(checks)} checks, at most {worst_hour(checks)} in an hour"
    )
    assert worst_hour(checks) <= 20
    assert worst_day(checks) <= 50


# 10,000 guesses through the throttle's counts: the SQLite phase of `make test` is enough (the
# PostgreSQL-only test of parallel guesses covers what differs between the two databases).
@pytest.mark.one_database_phase("sqlite")
def test_password_spraying_from_one_address_is_held_to_the_address_limit(world, count_verifications):
    accounts = [make_member(world.org, f"target{i}", "caseworker").user for i in range(10)]
    step = dt.timedelta(days=1).total_seconds() / 10_000
    with clock.frozen(T0) as t:
        for i in range(10_000):
            services.password_check(
                username=accounts[i % 10].username, password=f"guess-{i}", ip="198.51.100.5"
            )
            t.advance(seconds=step)
    times = [at for at, _encoded in count_verifications]
    print(  # noqa: T201 - the figures are the point
        f"10,000 guesses over 10 accounts from one address: {len(times)} verifications,"
        f" at most {worst_hour(times)} in an hour"
    )
    assert worst_hour(times) <= 100
    assert len(times) <= 500
    for account in accounts:
        checks = _real_checks(count_verifications, account)
        assert worst_hour(checks) <= 20
        assert worst_day(checks) <= 50
