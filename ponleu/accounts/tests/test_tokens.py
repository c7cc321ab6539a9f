"""Per-device API tokens: stored as a hash, shown once, scoped to a subset of the member's
capabilities, revocable, dead after 72 hours unused and at every logout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from ninja.errors import HttpError

from ponleu.access.actors import system_actor
from ponleu.access.endpoints import capability
from ponleu.accounts import services
from ponleu.accounts.api_auth import DeviceTokenAuth
from ponleu.accounts.models import DeviceToken, LoginAttempt
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.testing.login import login
from ponleu.testing.world import TEST_PASSWORD

from .conftest import T0

pytestmark = pytest.mark.django_db

API = "/api/v1/me"
DEVICES = reverse("accounts:devices")


def _issue(world, key, capabilities=("registry.view",), name="Field phone"):
    return services.token_issue(
        actor=world.actor(key),
        membership=world.members[key],
        name=name,
        capabilities=capabilities,
        password=TEST_PASSWORD,
    )


def _call(plaintext, path=API):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def test_the_devices_page_issues_a_token_once_and_stores_only_its_hash(world, login_as):
    client = login_as(world.user("caseworker_a"))
    page = client.get(DEVICES)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="registry.view"' in html
    assert 'value="users.manage"' not in html  # not the caseworker's to give
    response = client.post(
        DEVICES,
        {"name": "Sokha's phone", "capabilities": ["registry.view", "cases.view"], "password": TEST_PASSWORD},
    )
    assert response.status_code == 201
    token = DeviceToken.objects.get()
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("pnl_")
    assert plaintext in response.content.decode()
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.startswith(token.prefix)
    stored = " ".join(str(value) for value in DeviceToken.objects.values().get().values())
    assert plaintext not in stored
    assert token.capabilities == ["cases.view", "registry.view", "web.use"]
    assert response["Cache-Control"] == "no-store"
    # Listed afterwards with its prefix, never the whole token.
    listing = client.get(DEVICES).content.decode()
    assert token.prefix in listing
    assert plaintext not in listing
    assert AuditEvent.objects.filter(action="accounts.token.issued", target_id=str(token.pk)).exists()


def test_the_page_refuses_a_token_without_a_name_or_capabilities(world, login_as):
    client = login_as(world.user("caseworker_a"))
    response = client.post(DEVICES, {"name": "  ", "capabilities": [], "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert DeviceToken.objects.count() == 0
    response = client.post(
        DEVICES, {"name": "Tablet", "capabilities": ["users.manage"], "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert DeviceToken.objects.count() == 0


def test_issuing_a_token_asks_for_the_password_again(world, login_as):
    """A session left open on a shared computer is not enough to carry a credential away."""
    user = world.user("caseworker_a")
    wanted = {"name": "Tablet", "capabilities": ["registry.view"]}
    with clock.frozen(T0):
        client = login_as(user)
        for password in ("", "not-my-password"):
            response = client.post(DEVICES, {**wanted, "password": password})
            assert response.status_code == 400
            assert response.context["form"].errors["password"]
        assert DeviceToken.objects.count() == 0
        with pytest.raises(ValidationError) as refused:
            services.token_issue(
                actor=world.actor("caseworker_a"),
                membership=world.members["caseworker_a"],
                name="Tablet",
                capabilities=["registry.view"],
                password="",
            )
        assert "password" in refused.value.error_dict
        # Wrong passwords here count like wrong logins: after five, even the right one is refused.
        for _ in range(5):
            client.post(DEVICES, {**wanted, "password": "not-my-password"}, REMOTE_ADDR="203.0.113.30")
        response = client.post(DEVICES, {**wanted, "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.30")
        assert response.status_code == 400
        assert DeviceToken.objects.count() == 0
        assert LoginAttempt.objects.filter(username=user.username, outcome="wrong").count() >= 5
        response = client.post(DEVICES, {**wanted, "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.31")
        assert response.status_code == 201
        assert DeviceToken.objects.count() == 1


def test_a_token_acts_with_the_intersection_of_its_and_the_roles_capabilities(world):
    issued = _issue(world, "caseworker_a", capabilities=["registry.view", "cases.view"])
    response = _call(issued.plaintext)
    assert response.status_code == 200
    body = response.json()
    assert body["via"] == "device-token"
    assert body["username"] == "caseworker_a"
    assert body["capabilities"] == ["cases.view", "registry.view", "web.use"]
    assert "cases.edit" not in body["capabilities"]  # the role has it, the token does not
    assert body["token_prefix"] == issued.token.prefix

    # The role narrows later: the token loses what the role lost, at once.
    membership = world.members["caseworker_a"]
    membership.role = Role.FIELD_WORKER
    membership.save()
    assert "cases.view" not in _call(issued.plaintext).json()["capabilities"]


def test_a_token_cannot_be_given_more_than_the_role_allows(world):
    with pytest.raises(ValidationError):
        _issue(world, "teacher", capabilities=["cases.view"])
    with pytest.raises(ValidationError):
        _issue(world, "teacher", capabilities=[])
    with pytest.raises(PermissionDenied):
        services.token_issue(
            actor=world.actor("teacher"),
            membership=world.members["caseworker_a"],
            name="x",
            capabilities=["web.use"],
            password=TEST_PASSWORD,
        )


def test_operations_refuse_a_token_without_the_capability_and_unverified_actors(world):
    issued = _issue(world, "caseworker_a", capabilities=["registry.view"])
    request = RequestFactory().get(API, HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    assert DeviceTokenAuth()(request) is not None

    @capability("cases.view")
    def case_list(request):
        return "cases"

    @capability("registry.view")
    def person_list(request):
        return "people"

    assert person_list(request) == "people"
    with pytest.raises(HttpError) as refused:
        case_list(request)
    assert refused.value.status_code == 403

    unverified = RequestFactory().get(API)
    unverified.actor = dataclasses.replace(world.actor("caseworker_a"), is_verified=False)
    with pytest.raises(HttpError) as refused:
        person_list(unverified)
    assert refused.value.status_code == 401


@pytest.mark.parametrize("credential", ["", "Bearer", "Bearer pnl_", "Bearer nonsense", "Basic dXNlcjpwYXNz"])
def test_missing_or_malformed_tokens_get_401(db, credential):
    headers = {"HTTP_AUTHORIZATION": credential} if credential else {}
    assert Client().get(API, **headers).status_code == 401


def test_a_revoked_token_gets_401_at_once(world, login_as):
    issued = _issue(world, "caseworker_a")
    assert _call(issued.plaintext).status_code == 200
    client = login_as(world.user("caseworker_a"))
    response = client.post(reverse("accounts:device_revoke"), {"token": issued.token.pk})
    assert response.status_code == 302
    assert _call(issued.plaintext).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.token.revoked", target_id=str(issued.token.pk)).exists()


def test_nobody_else_can_see_or_revoke_a_users_token(world, login_as):
    issued = _issue(world, "caseworker_a")
    other = login_as(world.user("caseworker_b"))
    assert issued.token.prefix not in other.get(DEVICES).content.decode()
    response = other.post(reverse("accounts:device_revoke"), {"token": issued.token.pk})
    missing = other.post(reverse("accounts:device_revoke"), {"token": "00000000-0000-4000-8000-000000000000"})
    garbage = other.post(reverse("accounts:device_revoke"), {"token": "not-a-uuid"})
    assert response.status_code == missing.status_code == garbage.status_code == 404
    assert response.content == missing.content == garbage.content
    assert _call(issued.plaintext).status_code == 200
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=world.actor("caseworker_b"), token=issued.token)
    # A user manager of the same organisation may revoke it (a lost phone).
    services.token_revoke(actor=world.actor("org_admin"), token=issued.token)
    assert _call(issued.plaintext).status_code == 401


def test_a_token_expires_72_hours_after_its_last_use_and_use_slides_the_expiry(world):
    with clock.frozen(T0) as t:
        issued = _issue(world, "caseworker_a")
        t.advance(hours=71)
        assert _call(issued.plaintext).status_code == 200
        t.advance(hours=71)
        assert _call(issued.plaintext).status_code == 200
        token = DeviceToken.objects.get()
        assert token.expires_at == clock.now() + dt.timedelta(hours=72)
        assert token.last_used_at == clock.now()
        t.advance(hours=72, seconds=1)
        assert _call(issued.plaintext).status_code == 401
    assert DeviceToken.objects.get().expires_at <= DeviceToken.objects.get().last_used_at + dt.timedelta(
        hours=72
    )


def test_logout_and_deactivation_end_every_token(world):
    user = world.user("caseworker_a")
    first, second = _issue(world, "caseworker_a", name="Phone"), _issue(world, "caseworker_a", name="Tablet")
    browser = Client()
    login(browser, user)
    browser.post(reverse("accounts:logout"))
    assert _call(first.plaintext).status_code == 401
    assert _call(second.plaintext).status_code == 401

    # A token issued after the logout works, until the user is deactivated.
    third = _issue(world, "caseworker_a", name="New phone")
    assert _call(third.plaintext).status_code == 200
    services.user_deactivate(actor=system_actor(world.org.pk), user=user)
    assert _call(third.plaintext).status_code == 401


def test_an_inactive_membership_or_organisation_stops_the_token(world):
    issued = _issue(world, "supervisor")
    membership = world.members["supervisor"]
    membership.is_active = False
    membership.save()
    assert _call(issued.plaintext).status_code == 401
    membership.is_active = True
    membership.save()
    assert _call(issued.plaintext).status_code == 200
    world.org.is_active = False
    world.org.save()
    assert _call(issued.plaintext).status_code == 401


def test_a_bearer_token_is_judged_alone_even_beside_a_session(world, login_as):
    client = login_as(world.user("caseworker_a"))
    assert client.get(API).json()["via"] == "session"
    assert client.get(API, HTTP_AUTHORIZATION="Bearer pnl_revoked-or-wrong").status_code == 401


def test_at_most_ten_active_tokens(world):
    for i in range(services.MAX_ACTIVE_TOKENS):
        _issue(world, "caseworker_a", name=f"Phone {i}")
    with pytest.raises(ValidationError):
        _issue(world, "caseworker_a", name="One too many")
