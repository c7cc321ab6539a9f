"""Fixtures for the browser journeys: the demo server, one Chromium, logged-in sessions.

Chromium is Debian's (/usr/bin/chromium; `make browser-deps` installs it). Without it the
journeys skip with a loud message, except when CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from .harness import ROOT, RUNS, SCREENSHOTS, VIEWPORTS, Browse, Run
from .server import DemoServer
from .timeline import Timeline

CHROMIUM = os.environ.get("PONLEU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPORT = ROOT / "var" / "browser-report.json"
MISSING = pytest.StashKey[str]()
_RUN = Run()
_TIMELINE = Timeline()
_SUITE: set[str] = set()  # test ids of everything in tests/browser (journeys and meta-tests)


def _in_suite(item) -> bool:
    return Path(str(item.path)).is_relative_to(Path(__file__).parent)


def is_journey(item) -> bool:
    return _in_suite(item) and "browse" in getattr(item, "fixturenames", ())


def pytest_configure(config):
    config.addinivalue_line("markers", "languages(*codes): run this journey only in these languages")
    config.addinivalue_line("markers", "after_journeys: runs after every journey (reads what they visited)")


def pytest_generate_tests(metafunc):
    if "browse" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("languages")
    if marker:
        runs = [(viewport, language) for viewport in VIEWPORTS for language in marker.args]
    else:
        runs = list(RUNS)
    metafunc.parametrize(("viewport", "language"), runs, ids=[f"{v}-{lang}" for v, lang in runs])


def pytest_collection_modifyitems(session, config, items):
    _RUN.journeys.update(item.nodeid for item in items if is_journey(item))
    _SUITE.update(item.nodeid for item in items if _in_suite(item))
    # The coverage meta-test reads what the journeys visited, so it runs after the last of them.
    last = [i for i in items if _in_suite(i) and i.get_closest_marker("after_journeys")]
    if not last:
        return
    rest = [i for i in items if i not in last]
    journeys = [n for n, i in enumerate(rest) if _in_suite(i)]
    at = (journeys[-1] + 1) if journeys else len(rest)
    items[:] = rest[:at] + last + rest[at:]


def pytest_deselected(items):
    _RUN.deselected.extend(item.nodeid for item in items if is_journey(item))


def pytest_runtest_logreport(report):
    if report.nodeid in _SUITE:
        _TIMELINE.add(report)
    if report.nodeid not in _RUN.journeys:
        return
    if report.skipped or report.failed or report.when == "call":
        _RUN.outcomes.setdefault(report.nodeid, report.outcome)


def pytest_terminal_summary(terminalreporter, config):
    missing = config.stash.get(MISSING, "")
    if missing:
        terminalreporter.write_sep("!", "BROWSER JOURNEYS SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(missing, yellow=True, bold=True)
    if _RUN.pages:
        _write_report(_RUN, _TIMELINE)
        terminalreporter.write_sep("-", "browser page weights: heaviest visit, bytes on the wire / requests")
        for line in weight_table(_RUN):
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"details: {REPORT.relative_to(ROOT)}, screenshots: var/screenshots/")
    if _TIMELINE.ran():
        terminalreporter.write_sep("-", "browser time line: setting up, then each journey and its runs")
        for line in _TIMELINE.lines():
            terminalreporter.write_line(line)
        for line in screen_checks_lines(_RUN):
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def browser_run() -> Run:
    return _RUN


@pytest.fixture(scope="package")
def chromium(request):
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium is not installed at {CHROMIUM}: the browser journeys did not run. "
            "Install it with `make browser-deps` (apt-get install chromium chromium-driver fonts-noto-core)."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " CI requires them.", pytrace=False)
        request.config.stash[MISSING] = message
        pytest.skip(message)
    if not _RUN.deselected:
        # A whole run: screenshots of journeys renamed or removed since must not linger.
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        _TIMELINE.fixture("Chromium", time.monotonic() - started)
        yield browser
        started = time.monotonic()
        browser.close()
    _TIMELINE.fixture("Chromium closed", time.monotonic() - started)


@pytest.fixture(scope="package")
def demo_server(chromium, tmp_path_factory, request):
    if request.config.getoption("--today"):
        pytest.skip("the server under test keeps the real clock: run the journeys without --today")
    server = DemoServer(var_dir=tmp_path_factory.mktemp("ponleu-browser"))
    started = time.monotonic()
    server.prepare()
    _TIMELINE.fixture("demo world", time.monotonic() - started)
    started = time.monotonic()
    server.start()
    _TIMELINE.fixture("server start", time.monotonic() - started)
    yield server
    started = time.monotonic()
    server.stop()
    _TIMELINE.fixture("server stop", time.monotonic() - started)


class Logins:
    """Logged-in sessions, one per account, made once through the real login page."""

    def __init__(self, browser, server: DemoServer, run: Run):
        self.browser = browser
        self.server = server
        self.run = run
        self.states: dict[str, dict] = {}

    def state(self, username: str) -> dict:
        if username not in self.states:
            self.run.claim(username)
            context = self.browser.new_context(base_url=self.server.url)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", self.server.password(username))
            with page.expect_navigation():
                page.locator("main button[type=submit]").click()
            page.fill("#id_code", self.server.totp_code(username))
            with page.expect_navigation():
                page.locator("main button[type=submit]").click()
            assert page.url.rstrip("/") == self.server.url, f"login as {username} ended at {page.url}"
            self.states[username] = context.storage_state()
            context.close()
        return self.states[username]


@pytest.fixture(scope="package")
def logins(chromium, demo_server, browser_run):
    return Logins(chromium, demo_server, browser_run)


@pytest.fixture
def browse(request, chromium, demo_server, browser_run, logins, viewport, language):
    """``browse(username)`` opens a logged-in tab; ``browse()`` a visitor's tab."""
    journey = request.node.originalname.removeprefix("test_")
    opened: list[Browse] = []

    def open_tab(username: str | None = None) -> Browse:
        tab = Browse(
            run=browser_run,
            browser=chromium,
            server=demo_server,
            journey=journey,
            viewport=viewport,
            language=language,
        )
        opened.append(tab)
        if username is None:
            return tab.open_context()
        tab.open_context(logins.state(username))
        tab.user = username
        tab.set_language(language)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def weight_table(run: Run) -> list[str]:
    """Per screen, the heaviest of its visits of each kind across viewports and languages."""
    heaviest: dict[str, dict[str, tuple[int, int]]] = {}
    for page in run.pages:
        kinds = heaviest.setdefault(page.view_name, {})
        figure = (page.weight.bytes, page.weight.requests)
        kinds[page.kind] = max(kinds.get(page.kind, figure), figure)
    width = max(len(view) for view in [*heaviest, "screen"])
    lines = [f"{'screen':{width}} {'first visit':>18} {'warm cache':>16} {'HTMX partial':>16}"]
    for view, kinds in sorted(heaviest.items()):

        def cell(kind, kinds=kinds):
            return f"{kinds[kind][0]:,} B / {kinds[kind][1]}" if kind in kinds else "-"

        lines.append(f"{view:{width}} {cell('first'):>18} {cell('warm'):>16} {cell('partial'):>16}")
    return lines


