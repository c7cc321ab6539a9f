"""Every screen is visited by a journey: a new screen without one fails the suite."""

from __future__ import annotations

import os
import warnings

import pytest

from .routes import AWAITING_JOURNEY, EXEMPT, html_routes

pytestmark = [pytest.mark.browser, pytest.mark.after_journeys]

HOW_TO_ADD = """
Add a journey for each: a test taking the `browse` fixture in tests/browser/test_<area>.py, e.g.

    def test_person_search(browse):
        b = browse("caseworker.sabay")                  # a demo account allowed to see the screen
        b.goto("registry:person_list", step="list")     # checks the page (axe, screenshot: once a screen)
        b.click("main a >> nth=0", step="record")       # every page reached is checked too

It runs at 360x740 and 1280x800 in Khmer, English and French. If the route is not a screen (a file
download, a POST-only endpoint), list it in EXEMPT in tests/browser/routes.py with the reason."""


def test_every_screen_has_a_journey(browser_run):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip(
            "each pytest-xdist worker sees only its share of the journeys; run tests/browser in one process"
        )
    if browser_run.deselected:
        pytest.skip(
            f"{len(browser_run.deselected)} journeys were left out of this run; run tests/browser whole"
        )
    journeys = browser_run.outcomes
    if not journeys or set(journeys.values()) == {"skipped"}:
        pytest.skip("the journeys did not run (see why above), so there is nothing to compare")
    names = {r.view_name for r in html_routes()}
    stale = sorted((set(EXEMPT) | set(AWAITING_JOURNEY)) - names)
    assert not stale, f"tests/browser/routes.py names routes that no longer exist: {stale}"
    visited_now = sorted(set(AWAITING_JOURNEY) & set(browser_run.visited))
    assert not visited_now, f"a journey visits these now: take them out of AWAITING_JOURNEY: {visited_now}"
    for name, owed in sorted(AWAITING_JOURNEY.items()):
        warnings.warn(f"screen without its journey yet: {name}: {owed}", stacklevel=1)
    missing = [
        r
        for r in html_routes()
        if r.view_name not in EXEMPT
        and r.view_name not in AWAITING_JOURNEY
        and r.view_name not in browser_run.visited
    ]
    if missing:
        failed = sorted(k for k, v in journeys.items() if v == "failed")
        lines = [f"  {r.view_name:40} {r.path}" for r in missing]
        note = (
            f"\n(journeys that failed, and may have stopped before a screen: {len(failed)})" if failed else ""
        )
        pytest.fail(
            f"{len(missing)} screen(s) no browser journey visited:\n"
            + "\n".join(lines)
            + note
            + "\n"
            + HOW_TO_ADD,
            pytrace=False,
        )
