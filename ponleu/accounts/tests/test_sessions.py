"""Browser sessions: idle and absolute limits, logout and deactivation everywhere at once,
cookie reuse after logout, and at most three at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ponleu.access.actors import system_actor
from ponleu.accounts import services
from ponleu.accounts.models import UserSession
from ponleu.common import clock
from ponleu.testing.login import login

from .conftest import T0, full_login

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:devices")
API = "/api/v1/me"
LOGIN = reverse("accounts:login")


def _refused(client) -> bool:
    page = client.get(PAGE)
    return page.status_code == 302 and page["Location"].startswith(LOGIN)


def _browser(user) -> Client:
    client = Client()
    login(client, user)
    return client


def test_idle_for_more_than_15_minutes_ends_the_session(world):
    user = world.user("caseworker_a")
    with clock.frozen(T0) as t:
        client = _browser(user)
        for _ in range(4):
            t.advance(minutes=14, seconds=59)
            assert client.get(PAGE).status_code == 200  # each request restarts the idle clock
        t.advance(minutes=15, seconds=1)
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={PAGE}"
        t.advance(seconds=1)
        assert _refused(client)
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()


def test_idle_api_session_gets_401(world):
    user = world.user("caseworker_a")
    with clock.frozen(T0) as t:
        client = _browser(user)
        assert client.get(API).status_code == 200
        t.advance(minutes=16)
        assert client.get(API).status_code == 401


def test_eight_hours_after_login_the_session_ends_however_busy(world):
    user = world.user("supervisor")
    with clock.frozen(T0) as t:
        client = _browser(user)
        while clock.now() + dt.timedelta(minutes=14) < T0 + dt.timedelta(hours=8):
            t.advance(minutes=14)
            assert client.get(API).status_code == 200
        t.advance(minutes=14)
        assert clock.now() > T0 + dt.timedelta(hours=8)
        assert client.get(API).status_code == 401
        assert _refused(client)


def test_a_cookie_reused_after_logout_is_refused(world):
    user = world.user("caseworker_b")
    client = _browser(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(PAGE).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert _refused(thief)
    assert thief.get(API).status_code == 401
    assert thief.get("/").status_code == 302


def test_logout_ends_every_session_of_the_user_at_once(world):
    user = world.user("caseworker_a")
    phone, laptop = _browser(user), _browser(user)
    other_user = _browser(world.user("caseworker_b"))
    assert phone.get(PAGE).status_code == 200
    assert laptop.get(API).status_code == 200
    phone.post(reverse("accounts:logout"))
    assert _refused(laptop)
    assert laptop.get(API).status_code == 401
    assert other_user.get(PAGE).status_code == 200


def test_deactivation_ends_every_session_at_once(world):
    user = world.user("field_worker")
    first, second = _browser(user), _browser(user)
    assert first.get(PAGE).status_code == 200
    services.user_deactivate(actor=system_actor(world.org.pk), user=user, reason="left the organisation")
    assert first.get(API).status_code == 401
    assert _refused(second)
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()


def test_at_most_three_sessions_the_oldest_ends(world):
    user = world.user("teacher")
    with clock.frozen(T0) as t:
        browsers = []
        for _ in range(3):
            browsers.append(_browser(user))
            t.advance(minutes=1)
        assert all(b.get(PAGE).status_code == 200 for b in browsers)
        browsers.append(_browser(user))
        assert _refused(browsers[0])
        assert [b.get(PAGE).status_code for b in browsers[1:]] == [200, 200, 200]
        t.advance(minutes=1)
        browsers.append(Client())
        full_login(browsers[-1], user)  # through the real login pages as well
        assert _refused(browsers[1])
        assert [b.get(PAGE).status_code for b in browsers[2:]] == [200, 200, 200]
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 3


def test_the_devices_page_lists_open_sessions(world):
    user = world.user("teacher")
    client = _browser(user)
    _browser(user)
    page = client.get(PAGE).content.decode()
    assert page.count("<li>") >= 2
    assert "this browser" in page


def test_an_ended_session_goes_on_as_anonymous_and_htmx_is_told_where_to_go(world):
    user = world.user("caseworker_a")
    with clock.frozen(T0) as t:
        client = _browser(user)
        t.advance(minutes=16)
        fragment = client.get(PAGE, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 401
        assert fragment["HX-Redirect"] == LOGIN
        # The session is gone; the login page itself simply shows.
        assert client.get(LOGIN).status_code == 200

        other = _browser(user)
        t.advance(minutes=16)
        assert other.get(LOGIN).status_code == 200
        assert _refused(other)
