"""The server under test: the real application (`ponleu serve`, waitress) on a free local port.

It gets its own SQLite database and var/ directory in a temporary folder, the gazetteer, a
small deterministic demo world and collected static files, exactly as an operator would set
up a demo with the `ponleu` command. The test process never touches that database.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django_otp.oath import TOTP, totp

from ponleu.demo import staff
from ponleu.demo.world import DEFAULT_SEED
from ponleu.testing.template_db import sqlite_template

ROOT = Path(__file__).resolve().parents[2]
PEOPLE_PER_ORG = 60
STARTUP_SECONDS = 60
PR_SET_PDEATHSIG = 1

# Demo accounts whose phone is removed before the server starts, so their first login goes
# through enrolment (one per journey run: once enrolled, an account has a phone).
ENROLMENT_USERS = (
    "field.angkor-light",
    "caseworker.angkor-light",
    "caseworker2.angkor-light",
)

# The journeys never open the API documentation or the Django admin; their assets (30 MB)
# would take most of a minute to compress on every run.
STATIC_IGNORED = ("ninja", "admin")

# The small world's previous school year has too few dropouts to train a risk model, so one
# organisation imports a school history (`ponleu ews generate` and `ponleu ews import`, as an
# organisation bringing its records would) and trains a candidate model on it, as the demo does.
HISTORY_ORGANISATION = "chetana"
HISTORY_STUDENTS = 800

# The database steps an operator runs for a demo, in one process to save interpreter start-ups:
# migrate, gazetteer load, the demo world, the imported history and its model, then the
# enrolment accounts lose their phone.
_BUILD = """
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from ponleu.access.actors import system_actor
from ponleu.demo.education import DEMO_TRAINING
from ponleu.early_warning.services import training
from ponleu.organisations.models import Organisation
call_command("migrate", interactive=False, verbosity=0)
call_command("gazetteer", "load", verbosity=0)
call_command("demo", "--seed", "{seed}", "--people-per-org", "{people}")
call_command("ews", "generate", "{history}", "--students", "{students}", "--cohorts", "2", "--seed", "{seed}")
call_command("ews", "import", "{history}", "--organisation", "{organisation}")
organisation = Organisation.objects.get(short_name="{organisation}")
training.model_train(actor=system_actor(organisation.pk, name="demo"), settings=DEMO_TRAINING)
TOTPDevice.objects.filter(user__username__in={users!r}).delete()
"""


def _die_with_parent() -> None:
    """In the server's process: end it if the test run is killed before it can stop it."""
    # Not on Linux: nothing to do, the fixture's teardown still stops the server.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(var_dir: Path) -> dict[str, str]:
    # The test process runs with the test settings; the server must see none of them.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PONLEU_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "PONLEU_MODE": "demo",
            "PONLEU_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'ponleu.sqlite3'}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class DemoServer:
    var_dir: Path
    seed: int = DEFAULT_SEED
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self):
        self.log_path = self.var_dir / "serve.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _ponleu(self, *args: str) -> subprocess.Popen:
        # `python -m ponleu.cli` from the checkout, so the code under test is this tree's.
        return subprocess.Popen(
            [sys.executable, "-m", "ponleu.cli", *args],
            cwd=ROOT,
            env=_environment(self.var_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def prepare(self) -> None:
        """Collect static files while the database is built: they do not depend on each other."""
        ignored = [arg for name in STATIC_IGNORED for arg in ("--ignore", name)]
        build = _BUILD.format(
            seed=self.seed,
            people=PEOPLE_PER_ORG,
            users=list(ENROLMENT_USERS),
            history=self.var_dir / "history",
            students=HISTORY_STUDENTS,
            organisation=HISTORY_ORGANISATION,
        )
        # The server tests leave a migrated template (ponleu/testing/template_db.py); starting
        # from a copy, `migrate` finds nothing left to do. Without one it migrates from empty.
        template = sqlite_template()
        if template.exists():
            shutil.copyfile(template, self.var_dir / "ponleu.sqlite3")
        steps = {
            "collectstatic": self._ponleu("collectstatic", "--noinput", "-v0", *ignored),
            "migrate, gazetteer load, demo": self._ponleu("shell", "-c", build),
        }
        failures = []
        for name, process in steps.items():
            output, _ = process.communicate()
            if process.returncode != 0:
                failures.append(f"ponleu {name} failed:\n{output}")
        if failures:
            raise RuntimeError("\n".join(failures))

    def start(self) -> None:
        self.port = _free_port()
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ponleu.cli", "serve", "--port", str(self.port), "--threads", "4"],
            cwd=ROOT,
            env=_environment(self.var_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ponleu serve exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"ponleu serve did not answer in {STARTUP_SECONDS} s:\n{self.log_path.read_text()}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def run_tasks(self) -> str:
        """Run the queued background tasks once, as an operator's `ponleu worker` would."""
        worker = self._ponleu("worker", "--batch", "--queue-name", "*", "--no-startup-delay")
        output, _ = worker.communicate()
        if worker.returncode != 0:
            raise RuntimeError(f"ponleu worker failed:\n{output}")
        return output

    def server_log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def last_error(self, lines: int = 30) -> str:
        """The end of the server's last traceback, to show beside a page that answered 500."""
        log = self.server_log()
        start = log.rfind("Traceback (most recent call last)")
        if start < 0:
            return ""
        return "\n".join(log[start:].splitlines()[-lines:])

    # The demo's credentials, derived from the seed as `ponleu demo` derives them.
    def password(self, username: str) -> str:
        return staff.password_for(username, self.seed)

    def totp_code(self, username: str) -> str:
        """What the user's authenticator app shows (the demo key, as `ponleu demo code` reads it).

        The server accepts each code once, as a real authenticator's. A second login of the
        same account within one 30-second window types the next window's code, as a phone
        whose clock runs up to 30 seconds ahead would: the server accepts a code one step away
        (django-otp's tolerance). Only a third login in the same window waits.
        """
        used = self.__dict__.setdefault("_totp_windows", {})
        now = int(time.time()) // 30
        window = max(now, used.get(username, now - 1) + 1)
        if window > now + TOTP_TOLERANCE:
            time.sleep((window - TOTP_TOLERANCE) * 30 - time.time() + 0.5)
        used[username] = window
        return code_for_key(bytes.fromhex(staff.totp_key_for(username, self.seed)), window)


# Steps away from the server's clock that it accepts (TOTPDevice.tolerance, default 1).
TOTP_TOLERANCE = 1


def code_for_key(key: bytes, window: int | None = None) -> str:
    """The code of ``window`` (30-second steps since 1970; now when None)."""
    if window is None:
        return f"{totp(key, step=30, t0=0, digits=6):06d}"
    oath = TOTP(key, step=30, t0=0, digits=6)
    oath.time = window * 30
    return f"{oath.token():06d}"
