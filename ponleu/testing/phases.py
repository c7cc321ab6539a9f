"""`make test`'s phases: each in turn, stopping at the first that fails, then how long each took.

    python3 ponleu/testing/phases.py lint checks test-browser+test-server+test-postgres

Phases joined by `+` run at the same time. The browser journeys mostly wait (one demo server,
one Chromium, one step at a time: 5 minutes of processor time in 13:45 measured), so they run
beside both database phases instead of after them. The output of every phase but the first of a group goes to a file under
var/test-logs/ and is printed whole when the group ends, so no two phases' lines interleave.
Standard library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "test-logs"


def _make(phase: str, log: Path | None) -> subprocess.Popen:
    command = ["make", "--no-print-directory", phase]
    if log is None:
        return subprocess.Popen(command, cwd=ROOT)
    with log.open("w") as handle:
        return subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60:3d}:{seconds % 60:02d}"


def run_group(group: list[str]) -> list[tuple[str, float, int]]:
    """Run the phases of one group together; return (phase, seconds, exit status) of each."""
    LOGS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    running = []
    for n, phase in enumerate(group):
        log = None if n == 0 else LOGS / f"{phase}.log"
        running.append((phase, log, _make(phase, log)))
    results = []
    for phase, log, process in running:
        status = process.wait()
        results.append((phase, time.monotonic() - started, status))
        if log is not None:
            _say(f"\n===== {phase} (ran beside {group[0]}; also in {log.relative_to(ROOT)}) =====")
            _say(log.read_text(errors="replace"))
    return results


def main(argv: list[str]) -> int:
    begin = time.monotonic()
    lines = []
    status = 0
    for group in argv:
        for phase, took, code in run_group(group.split("+")):
            beside = " (together)" if "+" in group else ""
            failed = "  FAILED" if code else ""
            lines.append(f"  {phase:<14} {_clock(took)}{beside}{failed}")
            status = status or code
        if status:
            break
    _say("\nmake test, time per phase:")
    _say("\n".join(lines))
    _say(f"  {'total':<14} {_clock(time.monotonic() - begin)}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
