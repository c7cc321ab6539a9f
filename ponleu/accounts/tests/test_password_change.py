"""Changing one's password: both factors again, the password rules, and every other session
and device token ends while this browser stays logged in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.accounts import services
from ponleu.accounts.models import LoginAttempt, UserSession
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.testing.world import TEST_PASSWORD

from .conftest import T0, authenticator_code, full_login, password_step

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:password_change")
NEW = "ដើមត្នោត kites over Battambang 7"


def _form(user, **changes):
    return {
        "current_password": TEST_PASSWORD,
        "code": authenticator_code(user),
        "new_password1": NEW,
        "new_password2": NEW,
        **changes,
    }


def _token(world, key):
    return services.token_issue(
        actor=world.actor(key),
        membership=world.members[key],
        name="Phone",
        capabilities=["registry.view"],
        password=TEST_PASSWORD,
    )


def test_a_changed_password_ends_every_other_session_and_token_but_this_one(world):
    user = world.user("caseworker_a")
    here, elsewhere = Client(), Client()
    full_login(here, user)
    full_login(elsewhere, user, ip="203.0.113.40")
    token = _token(world, "caseworker_a")
    assert here.get(PAGE).status_code == 200

    response = here.post(PAGE, _form(user))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:devices")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # This browser goes on; the other one and the device token are out.
    assert here.get(reverse("accounts:devices")).status_code == 200
    assert elsewhere.get(reverse("accounts:devices"))["Location"].startswith(reverse("accounts:login"))
    bearer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    assert bearer.status_code == 401
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="accounts.user.password_changed", target_id=str(user.pk))
    assert event.actor_user_id == user.pk
    assert event.changes["sessions_ended"] == [None, 1]
    # The old password no longer opens anything; the new one leads to the second factor.
    assert password_step(Client(), user.username).status_code == 200
    response = password_step(Client(), user.username, NEW)
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_the_session_id_changes_with_the_password(world):
    user = world.user("teacher")
    client = Client()
    full_login(client, user)
    before = client.session.session_key
    client.post(PAGE, _form(user))
    assert client.session.session_key != before
    assert client.get(reverse("web:home")).status_code == 200


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_login(world, login_as):
    user = world.user("supervisor")
    client = login_as(user)
    response = client.post(PAGE, _form(user, current_password="not-my-password"))
    assert response.status_code == 400
    assert response.context["form"].errors["current_password"]
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert LoginAttempt.objects.filter(username=user.username, outcome="wrong").count() == 1
    assert not AuditEvent.objects.filter(action="accounts.user.password_changed").exists()


def test_wrong_codes_count_and_the_fifth_locks_the_account_and_ends_the_session(world, login_as):
    user = world.user("caseworker_b")
    client = login_as(user)
    with clock.frozen(T0):
        for _ in range(4):
            response = client.post(PAGE, _form(user, code="000000"))
            assert response.status_code == 400
            assert response.context["form"].errors["code"]
        response = client.post(PAGE, _form(user, code="000000"))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        user.refresh_from_db()
        assert user.is_locked()
        assert user.check_password(TEST_PASSWORD)
        assert client.get(reverse("accounts:devices"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("new1", "new2", "field"),
    [
        ("kR7#vq2!Lm_", "kR7#vq2!Lm_", "new_password1"),  # 11 characters
        ("password1234", "password1234", "new_password1"),  # common
        ("839201746153", "839201746153", "new_password1"),  # only digits
        ("caseworker_a-1", "caseworker_a-1", "new_password1"),  # like the username
        (NEW, NEW + "x", "new_password2"),
    ],
)
def test_the_new_password_must_follow_the_rules(world, login_as, new1, new2, field):
    user = world.user("caseworker_a")
    client = login_as(user)
    response = client.post(PAGE, _form(user, new_password1=new1, new_password2=new2))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    # Refused before either factor was checked: nothing counted.
    assert not LoginAttempt.objects.filter(username=user.username).exists()


def test_the_page_needs_a_login(db):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
