"""Journeys through the shell: logging in and out, first-login enrolment, languages, home, roles."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from .harness import LANGUAGES, RUNS
from .server import ENROLMENT_USERS, code_for_key

pytestmark = pytest.mark.browser

# Accounts that log in through the page during a journey: one per viewport and language, since
# an authenticator code works once and logging out ends every session of the account.
LOGIN_USERS = dict(
    zip(
        RUNS,
        [
            f"{role}.chetana"
            for role in ("field", "caseworker", "caseworker2", "supervisor", "teacher", "teacher2")
        ][: len(RUNS)],
        strict=True,
    )
)
ENROLMENT = dict(zip(RUNS, ENROLMENT_USERS[: len(RUNS)], strict=True))


def switch_language(b, language: str) -> None:
    if b.page_language() != language:
        b.click(f"form.lang button[value={language}]", step="language")
    assert b.page_language() == language
    assert b.page.locator(f"form.lang button[value={language}]").get_attribute("aria-pressed") == "true"


def test_login_with_keyboard(browse, viewport, language):
    """A wrong password, the right one, the authenticator code, then out: with Tab and Enter only."""
    username = LOGIN_USERS[(viewport, language)]
    b = browse()
    b.run.claim(username)
    b.goto("accounts:login", step="login")
    assert b.page_language() == language  # the phone's language, before anyone is known
    b.tab_to("#id_username")
    b.page.keyboard.type(username)
    b.page.keyboard.press("Tab")
    b.page.keyboard.type("not-the-password")
    b.press("Enter", step="wrong-password")
    assert b.page.locator("main [role=alert]").count() == 1
    assert b.page.input_value("#id_username") == username
    b.tab_to("#id_password")
    b.page.keyboard.type(b.server.password(username))
    b.press("Enter", step="verify")
    assert b.page.url.endswith(reverse("accounts:verify"))
    b.tab_to("#id_code")
    b.page.keyboard.type(b.server.totp_code(username))
    b.press("Enter", step="home")
    assert b.page.url == b.server.url + reverse("web:home")
    switch_language(b, language)
    b.tab_to("header details.account summary")  # the account menu opens from the keyboard too
    b.page.keyboard.press("Enter")
    b.tab_to("header form button[type=submit]:not([name=language])")
    b.press("Enter", step="logged-out")
    assert b.page.url.endswith(reverse("accounts:login"))
    assert b.page.locator("ul.messages li").count() == 1
    b.goto("web:home", step="after-logout")
    assert b.page.url.startswith(b.server.url + reverse("accounts:login")), "logged out, yet home opened"


def test_first_login_enrolment(browse, viewport, language):
    """An account without a phone sets one up at its first login and gets recovery codes."""
    username = ENROLMENT[(viewport, language)]
    b = browse()
    b.run.claim(username)
    b.goto("accounts:login", step="login")
    b.page.fill("#id_username", username)
    b.page.fill("#id_password", b.server.password(username))
    b.click("main button[type=submit]", step="enrol")
    assert b.page.url.endswith(reverse("accounts:enrol"))
    secret = b.page.locator("code.secret").inner_text()
    # What an authenticator app shows once the key is typed into it.
    b.page.fill("#id_code", code_for_key(_base32_key(secret)))
    b.click("main button[type=submit]", step="recovery-codes", state="recovery-codes")
    assert b.page.locator("main li code").count() == 10
    b.click("main a.button", step="home")
    assert b.page.url == b.server.url + reverse("web:home")


def _base32_key(secret: str) -> bytes:
    secret = "".join(secret.split())  # shown in groups of four, as apps accept it
    padded = secret + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


@pytest.mark.languages("km")
def test_language_switch(browse, language):
    """The three language buttons in the header change the whole interface, and it stays so."""
    b = browse("caseworker.sabay")
    b.goto("web:home", step="home")
    assert b.page_language() == language
    for other in [code for code in LANGUAGES if code != language] + [language]:
        b.click(f"form.lang button[value={other}]", step=f"to-{other}")
        assert b.page_language() == other
        pressed = b.page.locator("form.lang button[aria-pressed=true]")
        assert pressed.count() == 1
        assert pressed.get_attribute("value") == other
    b.goto("web:home", step="home-again")
    assert b.page_language() == language


def test_home(browse):
    """Today: what is waiting for the caseworker, each item a count and a link to its full list."""
    b = browse("caseworker.sabay")
    b.goto("web:home", step="home")
    items = b.page.locator("main section.today")
    assert items.count() >= 1
    assert items.first.locator("h2 a .count").count() == 1
    b.goto("web:home", step="home-again")


def test_roles_table(browse):
    """The organisation's administrator reads what each role may do, from the menu."""
    b = browse("admin.sabay")
    b.goto("web:policy", step="roles")
    assert b.page.locator("main table tbody tr").count() > 10
    b.follow("web:home", step="home")
    b.follow("web:policy", step="roles-again")
    assert b.page.locator('nav.main a[aria-current="page"]').get_attribute("href") == reverse("web:policy")


def test_village_picker(browse):
    """The picker's partials: provinces, then a province's districts, then villages by name."""
    b = browse("field.sabay")
    b.goto("web:home", step="home")
    provinces = b.partial("web:unit_options", step="provinces")
    assert provinces.count("<option") == 26  # "Choose…" and the 25 provinces
    districts = b.partial("web:unit_options", step="districts", params={"parent": "02"})
    assert 'value="0201"' in districts
    villages = b.partial("web:village_search", step="villages", params={"village_q": "ស្វាយ"})
    assert "data-village-code" in villages


def test_device_tokens(browse, viewport, language):
    """A user issues a token for a tablet, copies it, then revokes it."""
    b = browse("teacher.sabay")
    b.goto("accounts:devices", step="devices")
    name = f"Tablet {viewport} {language}"
    b.page.fill("#id_name", name)
    b.page.locator("main fieldset input[type=checkbox]").first.check()
    b.page.fill("#id_password", b.server.password("teacher.sabay"))
    b.click("section[aria-labelledby=issue-heading] button[type=submit]", step="issued", state="issued")
    assert len(b.page.input_value("#token-value")) > 20
    b.click("main a.button", step="devices-again")
    revoke = b.page.locator("main li, main tr").filter(has_text=name).locator("button[type=submit]")
    b.click(revoke, step="revoked")
    assert b.page.locator("main li, main tr").filter(has_text=name).locator("button").count() == 0
