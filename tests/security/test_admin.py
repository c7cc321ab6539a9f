"""Django's admin: staff with a verified second factor only, through Ponleu's own login."""

from django.contrib import admin
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.admin import OTPAdminSite

from ponleu.access.admin_site import PonleuAdminSite
from ponleu.access.capabilities import CAPABILITIES


def test_the_admin_site_requires_the_second_factor():
    assert isinstance(admin.site, PonleuAdminSite)
    assert isinstance(admin.site, OTPAdminSite)
    assert reverse("admin:index") == "/admin/"


def _staff(world, key="system_admin"):
    user = world.user(key)
    user.is_staff = True
    user.save()
    return user


def test_verified_staff_see_the_admin_and_its_policy_table(world, login_as):
    client = login_as(_staff(world))
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(reverse("admin:policy")).content.decode()
    assert all(name in page for name in CAPABILITIES)


def test_staff_with_a_password_only_are_sent_to_ponleu_login(world, login_as):
    client = login_as(_staff(world))
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY)
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/") or response["Location"].startswith(
        reverse("accounts:login")
    )
    follow = client.get(reverse("admin:login"))
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("accounts:login"))


def test_verified_non_staff_are_refused(world, login_as):
    client = login_as(world.user("dpo"))
    response = client.get(reverse("admin:policy"))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_login_form_is_never_served(client):
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
