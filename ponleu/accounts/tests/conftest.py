"""Helpers for the login tests: real codes from a user's authenticator, the login steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.common import clock
from ponleu.testing.world import TEST_PASSWORD

# A fixed, aware instant for tests that move the clock.
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
# Documentation addresses (RFC 5737): no traffic goes anywhere, they are only strings here.
IP = "198.51.100.7"


def authenticator_code(user) -> str:
    """The code the user's phone shows now, usable even if one was used moments ago."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # django-otp refuses a code from a time step already used; tests log in repeatedly.
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_step(client, username, password=TEST_PASSWORD, *, ip=IP, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def full_login(client, user, *, ip=IP):
    response = password_step(client, user.username, ip=ip)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith(reverse("accounts:verify"))
    response = client.post(reverse("accounts:verify"), {"code": authenticator_code(user)}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response.content[:500]
    return response


@pytest.fixture
def new_client():
    """A fresh browser each call (several browsers of the same user)."""
    return lambda: Client()


@pytest.fixture
def count_verifications(monkeypatch):
    """Every password verification, whatever path asked for it: (clock time, hash checked).

    A check against an account's own hash is a real guess; the others are the stand-in hash
    that makes an unknown user or a refused attempt cost the same."""
    seen: list[tuple[dt.datetime, str]] = []
    real_verify = MD5PasswordHasher.verify

    def verify(self, password, encoded):
        seen.append((clock.now(), encoded))
        return real_verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", verify)
    return seen


def worst_hour(times: list[dt.datetime]) -> int:
    """The most of ``times`` that fall within any one hour."""
    return max(
        (sum(1 for other in times if at - dt.timedelta(hours=1) < other <= at) for at in times), default=0
    )


def worst_day(times: list[dt.datetime]) -> int:
    return max(
        (sum(1 for other in times if at - dt.timedelta(days=1) < other <= at) for at in times), default=0
    )
