"""Password reset links: issued by the organisation's user manager and shown once, used once
within 30 minutes, stored only as a hash, and never a way around the second factor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ponleu.accounts import services
from ponleu.accounts.models import PasswordResetToken, token_digest
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.organisations.models import Membership
from ponleu.testing.world import TEST_PASSWORD

from .conftest import T0, authenticator_code, full_login, password_step

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")
ISSUE = reverse("accounts:user_reset")
RESET = reverse("accounts:reset_password")
NEW = "ដើមត្នោត kites over Battambang 7"


def _issue(client, world, key) -> str:
    """The link an administrator is shown for member ``key``."""
    response = client.post(ISSUE, {"member": world.members[key].pk})
    assert response.status_code == 201, response.content[:300]
    return response.context["link"]


def _path(link: str) -> str:
    return link.removeprefix("http://testserver")


def _opened(link: str):
    """What a browser shows after opening ``link``."""
    response = Client().get(_path(link), follow=True)
    assert response.redirect_chain == [(RESET, 302)]
    return response


def _unusable(response) -> bool:
    return response.templates[0].name == "accounts/reset_unusable.html"


def _choose(link: str, password: str = NEW, client=None):
    client = client or Client()
    opened = client.get(_path(link))
    assert opened.status_code == 302, opened.status_code
    assert opened["Location"] == RESET
    return client, client.post(RESET, {"new_password1": password, "new_password2": password})


def test_an_administrator_issues_a_link_the_member_sets_a_password_and_still_needs_the_phone(world, login_as):
    admin = login_as(world.user("org_admin"))
    page = admin.get(USERS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "caseworker_a" in html
    assert "partner" not in html  # another organisation's member
    member = world.user("caseworker_a")
    logged_in = Client()
    full_login(logged_in, member)

    with clock.frozen(T0):
        link = _issue(admin, world, "caseworker_a")
    token = link.rstrip("/").rsplit("/", 1)[1]
    reset = PasswordResetToken.objects.get(user=member)
    assert reset.token_hash == token_digest(token)
    assert token not in " ".join(str(value) for value in PasswordResetToken.objects.values().get().values())
    assert reset.expires_at == T0 + dt.timedelta(minutes=30)
    issued = AuditEvent.objects.get(action="accounts.user.password_reset_issued", target_id=str(member.pk))
    assert issued.actor_user_id == world.user("org_admin").pk

    with clock.frozen(T0 + dt.timedelta(minutes=29)):
        client, response = _choose(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    member.refresh_from_db()
    assert member.check_password(NEW)
    # The member's open session ended with the old password.
    assert logged_in.get(reverse("accounts:devices"))["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action="accounts.user.password_reset", target_id=str(member.pk)).exists()
    # The new password alone does not log in: the second factor follows, as always.
    response = password_step(client, member.username, NEW)
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:verify"), {"code": authenticator_code(member)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_a_link_works_once(world, login_as):
    link = _issue(login_as(world.user("org_admin")), world, "teacher")
    _choose(link)
    assert _unusable(_opened(link))
    world.user("teacher").refresh_from_db()
    assert world.user("teacher").check_password(NEW)


def test_a_link_expires_after_30_minutes(world, login_as):
    with clock.frozen(T0):
        link = _issue(login_as(world.user("org_admin")), world, "teacher")
    with clock.frozen(T0 + dt.timedelta(minutes=30, seconds=1)):
        assert _unusable(_opened(link))


def test_a_link_opened_just_in_time_expires_before_the_form_is_sent(world, login_as):
    with clock.frozen(T0) as t:
        link = _issue(login_as(world.user("org_admin")), world, "teacher")
        client = Client()
        t.advance(minutes=29)
        assert client.get(_path(link)).status_code == 302
        t.advance(minutes=2)
        response = client.post(RESET, {"new_password1": NEW, "new_password2": NEW})
    assert _unusable(response)
    world.user("teacher").refresh_from_db()
    assert world.user("teacher").check_password(TEST_PASSWORD)


def test_a_new_link_replaces_the_older_one(world, login_as):
    admin = login_as(world.user("org_admin"))
    first = _issue(admin, world, "teacher")
    second = _issue(admin, world, "teacher")
    assert _unusable(_opened(first))
    assert not _unusable(_opened(second))


def test_a_weak_password_is_refused_and_the_link_still_works(world, login_as):
    link = _issue(login_as(world.user("org_admin")), world, "teacher")
    client, response = _choose(link, "password1234")
    assert response.status_code == 400
    assert response.context["form"].errors["new_password1"]
    response = client.post(RESET, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302


def test_a_reset_does_not_lift_a_lock_from_wrong_codes(world, login_as):
    member = world.user("supervisor")
    for _ in range(5):
        services.second_factor_failed(user=member)
    link = _issue(login_as(world.user("org_admin")), world, "supervisor")
    _choose(link)
    assert password_step(Client(), member.username, NEW).status_code == 200  # refused, like any failure


def test_only_a_user_manager_of_the_same_organisation_issues_links(world, login_as):
    teacher = login_as(world.user("teacher"))
    assert teacher.get(USERS).status_code == 403
    assert teacher.post(ISSUE, {"member": world.members["caseworker_a"].pk}).status_code == 403
    admin = login_as(world.user("org_admin"))
    other_org = admin.post(ISSUE, {"member": world.members["partner"].pk})
    missing = admin.post(ISSUE, {"member": "00000000-0000-4000-8000-000000000000"})
    garbage = admin.post(ISSUE, {"member": "not-a-uuid"})
    assert other_org.status_code == missing.status_code == garbage.status_code == 404
    assert other_org.content == missing.content == garbage.content
    assert not PasswordResetToken.objects.exists()
    with pytest.raises(PermissionDenied):
        services.password_reset_issue(actor=world.actor("org_admin"), membership=world.members["partner"])
    with pytest.raises(PermissionDenied):
        services.password_reset_issue(actor=world.actor("dpo"), membership=world.members["teacher"])


def test_no_link_for_oneself_nor_an_organisation_administrator_for_a_system_administrator(world, login_as):
    admin = login_as(world.user("org_admin"))
    for key in ("org_admin", "system_admin"):
        response = admin.post(ISSUE, {"member": world.members[key].pk})
        assert response.status_code == 302
        assert response["Location"] == USERS
    assert not PasswordResetToken.objects.exists()
    system = login_as(world.user("system_admin"))
    assert system.post(ISSUE, {"member": world.members["org_admin"].pk}).status_code == 201


def test_an_inactive_member_gets_no_link_and_a_link_stops_when_they_are_deactivated(world, login_as):
    admin = login_as(world.user("org_admin"))
    link = _issue(admin, world, "field_worker")
    services.user_deactivate(actor=world.actor("org_admin"), user=world.user("field_worker"))
    assert _unusable(_opened(link))
    assert admin.post(ISSUE, {"member": world.members["field_worker"].pk}).status_code == 404
    Membership.objects.filter(pk=world.members["teacher"].pk).update(is_active=False)
    assert admin.post(ISSUE, {"member": world.members["teacher"].pk}).status_code == 404


def _normalised(response) -> bytes:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return re.sub(r'nonce="[^"]+"', "", body).encode()


def test_used_expired_and_made_up_links_get_the_same_page(world, login_as):
    admin = login_as(world.user("org_admin"))
    with clock.frozen(T0):
        used = _issue(admin, world, "teacher")
        expired = _issue(admin, world, "caseworker_b")
        _choose(used)
    with clock.frozen(T0 + dt.timedelta(hours=1)):
        pages = [
            _opened(used),
            _opened(expired),
            _opened("/accounts/reset/made-up-token/"),
            Client().get(RESET),
            Client().post(RESET, {"new_password1": NEW, "new_password2": NEW}),
        ]
    assert len({(page.status_code, _normalised(page)) for page in pages}) == 1
    assert all(_unusable(page) for page in pages)


def test_the_link_leaves_the_address_bar(world, login_as):
    """The secret is in the link only until it is opened: the form's own address carries none."""
    link = _issue(login_as(world.user("org_admin")), world, "teacher")
    token = link.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    response = client.get(_path(link))
    assert token not in response["Location"]
    form = client.get(RESET)
    assert form.status_code == 200
    assert token not in form.content.decode()
