"""First-login enrolment of the authenticator: a new key on every visit, and confirming binds
the key shown on that visit, replacing anything older. Someone who learnt the password before
the real user first logs in must not be able to copy the key the user will enrol."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.audit.models import AuditEvent
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership
from ponleu.testing.world import make_user

from .conftest import password_step

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:enrol")
LOGIN = reverse("accounts:login")


def _shown_key(response) -> bytes:
    """The key the page shows (as typed into an authenticator app)."""
    assert response.status_code == 200, response.status_code
    groups = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', response.content.decode()).group(1)
    secret = "".join(groups.split())
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


@pytest.fixture
def newcomer(world):
    user = make_user("newcomer", with_totp=False)
    Membership.objects.create(user=user, organisation=world.org, role=Role.FIELD_WORKER)
    return user


def _enrolling(user) -> Client:
    client = Client()
    response = password_step(client, user.username)
    assert response["Location"] == ENROL
    return client


def test_every_visit_shows_a_new_key_and_an_earlier_visitor_cannot_copy_the_one_enrolled(newcomer):
    intruder = _enrolling(newcomer)  # knows the password, looks before the user's first login
    copied = _shown_key(intruder.get(ENROL))

    owner = _enrolling(newcomer)
    first_look = _shown_key(owner.get(ENROL))
    enrolled = _shown_key(owner.get(ENROL))  # the page reloaded: another key again
    assert len({copied, first_look, enrolled}) == 3

    # A code for a key shown earlier, even in the same browser, does not confirm.
    assert owner.post(ENROL, {"code": _code(first_look)}).status_code == 200
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    enrolled = _shown_key(owner.get(ENROL))
    response = owner.post(ENROL, {"code": _code(enrolled)})
    assert response.status_code == 200
    assert "recovery" in response.templates[0].name

    devices = list(TOTPDevice.objects.filter(user=newcomer))
    assert [(device.bin_key, device.confirmed) for device in devices] == [(enrolled, True)]
    # The copied key is worth nothing: the intruder's code does not open the account.
    other = Client()
    password_step(other, newcomer.username)
    assert other.post(reverse("accounts:verify"), {"code": _code(copied)}).status_code == 200
    assert "_auth_user_id" not in other.session
    # And the intruder's page, still open, can no longer enrol another phone.
    assert intruder.post(ENROL, {"code": _code(copied)})["Location"] == LOGIN
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    event = AuditEvent.objects.get(action="accounts.user.mfa_enrolled", target_id=str(newcomer.pk))
    assert event.actor_user_id == newcomer.pk


def test_a_wrong_code_keeps_the_key_of_this_visit(newcomer):
    """Mistyping the first code must not force the user to scan again."""
    client = _enrolling(newcomer)
    key = _shown_key(client.get(ENROL))
    again = client.post(ENROL, {"code": "000000"})
    assert _shown_key(again) == key
    response = client.post(ENROL, {"code": _code(key)})
    assert "recovery" in response.templates[0].name
    assert TOTPDevice.objects.get(user=newcomer, confirmed=True).bin_key == key


def test_a_code_cannot_be_used_again_to_log_in(newcomer):
    client = _enrolling(newcomer)
    key = _shown_key(client.get(ENROL))
    code = _code(key)
    client.post(ENROL, {"code": code})
    other = Client()
    password_step(other, newcomer.username)
    assert other.post(reverse("accounts:verify"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_confirming_replaces_devices_left_over_from_earlier_visits(newcomer):
    """Unconfirmed devices from before (an older version kept one per user) never survive."""
    TOTPDevice.objects.create(user=newcomer, name="phone", confirmed=False)
    client = _enrolling(newcomer)
    key = _shown_key(client.get(ENROL))
    client.post(ENROL, {"code": _code(key)})
    assert list(TOTPDevice.objects.filter(user=newcomer).values_list("confirmed", flat=True)) == [True]


def test_the_key_is_not_stored_before_it_is_confirmed(newcomer):
    client = _enrolling(newcomer)
    for _ in range(3):
        client.get(ENROL)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_a_key_shown_for_one_account_does_not_enrol_another_in_the_same_browser(world, newcomer):
    other = make_user("newcomer2", with_totp=False)
    Membership.objects.create(user=other, organisation=world.org, role=Role.TEACHER)
    client = _enrolling(newcomer)
    key = _shown_key(client.get(ENROL))
    password_step(client, other.username)
    response = client.post(ENROL, {"code": _code(key)})
    assert response["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user__in=[newcomer, other]).exists()
