"""The harness itself: axe-core runs once per screen state, and a new state is still checked.

The login page, already checked as it opens, is broken in place (a button without a name, a
critical axe finding) and shown with an alert: that is a state of its own, so axe runs on it
and the step fails, naming the finding and the screenshot of the failing page.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BROKEN = """() => document.querySelector('main').insertAdjacentHTML('beforeend',
    '<p class="alert error" role="alert">!</p><button type="button"></button>')"""


@pytest.mark.languages("km")
def test_new_state_of_a_checked_screen_is_checked(browse, viewport, language):
    b = browse()
    b.goto("accounts:login", step="login")
    opened = b.screen_key()
    assert opened == ("accounts:login", "", viewport, language)
    assert opened in b.run.screens, "the login page as it opens was not checked"
    b.page.evaluate(BROKEN)
    with pytest.raises(AssertionError) as failure:
        b.checkpoint(step="broken", state="harness")
    message = str(failure.value)
    assert "axe critical: button-name" in message
    assert "screenshot: var/screenshots/failed_" in message
    broken = b.screen_key("harness")
    assert broken == ("accounts:login", "harness+errors", viewport, language)
    check = b.run.screens[broken]
    assert (check.journey, check.step) == ("new_state_of_a_checked_screen_is_checked", "broken")
    # Not a screen of the application: its screenshots go, the record of the check stays.
    check.screenshot.unlink()
    for path in check.screenshot.parent.glob("failed_new_state_of_a_checked_screen_is_checked_*"):
        path.unlink()
