"""Pruning login attempts: only what the throttle no longer reads, with the injected clock."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ponleu.access.actors import system_actor
from ponleu.accounts import services, throttle
from ponleu.accounts.models import AddressLockout, LoginAttempt, PasswordResetToken
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.testing.world import TEST_PASSWORD

from .conftest import T0

pytestmark = pytest.mark.django_db


def _attempt(ago: dt.timedelta, *, username="", ip="198.51.100.1", outcome="wrong"):
    LoginAttempt.objects.create(at=T0 - ago, ip=ip, username=username, outcome=outcome)


def test_the_throttle_reads_back_a_day():
    assert throttle.retention() == dt.timedelta(days=1)


def test_prune_deletes_attempts_older_than_the_throttle_reads_and_keeps_the_rest(world):
    user = world.user("caseworker_a")
    for hours in (24 * 7, 25, 24.01):
        _attempt(dt.timedelta(hours=hours))
    for hours in (23.99, 1, 0):
        _attempt(dt.timedelta(hours=hours))
    # Pair lockouts: quiet and unlocked for over a day / still remembered / still locked.
    AddressLockout.objects.create(
        user=user, address="198.51.100.1", lockouts=2, last_failure_at=T0 - dt.timedelta(days=3)
    )
    AddressLockout.objects.create(
        user=user, address="198.51.100.2", lockouts=1, last_failure_at=T0 - dt.timedelta(hours=3)
    )
    AddressLockout.objects.create(
        user=user,
        address="198.51.100.3",
        lockouts=7,
        last_failure_at=T0 - dt.timedelta(days=2),
        locked_until=T0 - dt.timedelta(hours=1),
    )
    PasswordResetToken.objects.create(user=user, token_hash="a" * 64, expires_at=T0 - dt.timedelta(days=2))
    PasswordResetToken.objects.create(user=user, token_hash="b" * 64, expires_at=T0 + dt.timedelta(minutes=5))
    with clock.frozen(T0):
        pruned = services.login_records_prune(actor=system_actor(name="test"))
    assert (pruned.attempts, pruned.address_lockouts, pruned.reset_links) == (3, 1, 1)
    remaining = sorted(
        (T0 - at).total_seconds() / 3600 for at in LoginAttempt.objects.values_list("at", flat=True)
    )
    assert remaining == pytest.approx([0, 1, 23.99])
    assert sorted(AddressLockout.objects.values_list("address", flat=True)) == [
        "198.51.100.2",
        "198.51.100.3",
    ]
    assert list(PasswordResetToken.objects.values_list("token_hash", flat=True)) == ["b" * 64]
    event = AuditEvent.objects.get(action="accounts.login_attempts.pruned")
    assert event.changes["login_attempts"] == [3, 0]


def test_pruning_never_hands_out_a_fresh_allowance(world):
    """After a prune the account's hourly and daily limits still count every recent failure."""
    user = world.user("dpo")
    with clock.frozen(T0 - dt.timedelta(hours=23)):
        for i in range(30):  # thirty wrong passwords yesterday evening, from thirty addresses
            services.password_check(username=user.username, password="wrong", ip=f"198.51.100.{i}")
    with clock.frozen(T0) as t:
        for i in range(20):
            services.password_check(username=user.username, password="wrong", ip=f"203.0.113.{i}")
            t.advance(minutes=1)
        services.login_records_prune(actor=system_actor(name="test"))
        assert throttle.account_is_throttled(user)
        assert (
            services.password_check(username=user.username, password=TEST_PASSWORD, ip="203.0.113.99").user
            is None
        )


def test_the_command_prunes_and_refuses_to_keep_less_than_the_throttle_reads(world):
    for days in (10, 3, 0.5):
        _attempt(dt.timedelta(days=days))
    out = StringIO()
    with clock.frozen(T0):
        call_command("accounts", "prune", "--keep-days", "5", stdout=out)
        assert "deleted 1 login attempt(s)" in out.getvalue()
        with pytest.raises(CommandError, match="at least 1"):
            call_command("accounts", "prune", "--keep-days", "0.5")
        call_command("accounts", "prune", stdout=out)
    assert LoginAttempt.objects.count() == 1
    assert "deleted 1 login attempt(s)" in out.getvalue().splitlines()[-1]
