"""The browser session's time line: setting up, then each journey and its viewport/language runs.

pytest's reports give each test's start and duration; the package fixtures (Chromium, the
demo world and its server) are timed apart and taken out of the test whose setup or teardown
ran them, so a journey's figure is its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Entry:
    nodeid: str
    start: float  # epoch seconds, from pytest's report: the test's call, else its setup
    began: float  # its setup (the first to begin includes the package fixtures)
    seconds: float = 0.0
    outcome: str = "passed"


@dataclass
class Timeline:
    entries: dict[str, Entry] = field(default_factory=dict)
    fixtures: list[tuple[str, float]] = field(default_factory=list)  # (what, seconds)
    _unclaimed: float = 0.0  # fixture seconds not yet taken out of a test's setup or teardown

    def fixture(self, what: str, seconds: float) -> None:
        self.fixtures.append((what, seconds))
        self._unclaimed += seconds

    def add(self, report) -> None:
        """A test's setup, call or teardown report."""
        seconds = report.duration
        if report.when in ("setup", "teardown") and self._unclaimed:
            taken = min(self._unclaimed, seconds)
            seconds -= taken
            self._unclaimed -= taken
        entry = self.entries.get(report.nodeid)
        if entry is None:
            entry = self.entries[report.nodeid] = Entry(report.nodeid, report.start, report.start)
        if report.when == "call":
            entry.start = report.start
        entry.seconds += seconds
        if report.failed:
            entry.outcome = "failed"
        elif report.skipped and entry.outcome != "failed":
            entry.outcome = "skipped"

    def ran(self) -> bool:
        return any(e.outcome != "skipped" for e in self.entries.values())

    def lines(self) -> list[str]:
        if not self.entries:
            return []
        begin = min(e.began for e in self.entries.values())
        setting_up = sum(seconds for _, seconds in self.fixtures)
        tests = sum(e.seconds for e in self.entries.values())
        # Journeys in the order they started, each with its runs (viewport-language) in order.
        journeys: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries.values(), key=lambda e: e.start):
            journeys.setdefault(_journey(entry.nodeid), []).append(entry)
        width = max(len(name) for name in [*journeys, "(set-up, tear-down)"])
        lines = [f"{'from':>6} {'took':>6}  {'test':{width}}  runs"]
        if self.fixtures:
            parts = ", ".join(f"{what} {_duration(seconds)}" for what, seconds in self.fixtures)
            lines.append(
                f"{_clock(0):>6} {_duration(setting_up):>6}  {'(set-up, tear-down)':{width}}  {parts}"
            )
        for name, entries in journeys.items():
            runs = "  ".join(f"{_run(e.nodeid)} {_duration(e.seconds)}{_mark(e.outcome)}" for e in entries)
            took = sum(e.seconds for e in entries)
            start = entries[0].start - begin
            lines.append(f"{_clock(start):>6} {_duration(took):>6}  {name:{width}}  {runs}")
        lines.append(
            f"{'total':>6} {_clock(tests + setting_up):>6}  "
            f"(tests {_clock(tests)}, set-up and tear-down {_clock(setting_up)})"
        )
        return lines

    def as_json(self) -> dict:
        return {
            "setting_up": [{"what": what, "seconds": round(s, 2)} for what, s in self.fixtures],
            "tests": [
                {"test": e.nodeid, "seconds": round(e.seconds, 2), "outcome": e.outcome}
                for e in sorted(self.entries.values(), key=lambda e: e.start)
            ],
        }


def _journey(nodeid: str) -> str:
    """tests/browser/test_journeys_cases.py::test_case_list[360x740-km] -> cases.case_list"""
    path, _, name = nodeid.partition("::")
    module = path.rsplit("/", 1)[-1].removesuffix(".py")
    module = re.sub(r"^test_(journeys_)?", "", module)
    return f"{module}.{name.split('[', 1)[0].removeprefix('test_')}"


def _run(nodeid: str) -> str:
    found = re.search(r"\[(.+)\]$", nodeid)
    return found.group(1) if found else "-"


def _mark(outcome: str) -> str:
    return {"failed": " FAILED", "skipped": " skipped"}.get(outcome, "")


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _duration(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 60 else _clock(seconds)
