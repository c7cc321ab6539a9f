"""The journey harness: a browser tab that checks every page it reaches.

A journey is a test that takes the `browse` fixture; it runs once per viewport and language:

    def test_roles_table(browse):
        b = browse("admin.sabay")                   # logged in; browse() for a visitor
        b.goto("web:policy", step="table")          # a view name or a path
        b.follow("web:home", step="home")           # click the menu link to a view
        b.click("text=Save", step="saved")          # any click that loads a page

Every step waits for the page and its requests, then fails the test on: a console error, a
failed request, a Content-Security-Policy violation, sideways scrolling, clipped Khmer text
or Khmer text not in the project's font, an input without a label, content starting lower
than 120 px on the phone, or a page heavier than its budget.

The two slow checks, axe-core and a full-page screenshot, run once per screen (the route the
page came from, not its URL) in each state, viewport and language for the whole session: the
first step to reach a screen checks it, later steps there only get the checks above. A page
showing form errors is a state of its own; a journey names other states (``state="details"``)
where a screen shows something else in the same place. The screenshot is
var/screenshots/<screen>[~<state>]_<viewport>_<language>.png.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, resolve, reverse

from . import checks
from .network import NetworkLog, Weight

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"

VIEWPORTS = {"360x740": {"width": 360, "height": 740}, "1280x800": {"width": 1280, "height": 800}}
LANGUAGES = ("km", "en", "fr")
# Each journey runs in Khmer on the phone and on the laptop, and in French (the longest of the
# three, so the first to overflow) on the phone. English is the messages' own text: the shell's
# language journey switches to it, and the unit tests render every page in it.
RUNS = (("360x740", "km"), ("1280x800", "km"), ("360x740", "fr"))

# Page weight budgets: compressed bytes on the wire, for cheap phones on 3G.
FIRST_VISIT_BYTES = 80 * 1024
FIRST_VISIT_REQUESTS = 6
WARM_VISIT_BYTES = 15 * 1024
PARTIAL_BYTES = 10 * 1024

SETTLE_POLLS = 400  # x 25 ms: how long a step may wait for its requests to finish


@dataclass
class PageRecord:
    journey: str
    step: str
    viewport: str
    language: str
    view_name: str
    url: str
    kind: str  # "first" (cold cache), "warm" or "partial"
    weight: Weight
    screen: tuple[str, str, str, str] | None = None  # the screen check it fell under (key)


@dataclass
class ScreenCheck:
    """The slow checks of one screen, in one state, viewport and language: made once a session."""

    screen: str  # the route name (the path when it has none)
    state: str  # "" for the screen as it opens, else the journey's tag and/or "errors"
    viewport: str
    language: str
    journey: str  # the journey and step that made the check
    step: str
    url: str
    screenshot: Path
    axe: list[dict]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.screen, self.state, self.viewport, self.language)


@dataclass
class Run:
    """What the whole browser session saw: pages, weights, screens checked, routes visited."""

    pages: list[PageRecord] = field(default_factory=list)
    screens: dict[tuple[str, str, str, str], ScreenCheck] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # time spent loading pages, checking
    visited: dict[str, set[str]] = field(default_factory=dict)
    logged_in: set[str] = field(default_factory=set)
    journeys: set[str] = field(default_factory=set)  # test ids of the journeys collected
    outcomes: dict[str, str] = field(default_factory=dict)  # journey test id -> passed/failed/skipped
    deselected: list[str] = field(default_factory=list)  # journeys left out of this run

    def claim(self, username: str) -> None:
        """Each account logs in once per run: its authenticator code cannot be used twice."""
        assert username not in self.logged_in, f"{username} already logged in during this run: use another"
        self.logged_in.add(username)

    def visit(self, view_name: str, journey: str) -> None:
        self.visited.setdefault(view_name, set()).add(journey)

    def timed(self, what: str, started: float) -> None:
        self.seconds[what] = self.seconds.get(what, 0.0) + time.monotonic() - started


def view_name_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.+-]+", "-", text).strip("-")


class Browse:
    """One journey in one browser context (its own cookies and cache) at one viewport."""

    def __init__(self, *, run: Run, browser, server, journey: str, viewport: str, language: str):
        self.run = run
        self.server = server
        self.journey = journey
        self.viewport = viewport
        self.language = language
        self.user: str | None = None
        self._browser = browser
        self.context = None
        self.page = None
        self._loaded_pages = 0
        self._mark = 0  # where in the network log the last step began
        self._screen: tuple[str, str, str, str] | None = None

    # ---- setting up -------------------------------------------------------------------

    def open_context(self, storage_state=None) -> Browse:
        self.context = self._browser.new_context(
            viewport=VIEWPORTS[self.viewport],
            locale=self.language,
            storage_state=storage_state,
            base_url=self.server.url,
        )
        self._csp: list[dict] = []
        self._console: list[str] = []
        self.context.expose_binding("__ponleuCspViolation", lambda _source, report: self._csp.append(report))
        self.context.add_init_script(checks.CSP_LISTENER)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.network = NetworkLog(self.cdp)
        self.cdp.send("DOM.enable")
        self.cdp.send("CSS.enable")
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._console.append(f"uncaught: {error}"))
        self.page.on("request", self._on_request)
        return self

    def close(self) -> None:
        if self.context is not None:
            self.context.close()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._console.append(f"console error: {message.text}")

    def _on_request(self, request) -> None:
        if not request.url.startswith(self.server.url) or request.resource_type not in (
            "document",
            "fetch",
            "xhr",
        ):
            return
        name = view_name_of(request.url)
        if name:
            self.run.visit(name, self.journey)

    def set_language(self, language: str) -> None:
        """Choose the interface language before the first page, as the language buttons do."""
        csrf = next(c["value"] for c in self.context.cookies() if c["name"] == "ponleu_csrf")
        response = self.context.request.post(
            "/accounts/language/",
            form={"language": language, "next": "/", "csrfmiddlewaretoken": csrf},
            max_redirects=0,
        )
        assert response.status == 302, f"language switch answered {response.status}"

    # ---- moving around ------------------------------------------------------------------

    def url_for(self, target: str, **kwargs) -> str:
        return target if target.startswith("/") else reverse(target, kwargs=kwargs or None)

    # ``state`` names what a step shows on a screen other steps reach too (a form's second
    # stage, a panel that appears), so that the slow checks run on it as well (see above).

    def goto(self, target: str, *, step: str, state: str = "", **kwargs) -> Browse:
        url = self.url_for(target, **kwargs)
        return self._step(step, lambda: self.page.goto(url, wait_until="load"), state=state)

    def click(self, selector, *, step: str, state: str = "") -> Browse:
        locator = self.page.locator(selector) if isinstance(selector, str) else selector

        def action():
            with self.page.expect_navigation(wait_until="load"):
                locator.click()

        return self._step(step, action, state=state)

    def follow(self, view_name: str, *, step: str, state: str = "", **kwargs) -> Browse:
        """Click the first visible link on the page that leads to ``view_name`` (the menu,
        usually); on a phone, a section outside the bottom bar is reached through "More"."""
        href = reverse(view_name, kwargs=kwargs or None)
        link = self.page.locator(f'a[href="{href}"]:visible')
        more = self.page.locator("nav.main li.more a.open:visible")
        if not link.count() and more.count():
            more.click()  # the menu's own anchor: no page load
            link = self.page.locator(f'a[href="{href}"]:visible')
        return self.click(link.first, step=step, state=state)

    def press(self, key: str, *, step: str, state: str = "") -> Browse:
        """A key press that submits a form or follows a link (keyboard-only journeys)."""

        def action():
            with self.page.expect_navigation(wait_until="load"):
                self.page.keyboard.press(key)

        return self._step(step, action, state=state)

    def checkpoint(self, *, step: str, state: str = "") -> Browse:
        """Check the page as it is now, after the journey changed it in place (an HTMX swap it
        waited for): what happened in the browser since the last step, the page checks, and
        the slow checks for this state of the screen (``state`` defaults to ``step``)."""
        self._settle(self._mark)
        problems = self._browser_problems(self._mark)
        problems += self.check_page()
        problems += self._check_screen(step, state or step)
        self._fail(step, self.page.url, problems)
        return self

    def tab_to(self, selector: str, *, limit: int = 25) -> None:
        """Press Tab until ``selector`` has the focus, as a keyboard user would."""
        target = self.page.locator(selector)
        assert target.count() == 1, f"{selector} is not on the page"
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{selector} cannot be reached with Tab ({limit} presses)")

    def partial(
        self, target: str, *, step: str, params: dict | None = None, hx_target: str = "", **kwargs
    ) -> str:
        """Fetch an HTMX partial from the current page as htmx does; checks its size. Returns it.

        ``hx_target`` is the id of the element the partial replaces, for views that answer
        differently per target (htmx sends it as HX-Target)."""
        url = self.url_for(target, **kwargs)
        if params:
            url = f"{url}?{urlencode(params)}"
        mark = self._mark = self.network.mark()
        self._console.clear()
        self._csp.clear()
        status, body = self.page.evaluate(
            """async ([url, target]) => {
                const headers = {'HX-Request': 'true', 'HX-Current-URL': location.href};
                if (target) headers['HX-Target'] = target;
                const r = await fetch(url, {headers});
                return [r.status, await r.text()];
            }""",
            [url, hx_target],
        )
        self._settle(mark)
        weight = self.network.weight(mark)
        problems = self._browser_problems(mark)
        if status != 200:
            problems.append(f"{url} answered {status}")
        if re.search(r"<html|<body", body, re.IGNORECASE):
            problems.append(f"{url} sent a whole page, not a partial")
        if weight.bytes > PARTIAL_BYTES:
            problems.append(f"HTMX partial weighs {weight.bytes} B > {PARTIAL_BYTES} B\n{weight.describe()}")
        self._record(step, url, "partial", weight)
        self._fail(step, url, problems)
        return body

    # ---- checking -----------------------------------------------------------------------

    def _settle(self, mark: int) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        for _ in range(SETTLE_POLLS):
            if not self.network.pending(mark):
                return
            self.page.wait_for_timeout(25)
        pending = ", ".join(e.url for e in self.network.pending(mark))
        raise AssertionError(f"requests never finished: {pending}")

    def _browser_problems(self, mark: int) -> list[str]:
        problems = list(self._console)
        problems += [
            f"CSP violation: {v['directive']} blocked {v['blocked'] or 'inline code'}"
            f" ({v['source']}:{v['line']}) {v['sample'] or ''}".rstrip()
            for v in self._csp
        ]
        for entry in self.network.since(mark):
            if entry.failure:
                problems.append(f"request failed: {entry.method} {entry.url}: {entry.failure}")
            elif entry.status is not None and entry.status >= 400:
                problems.append(f"request answered {entry.status}: {entry.method} {entry.url}")
        return problems

    def _step(self, step: str, action, *, state: str = "") -> Browse:
        mark = self._mark = self.network.mark()
        self._console.clear()
        self._csp.clear()
        started = time.monotonic()
        action()
        self._settle(mark)
        self.run.timed("pages", started)
        url = self.page.url
        problems = self._browser_problems(mark)
        problems += self.check_page()
        problems += self._check_screen(step, state)
        # The first page of a fresh context comes with an empty cache; later ones reuse it.
        weight = self.network.weight(mark)
        kind = "first" if self._loaded_pages == 0 else "warm"
        self._loaded_pages += 1
        if kind == "first" and (weight.bytes > FIRST_VISIT_BYTES or weight.requests > FIRST_VISIT_REQUESTS):
            problems.append(
                f"first visit weighs {weight.bytes} B in {weight.requests} requests"
                f" (budget {FIRST_VISIT_BYTES} B in {FIRST_VISIT_REQUESTS})\n{weight.describe()}"
            )
        if kind == "warm" and weight.bytes > WARM_VISIT_BYTES:
            problems.append(
                f"visit with a warm cache weighs {weight.bytes} B (budget {WARM_VISIT_BYTES} B)\n"
                f"{weight.describe()}"
            )
        self._record(step, url, kind, weight)
        self._fail(step, url, problems)
        return self

    def check_page(self) -> list[str]:
        """The layout, text and form checks, on the page as it is now."""
        started = time.monotonic()
        problems = checks.horizontal_scroll(self.page)
        problems += checks.khmer_text(self.page, self.cdp, expect_khmer=self.page_language() == "km")
        problems += checks.unlabelled_inputs(self.page)
        if self.viewport.startswith("360"):
            problems += checks.content_start(self.page)
        self.run.timed("page checks", started)
        return problems

    def page_language(self) -> str:
        return self.page.evaluate("() => document.documentElement.lang")

    def screen_key(self, state: str = "") -> tuple[str, str, str, str]:
        """(screen, state, viewport, language) of the page as it is now."""
        url = self.page.url
        screen = view_name_of(url) or urlsplit(url).path
        if checks.shows_errors(self.page):
            state = f"{state}+errors" if state else "errors"
        return (screen, state, self.viewport, self.page_language())

    def _check_screen(self, step: str, state: str) -> list[str]:
        """axe-core and a full-page screenshot, unless this screen, state, viewport and
        language were already checked in this session."""
        key = self.screen_key(state)
        self._screen = key
        if key in self.run.screens:
            return []
        screen, state, viewport, language = key
        started = time.monotonic()
        violations = checks.axe(self.page)
        self.run.timed("axe", started)
        started = time.monotonic()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = _file_name(screen.replace(":", ".")) + (f"~{_file_name(state)}" if state else "")
        path = SCREENSHOTS / f"{name}_{viewport}_{language}.png"
        self.page.screenshot(path=path, full_page=True)
        self.run.timed("screenshot", started)
        check = ScreenCheck(
            screen=screen,
            state=state,
            viewport=viewport,
            language=language,
            journey=self.journey,
            step=step,
            url=self.page.url,
            screenshot=path,
            axe=violations,
        )
        self.run.screens[check.key] = check
        return checks.axe_blocking(violations)

    def _record(self, step, url, kind, weight) -> None:
        self.run.pages.append(
            PageRecord(
                journey=self.journey,
                step=step,
                viewport=self.viewport,
                language=self.page_language(),
                view_name=view_name_of(url) or url,
                url=url,
                kind=kind,
                weight=weight,
                screen=None if kind == "partial" else self._screen,
            )
        )

    def _fail(self, step: str, url: str, problems: list[str]) -> None:
        if problems:
            where = f"{self.journey} / {step} at {self.viewport} in {self.language}: {url}"
            if any(re.search(r"answered 5\d\d", p) for p in problems):
                problems.append("the server's last error:\n" + self.server.last_error())
            problems.append(self._failure_screenshot(step))
            raise AssertionError(where + "\n- " + "\n- ".join(problems))

    def _failure_screenshot(self, step: str) -> str:
        """The page a step failed on, whether or not its screen was checked before."""
        from playwright.sync_api import Error as PlaywrightError

        name = "_".join(
            _file_name(part) for part in ("failed", self.journey, step, self.viewport, self.language)
        )
        path = SCREENSHOTS / f"{name}.png"
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=path, full_page=True)
        except PlaywrightError as error:
            return f"no screenshot of the failing page: {error}"
        return f"screenshot: {path.relative_to(ROOT)}"