def screen_checks_lines(run: Run) -> list[str]:
    """How many times the slow checks ran, for how many steps, and where the steps' time went."""
    steps = sum(1 for p in run.pages if p.kind != "partial")
    spent = ", ".join(
        f"{what} {run.seconds[what]:.1f}s"
        for what in ("pages", "page checks", "axe", "screenshot")
        if what in run.seconds
    )
    return [
        f"{steps} steps; axe-core and a full-page screenshot once per screen state (screen, state,"
        f" viewport, language): {len(run.screens)}",
        f"time in the steps: {spent} (pages: loading and waiting for their requests)",
    ]


def _write_report(run: Run, timeline: Timeline) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    pages = [
        {
            "journey": p.journey,
            "step": p.step,
            "viewport": p.viewport,
            "language": p.language,
            "view": p.view_name,
            "kind": p.kind,
            "bytes": p.weight.bytes,
            "requests": p.weight.requests,
            "from_cache": p.weight.cached,
            "state": p.screen[1] if p.screen else None,
        }
        for p in run.pages
    ]
    screens = [
        {
            "screen": c.screen,
            "state": c.state,
            "viewport": c.viewport,
            "language": c.language,
            "checked_by": f"{c.journey} / {c.step}",
            "url": c.url,
            "screenshot": str(c.screenshot.relative_to(ROOT)),
            "axe": c.axe,
        }
        for c in run.screens.values()
    ]
    visited = {name: sorted(journeys) for name, journeys in sorted(run.visited.items())}
    report = {"pages": pages, "screens": screens, "visited": visited, "timeline": timeline.as_json()}
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False))
