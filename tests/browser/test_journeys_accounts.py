"""Journeys through the password pages: changing one's own, and a forgotten one reset with a
link the organisation's administrator hands over."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .harness import RUNS

pytestmark = pytest.mark.browser

NEW_PASSWORD = "ដើមត្នោត kites over Battambang 7"

# Accounts whose password a journey changes: nobody else logs in as them (one per run).
CHANGING = dict(zip(RUNS, ("dpo.chetana", "dpo.angkor-light", "me.angkor-light"), strict=True))
# (administrator, member who forgot): a reset ends the member's sessions and changes the password,
# so no other journey logs in as a member during the run (the journey claims the account).
RESETTING = dict(
    zip(
        RUNS,
        (
            ("admin.sabay", "teacher2.sabay"),
            ("admin.chetana", "teacher2.chetana"),
            ("admin.angkor-light", "teacher2.angkor-light"),
        ),
        strict=True,
    )
)


def test_password_change(browse, viewport, language):
    """From the devices page: the current password and a code again, then the new one twice."""
    username = CHANGING[(viewport, language)]
    b = browse(username)
    b.goto("accounts:devices", step="devices")
    b.click(f'main a[href="{reverse("accounts:password_change")}"]', step="form")
    b.page.fill("#id_current_password", b.server.password(username))
    b.page.fill("#id_code", b.server.totp_code(username))
    b.page.fill("#id_new_password1", NEW_PASSWORD)
    b.page.fill("#id_new_password2", NEW_PASSWORD)
    b.click("main button[type=submit]", step="changed")
    assert b.page.url.endswith(reverse("accounts:devices"))
    assert b.page.locator("ul.messages li").count() == 1


def test_password_reset(browse, viewport, language):
    """The administrator issues a link from the users page; the member opens it, chooses a new
    password, and is asked for the phone's code when logging in with it."""
    admin_name, member = RESETTING[(viewport, language)]
    admin = browse(admin_name)
    # The member logs in below with the new password, which ends the member's other sessions.
    admin.run.claim(member)
    admin.goto("web:home", step="home")
    admin.follow("accounts:users", step="users")
    row = admin.page.locator("main tbody tr").filter(has_text=member)
    admin.click(row.locator("button[type=submit]"), step="link")
    link = admin.page.input_value("#reset-link")
    assert "/accounts/reset/" in link

    visitor = browse()
    visitor.goto(link.removeprefix(visitor.server.url), step="opened")
    assert visitor.page.url.endswith(reverse("accounts:reset_password"))
    visitor.page.fill("#id_new_password1", NEW_PASSWORD)
    visitor.page.fill("#id_new_password2", NEW_PASSWORD)
    visitor.click("main button[type=submit]", step="chosen")
    assert visitor.page.url.endswith(reverse("accounts:login"))
    visitor.page.fill("#id_username", member)
    visitor.page.fill("#id_password", NEW_PASSWORD)
    visitor.click("main button[type=submit]", step="second-factor")
    assert visitor.page.url.endswith(reverse("accounts:verify"))
    # The link worked once: opening it again says so.
    visitor.goto(link.removeprefix(visitor.server.url), step="used-link")
    assert visitor.page.locator("main h1").count() == 1
    assert visitor.page.locator("main form").count() == 0
