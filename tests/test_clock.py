"""Ponleu's code reads the date and time through ``ponleu.common.clock`` only.

A direct read of the real clock (``date.today()``, ``datetime.now()``, ``timezone.now``, a field
``auto_now``, the database's ``Now()``, the ``{% now %}`` tag) escapes ``clock.frozen`` in the
tests, and ``date.today()`` even gives the server's UTC date, a day behind Phnom Penh from
midnight to 07:00.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ponleu"
THE_CLOCK = PACKAGE / "common" / "clock.py"

# Attributes that read the real clock, on what they are read from (the last name before the dot).
READS = {
    "today": {"date", "datetime"},
    "now": {"datetime", "timezone"},
    "utcnow": {"datetime"},
    "time": {"time"},
    "localtime": {"time"},
    "gmtime": {"time"},
    "ctime": {"time"},
}
# Read the clock when called without a value.
READS_WITHOUT_VALUE = {"localdate", "localtime"}
IMPORTED = {
    "django.utils.timezone": {"now", "localdate", "localtime"},
    "django.db.models.functions": {"Now"},
    "time": {"time", "localtime", "gmtime", "ctime"},
}
TEMPLATE_NOW = re.compile(r"{%\s*now\b")


def _owner(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for every direct read of the real clock in a module's source."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _owner(node.value) in READS.get(node.attr, ()):
            found.append((node.lineno, f"{_owner(node.value)}.{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in READS_WITHOUT_VALUE
            and _owner(node.func.value) == "timezone"
            and not node.args
            and not node.keywords
        ):
            found.append((node.lineno, f"timezone.{node.func.attr}()"))
        elif isinstance(node, ast.ImportFrom) and node.module in IMPORTED:
            for alias in node.names:
                if alias.name in IMPORTED[node.module]:
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
        elif isinstance(node, ast.keyword) and node.arg in ("auto_now", "auto_now_add"):
            found.append((node.value.lineno, f"{node.arg}= (use default=clock.now)"))
        elif isinstance(node, ast.Name) and node.id == "Now":
            found.append((node.lineno, "Now()"))
    return sorted(set(found))


def _modules():
    # Migrations only copy the models' fields, which test_no_model_field_defaults_to_the_real_clock reads.
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if path == THE_CLOCK or "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_no_code_reads_the_real_clock_but_the_clock():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        for line, what in clock_reads(path.read_text(encoding="utf-8"))
    ]
    offenders += [
        f"{path.relative_to(ROOT)}: {{% now %}}"
        for path in sorted(PACKAGE.rglob("*.html"))
        if TEMPLATE_NOW.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read the date and time through ponleu.common.clock:\n" + "\n".join(offenders)


# Inherited from Django's AbstractUser and never read; moving it to clock.now needs a migration of
# accounts, left for when the work under way there has landed.
INHERITED = {("accounts", "user", "date_joined")}
REAL_CLOCK = {timezone.now, dt.datetime.now, dt.date.today, dt.datetime.today}


def test_no_model_field_defaults_to_the_real_clock():
    offenders = []
    for model in apps.get_models():
        if not model.__module__.startswith("ponleu."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField):
                continue
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in INHERITED:
                continue
            if field.auto_now or field.auto_now_add or field.default in REAL_CLOCK:
                offenders.append(".".join(key))
    assert offenders == [], "default=clock.now instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "import datetime as dt\nx = dt.date.today()",
        "import datetime\nx = datetime.datetime.now()",
        "from datetime import datetime\nx = datetime.now(tz=None)",
        "from datetime import date\nx = date.today()",
        "import datetime as dt\nx = dt.datetime.utcnow()",
        "from django.utils import timezone\nx = timezone.now()",
        "from django.utils import timezone\nx = timezone.localdate()",
        "from django.utils import timezone\nx = timezone.localtime()",
        "from django.utils.timezone import now",
        "import time\nx = time.time()",
        "from django.db import models\nclass A:\n    at = models.DateTimeField(default=timezone.now)",
        "from django.db import models\nclass A:\n    at = models.DateTimeField(auto_now_add=True)",
        "from django.db.models.functions import Now\nx = Now()",
    ],
)
def test_the_guard_catches_each_way_of_reading_the_clock(source):
    assert clock_reads(source)


@pytest.mark.parametrize(
    "source",
    [
        "from ponleu.common import clock\nx = clock.now()\ny = clock.today()",
        "from django.utils import timezone\nx = timezone.localdate(value)\ny = timezone.localtime(value)",
        "import time\nstarted = time.perf_counter()\nz = time.monotonic()",
        "import datetime as dt\nx = dt.date.fromisoformat('2027-11-01')",
    ],
)
def test_reading_the_injected_clock_or_converting_a_given_moment_is_fine(source):
    assert clock_reads(source) == []


# The inline session runs in this process, where Django is already set up: without pytest-django.
PLUGIN = ("-p", "no:django", "-p", "ponleu.testing.travel")
INLINE = """
import datetime as dt

import pytest

from ponleu.common import clock


@pytest.mark.dated
def test_dated(travel_to):
    assert travel_to is not None
    assert clock.today() == travel_to.date()
    assert clock.now() - travel_to < dt.timedelta(minutes=5)  # the clock ticks on from there


def test_not_dated(travel_to):
    assert travel_to is None
    print("today:", clock.today())
"""


def test_each_dated_test_runs_once_on_each_day_given_with_the_real_clock_moved(pytester):
    pytester.makeini("[pytest]\nmarkers = dated: depends on the calendar\n")
    pytester.makepyfile(test_inline=INLINE)
    result = pytester.runpytest(*PLUGIN, "--dates=2028-02-29T06:30,2027-04-14", "-rA", "-s")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*test_dated?on 2028-02-29T06:30?*", "*test_dated?on 2027-04-14?*"])
    # 06:30 in Phnom Penh is 23:30 UTC the day before: the day is Phnom Penh's.
    assert "2028-02-28" not in result.stdout.str()


def test_the_whole_session_runs_on_the_day_given(pytester):
    pytester.makeini("[pytest]\nmarkers = dated: depends on the calendar\n")
    pytester.makepyfile(test_inline=INLINE)
    result = pytester.runpytest(*PLUGIN, "--today=2028-02-29T06:30", "-s", "-k", "not_dated")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*today: 2028-02-29"])


def test_a_day_that_is_not_a_date_is_refused_clearly(pytester):
    result = pytester.runpytest(*PLUGIN, "--today=29/02/2028")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*a day is YYYY-MM-DD or YYYY-MM-DDTHH:MM, not '29/02/2028'*"])
