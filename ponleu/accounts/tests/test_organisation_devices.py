"""The organisation's devices, for whoever manages its users: the tokens that still work (none of
another organisation's, none that ended), the old ones that "Today" asks about, and revoking one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ponleu.accounts import services
from ponleu.accounts.models import DeviceToken
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.testing.world import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:organisation_devices")
REVOKE = reverse("accounts:organisation_device_revoke")


def _issue(world, key, name="Field phone", *, age_days=0) -> DeviceToken:
    token = services.token_issue(
        actor=world.actor(key),
        membership=world.members[key],
        name=name,
        capabilities=["cases.view"] if key != "teacher" else ["education.take_attendance"],
        password=TEST_PASSWORD,
    ).token
    if age_days:
        DeviceToken.objects.filter(pk=token.pk).update(created_at=clock.now() - dt.timedelta(days=age_days))
    return token


def _listed(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-device="([0-9a-f-]+)"', response.content.decode())


def _working_and_not(world):
    old = _issue(world, "caseworker_a", "Sokha's phone", age_days=120)
    new = _issue(world, "teacher", "School tablet")
    revoked = _issue(world, "caseworker_b", age_days=200)
    services.token_revoke(actor=world.actor("caseworker_b"), token=revoked)
    expired = _issue(world, "supervisor", age_days=100)
    DeviceToken.objects.filter(pk=expired.pk).update(expires_at=clock.now() - dt.timedelta(hours=1))
    partner = _issue(world, "partner", age_days=150)
    return old, new, partner


def test_the_administrator_sees_the_organisations_working_tokens_only(world, login_as):
    old, new, partner = _working_and_not(world)
    client = login_as(world.user("org_admin"))
    assert _listed(client.get(PAGE)) == [str(old.pk), str(new.pk)]  # oldest first
    assert _listed(client.get(PAGE, {"old": "1"})) == [str(old.pk)]
    page = client.get(PAGE).content.decode()
    assert "Sokha&#x27;s phone" in page
    assert "caseworker_a" in page
    assert str(partner.pk) not in page


def test_revoking_a_members_token_ends_it_and_is_audited(world, login_as):
    old, new, partner = _working_and_not(world)
    client = login_as(world.user("org_admin"))
    response = client.post(REVOKE, {"device": str(old.pk)})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.revoked_at is not None
    event = AuditEvent.objects.get(action="accounts.token.revoked", target_id=str(old.pk))
    assert event.actor_username == "org_admin"
    assert _listed(client.get(PAGE)) == [str(new.pk)]
    # Another organisation's token, one already revoked and nonsense all look missing.
    for value in (str(partner.pk), str(old.pk), "not-an-id"):
        assert client.post(REVOKE, {"device": value}).status_code == 404
    partner.refresh_from_db()
    assert partner.revoked_at is None


def test_only_those_who_manage_users_see_or_revoke_the_organisations_devices(world, login_as):
    token = _issue(world, "caseworker_a")
    client = login_as(world.user("supervisor"))
    assert client.get(PAGE).status_code == 403
    assert client.post(REVOKE, {"device": str(token.pk)}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
