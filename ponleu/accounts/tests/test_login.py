"""The two-step login: lockout and its doubling, the per-address limit, identical answers,
session id rotation, and no way around the second factor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.accounts import services, session_keys, throttle
from ponleu.accounts.models import AddressLockout, LoginAttempt, UserSession
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership
from ponleu.testing.world import TEST_PASSWORD, make_user

from .conftest import IP, T0, authenticator_code, full_login, password_step, worst_day, worst_hour

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _locked(user) -> bool:
    """Locked as a whole (wrong second-factor codes)."""
    user.refresh_from_db()
    return user.is_locked()


def _pair(user, ip=IP) -> AddressLockout | None:
    return AddressLockout.objects.filter(user=user, address=ip or "").first()


def _address_locked(user, ip=IP) -> bool:
    pair = _pair(user, ip)
    return pair is not None and pair.is_locked()


# --- lockout ------------------------------------------------------------------------------


def test_five_failures_lock_for_15_minutes_then_30_then_the_password_works_again(world):
    user = world.user("caseworker_a")
    with clock.frozen(T0) as t:
        for _ in range(4):
            assert services.password_check(username=user.username, password="wrong", ip=IP).user is None
        assert not _address_locked(user)
        services.password_check(username=user.username, password="wrong", ip=IP)
        assert _address_locked(user)
        assert _pair(user).locked_until == T0 + dt.timedelta(minutes=15)
        # While locked even the right password is refused, and trying does not extend the lock.
        t.advance(minutes=14, seconds=59)
        assert services.password_check(username=user.username, password=TEST_PASSWORD, ip=IP).user is None
        assert _pair(user).locked_until == T0 + dt.timedelta(minutes=15)
        t.advance(seconds=2)
        assert services.password_check(username=user.username, password=TEST_PASSWORD, ip=IP).user == user

        # The second lockout (no completed login in between) lasts twice as long.
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=IP)
        assert _pair(user).locked_until - clock.now() == dt.timedelta(minutes=30)
        t.advance(minutes=30, seconds=1)
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=IP)
        assert _pair(user).locked_until - clock.now() == dt.timedelta(minutes=60)
    actions = list(AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", flat=True))
    assert actions.count("accounts.user.locked_out") == 3
    assert not _locked(user)  # the account itself is not locked: only this address is


def test_lockouts_stop_doubling_at_a_day():
    assert throttle.lockout_duration(0) == dt.timedelta(minutes=15)
    assert throttle.lockout_duration(1) == dt.timedelta(minutes=30)
    assert throttle.lockout_duration(3) == dt.timedelta(hours=2)
    assert throttle.lockout_duration(50) == dt.timedelta(hours=24)


def test_a_completed_login_resets_the_doubling(world):
    user = world.user("teacher")
    with clock.frozen(T0) as t:
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=IP)
        t.advance(minutes=16)
        full_login(Client(), user)
        user.refresh_from_db()
        assert (user.failed_codes, user.lockouts, user.locked_until) == (0, 0, None)
        assert _pair(user) is None
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=IP)
        assert _pair(user).locked_until - clock.now() == dt.timedelta(minutes=15)


def test_the_owner_logging_in_elsewhere_does_not_reset_a_guessers_doubling(world):
    user = world.user("teacher")
    guesser = "198.51.100.200"
    with clock.frozen(T0) as t:
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=guesser)
        full_login(Client(), user, ip="203.0.113.20")
        t.advance(minutes=16)
        for _ in range(5):
            services.password_check(username=user.username, password="wrong", ip=guesser)
        assert _pair(user, guesser).locked_until - clock.now() == dt.timedelta(minutes=30)


def test_wrong_codes_after_the_right_password_count_towards_the_lockout(world, client):
    user = world.user("supervisor")
    with clock.frozen(T0):
        password_step(client, user.username)
        for _ in range(4):
            response = client.post(reverse("accounts:verify"), {"code": "000000"})
            assert response.status_code == 200
        response = client.post(reverse("accounts:verify"), {"code": "000000"})
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert _locked(user)
        # The pending password step is gone: a right code now leads back to the login page.
        response = client.post(reverse("accounts:verify"), {"code": authenticator_code(user)})
        assert response["Location"] == LOGIN
        assert "_auth_user_id" not in client.session


# --- the per-address limit --------------------------------------------------------------


# 10,000 guesses through the throttle's counts: the SQLite phase of `make test` is enough (the
# PostgreSQL-only test of parallel guesses covers what differs between the two databases).
@pytest.mark.one_database_phase("sqlite")
def test_a_10000_guess_attack_gets_at_most_20_checks_an_hour_and_50_a_day(world, count_verifications):
    user = world.user("caseworker_b")
    targets = [user.username, "admin", "caseworker_b", "root", "dpo"]
    guesses = 10_000
    step = dt.timedelta(days=1) / guesses  # one guess every 8.64 seconds for a whole day
    with clock.frozen(T0) as t:
        for i in range(guesses):
            services.password_check(username=targets[i % len(targets)], password=f"guess-{i}", ip=IP)
            t.advance(seconds=step.total_seconds())
    user.refresh_from_db()
    times = [at for at, _encoded in count_verifications]
    checks = [at for at, encoded in count_verifications if encoded == user.password]
    print(  # noqa: T201
        f"10,000 guesses in 24 h from one address: {len(checks)} checks of the password"
        f" (at most {worst_hour(checks)} in an hour), {len(times)} verifications in all"
    )
    assert worst_hour(checks) <= 20
    assert worst_day(checks) <= 50
    assert worst_hour(times) <= settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR
    assert len(times) <= settings.PONLEU_LOGIN_IP_LIMIT_PER_DAY
    assert LoginAttempt.objects.filter(ip=IP).count() == len(times)  # refused guesses leave no row
    # Another address is not affected, and the account itself is only locked, not broken.
    with clock.frozen(T0 + dt.timedelta(days=2)):
        assert services.password_check(username=user.username, password=TEST_PASSWORD, ip="203.0.113.9").user


def test_the_limit_applies_through_the_login_page_without_any_verification(
    world, client, count_verifications
):
    limit = settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR
    with clock.frozen(T0):
        for i in range(limit + 5):
            password_step(client, "nobody", f"guess-{i}")
    assert len(count_verifications) == limit


# --- one answer for everyone ------------------------------------------------------------


def _normalised(response, typed_username: str) -> bytes:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', body)
    body = re.sub(r'nonce="[^"]+"', 'nonce=""', body)
    # The page echoes what was typed into the username box, whoever it names.
    body = body.replace(f'value="{typed_username}"', 'value="TYPED"')
    return body.encode()


def test_every_refusal_of_the_password_step_looks_the_same(world):
    """Unknown user, wrong password, an address locked out of the account, an account locked
    by wrong codes, an account over its limit and an address over its limit: one answer."""
    for _ in range(5):
        services.password_check(username="field_worker", password="wrong", ip="203.0.113.3")
    assert _address_locked(world.user("field_worker"), "203.0.113.3")
    code_locked = world.user("teacher")
    for _ in range(5):
        services.second_factor_failed(user=code_locked)
    assert _locked(code_locked)
    for i in range(20):  # four wrong passwords from each of five addresses: nobody locked out
        services.password_check(username="supervisor", password="wrong", ip=f"198.51.100.{i // 4}")
    for _ in range(settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR):
        services.password_check(username="x", password="y", ip="203.0.113.4")
    cases = {
        "unknown user": ("no_such_person", "whatever-password-1", "203.0.113.1"),
        "wrong password": ("caseworker_a", "whatever-password-1", "203.0.113.2"),
        "address locked out": ("field_worker", TEST_PASSWORD, "203.0.113.3"),
        "account locked": ("teacher", TEST_PASSWORD, "203.0.113.5"),
        "account over its limit": ("supervisor", TEST_PASSWORD, "203.0.113.6"),
        "throttled address": ("caseworker_a", TEST_PASSWORD, "203.0.113.4"),
    }
    answers = {}
    for label, (username, password, ip) in cases.items():
        response = password_step(Client(), username, password, ip=ip)
        answers[label] = (
            response.status_code,
            sorted(response.cookies.keys()),
            response["Content-Type"],
            _normalised(response, username),
        )
    first = answers["unknown user"]
    assert first[0] == 200
    for label, answer in answers.items():
        assert answer == first, label
    # The right password works again for each, once its wait is over (a day covers them all).
    with clock.frozen(clock.now() + dt.timedelta(days=1, minutes=1)):
        for username in ("field_worker", "teacher", "supervisor"):
            assert services.password_check(username=username, password=TEST_PASSWORD, ip="203.0.113.3").user


# --- session id rotation and the second factor -------------------------------------------


def test_the_session_id_changes_at_the_password_step_and_again_at_completion(world):
    user = world.user("caseworker_a")
    client = Client()
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    password_step(client, user.username)
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != planted.session_key
    assert not SessionStore().exists(planted.session_key)

    client.post(reverse("accounts:verify"), {"code": authenticator_code(user)})
    after_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_code not in (after_password, planted.session_key)
    assert not SessionStore().exists(after_password)
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_a_password_alone_reaches_nothing(world, client):
    user = world.user("supervisor")
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith(LOGIN)
    assert client.get(reverse("accounts:devices")).status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    # A user who already has an authenticator cannot enrol a new one to get around it.
    assert client.get(reverse("accounts:enrol"))["Location"] == LOGIN


def test_a_session_logged_in_without_the_second_factor_is_ended(world, client):
    """Any path that logs a user in with a password only (Django's own forms) gets nowhere."""
    user = world.user("dpo")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 401
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_pending_password_step_expires(world, client):
    user = world.user("caseworker_b")
    with clock.frozen(T0) as t:
        password_step(client, user.username)
        t.advance(minutes=6)
        response = client.post(reverse("accounts:verify"), {"code": authenticator_code(user)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


# --- the whole journey ------------------------------------------------------------------


def test_login_with_an_authenticator_code_keeps_the_next_page(world, client):
    user = world.user("caseworker_a")
    response = client.post(
        LOGIN + "?next=/accounts/devices/%3Fa%3D1%26b%3D2",
        {"username": user.username.upper(), "password": TEST_PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("accounts:verify") + "?next=%2Faccounts%2Fdevices%2F%3Fa%3D1%26b%3D2"
    )
    response = client.post(response["Location"], {"code": authenticator_code(user)})
    assert response["Location"] == "/accounts/devices/?a=1&b=2"
    assert client.get(reverse("accounts:devices")).status_code == 200
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="accounts.user.logged_in", target_id=str(user.pk)).exists()


def test_login_refuses_an_outside_next_page(world, client):
    user = world.user("caseworker_a")
    password_step(client, user.username)
    response = client.post(
        reverse("accounts:verify") + "?next=https://evil.example/", {"code": authenticator_code(user)}
    )
    assert response["Location"] == reverse("web:home")


def test_a_recovery_code_works_once(world):
    user = world.user("org_admin")
    device = StaticDevice.objects.create(user=user, name="recovery")
    StaticToken.objects.create(device=device, token="a1b2c3d4e5")
    client = Client()
    password_step(client, user.username)
    response = client.post(reverse("accounts:verify"), {"code": "A1B2C3D4E5"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    other = Client()
    password_step(other, user.username)
    response = other.post(reverse("accounts:verify"), {"code": "a1b2c3d4e5"})
    assert response.status_code == 200
    with translation.override(response["Content-Language"]):
        assert gettext("That code is not valid.") in response.content.decode()


def test_first_login_enrols_the_authenticator_and_shows_recovery_codes(world, client):
    user = make_user("new_worker", with_totp=False)
    Membership.objects.create(user=user, organisation=world.org, role=Role.FIELD_WORKER)
    response = password_step(client, user.username)
    assert response["Location"] == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "<?xml" not in html
    assert 'for="id_code"' in html
    key = bytes.fromhex(client.session[session_keys.ENROL_KEY])
    assert client.post(reverse("accounts:enrol"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("accounts:enrol"), {"code": f"{TOTP(key).token():06d}"})
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 10
    for token in StaticToken.objects.filter(device__user=user):
        assert token.token in response.content.decode()
    assert TOTPDevice.objects.get(user=user).confirmed
    assert session_keys.ENROL_KEY not in client.session
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_khmer_digits_are_accepted_in_codes(world, client):
    user = world.user("caseworker_b")
    password_step(client, user.username)
    code = authenticator_code(user).translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


@pytest.mark.postgres_only
def test_parallel_guesses_from_one_address_still_stop_at_the_address_limit(db, count_verifications):
    """Eight threads guess at once; the limit holds because each check-and-count is serialised.

    The threads have their own connections, so their rows are committed: the test uses
    unknown usernames (no audit rows) and deletes its LoginAttempt rows itself.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer already; threads on its in-memory test database lock up")
    address = "203.0.113.77"

    def in_own_connection(work):
        try:
            return work()
        finally:
            connection.close()

    def guess(i):
        return in_own_connection(
            lambda: services.password_check(username=f"nobody-{i}", password=f"parallel-{i}", ip=address)
        )

    try:
        with clock.frozen(T0), ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(guess, range(settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR + 60)))
            rows = pool.submit(
                in_own_connection, lambda: LoginAttempt.objects.filter(ip=address).count()
            ).result()
    finally:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(in_own_connection, lambda: LoginAttempt.objects.filter(ip=address).delete()).result()
    assert len(count_verifications) <= settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR
    assert rows == len(count_verifications)
