"""The login and devices pages work for everyone: a label for every input, nothing reachable
only by mouse, one heading, errors announced."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership
from ponleu.testing.world import TEST_PASSWORD, make_user

from .conftest import password_step

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.label_targets: set[str] = set()
        self.open_labels = 0
        self.h1 = 0
        self.positive_tabindex: list[dict] = []
        self.forms = 0
        self.submit_buttons = 0
        self.alerts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_targets.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append({**a, "_inside_label": self.open_labels > 0})
        if tag == "h1":
            self.h1 += 1
        if a.get("tabindex") and int(a["tabindex"]) > 0:
            self.positive_tabindex.append(a)
        if tag == "form":
            self.forms += 1
        if tag == "button" and a.get("type", "submit") == "submit":
            self.submit_buttons += 1
        if a.get("role") == "alert":
            self.alerts += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def _check(response, *, expect_alert=False) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    for field in page.inputs:
        labelled = (
            field.get("id") in page.label_targets
            or field["_inside_label"]
            or field.get("aria-label")
            or field.get("aria-labelledby")
        )
        assert labelled, field
    assert page.h1 == 1
    assert page.positive_tabindex == []
    assert page.submit_buttons >= page.forms
    assert bool(page.alerts) == expect_alert
    return page


def test_login_verify_and_enrol_pages(world):
    client = Client()
    page = _check(client.get(reverse("accounts:login")))
    assert [f["name"] for f in page.inputs] == ["username", "password"]
    assert page.inputs[0]["autocomplete"] == "username"
    assert page.inputs[1]["autocomplete"] == "current-password"
    _check(password_step(client, "nobody", "wrong-password-123"), expect_alert=True)

    password_step(client, "caseworker_a")
    page = _check(client.get(reverse("accounts:verify")))
    code = page.inputs[0]
    assert (code["inputmode"], code["autocomplete"], code["aria-describedby"]) == (
        "numeric",
        "one-time-code",
        "code-help",
    )
    _check(client.post(reverse("accounts:verify"), {"code": "123"}), expect_alert=True)

    newcomer = make_user("newcomer", with_totp=False)
    Membership.objects.create(user=newcomer, organisation=world.org, role=Role.TEACHER)
    enrolling = Client()
    password_step(enrolling, "newcomer")
    _check(enrolling.get(reverse("accounts:enrol")))
    _check(enrolling.post(reverse("accounts:enrol"), {"code": "000000"}), expect_alert=True)


def test_devices_pages(world, login_as):
    client = login_as(world.user("supervisor"))
    page = _check(client.get(reverse("accounts:devices")))
    assert len([f for f in page.inputs if f.get("type") == "checkbox"]) >= 5
    _check(client.post(reverse("accounts:devices"), {"name": "", "capabilities": []}), expect_alert=True)
    issued = client.post(
        reverse("accounts:devices"),
        {"name": "Tablet", "capabilities": ["cases.view"], "password": TEST_PASSWORD},
    )
    _check(issued)
    page = _check(client.get(reverse("accounts:devices")))
    assert (
        'Revoke<span class="visually-hidden"> · Tablet</span>'
        in client.get(reverse("accounts:devices")).content.decode()
    )


def test_the_menu_leads_to_the_devices_page(world, login_as):
    page = login_as(world.user("teacher")).get(reverse("accounts:devices")).content.decode()
    assert f'href="{reverse("accounts:devices")}" aria-current="page"' in page


def test_password_pages(world, login_as):
    client = login_as(world.user("caseworker_a"))
    page = _check(client.get(reverse("accounts:password_change")))
    assert [f["name"] for f in page.inputs] == ["current_password", "code", "new_password1", "new_password2"]
    assert [f["autocomplete"] for f in page.inputs] == [
        "current-password",
        "one-time-code",
        "new-password",
        "new-password",
    ]
    assert page.inputs[2]["aria-describedby"] == "new-password-help"
    _check(client.post(reverse("accounts:password_change"), {"new_password1": "short"}), expect_alert=True)

    admin = login_as(world.user("org_admin"))
    users = _check(admin.get(reverse("accounts:users")))
    assert users.forms >= 5
    issued = admin.post(reverse("accounts:user_reset"), {"member": world.members["teacher"].pk})
    _check(issued)
    link = issued.context["link"].removeprefix("http://testserver")
    member = Client()
    form = _check(member.get(link, follow=True))
    assert [f["name"] for f in form.inputs] == ["new_password1", "new_password2"]
    _check(member.post(reverse("accounts:reset_password"), {"new_password1": "x"}), expect_alert=True)
    _check(Client().get(reverse("accounts:reset_password")))  # no link: the page that says so
