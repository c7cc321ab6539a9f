"""Run the tests as if today were another day.

``--today=2028-02-29`` (or ``PONLEU_TODAY``) moves the real clock for the whole session;
``--dates=2027-11-01,2028-02-29`` (or ``PONLEU_DATES``) runs each test marked ``dated`` once per
day, the clock moved for that test alone, so that one session (one test database) tries them
all. time-machine moves ``datetime`` and ``time.time`` themselves, so Django's and django-otp's
own reads follow, and lets the clock tick, so time still passes within a test. A test that forgot
to freeze the clock meets the last day of a month, 29 February, the holidays or the first day of
the school year. A bare date means 10:00 in Phnom Penh; ``2028-02-29T06:30`` picks the hour too
(before 07:00 the UTC date is still the day before). ``make test`` runs the dated tests at several
days (see the Makefile).
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

import pytest
import time_machine

from ponleu.common import clock

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
DEFAULT_HOUR = dt.time(10, 0)
_TRAVEL = pytest.StashKey[time_machine.travel]()
_MOMENT = pytest.StashKey[dt.datetime]()
_DATES = pytest.StashKey[tuple]()


def parse(value: str) -> dt.datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``, in Phnom Penh time."""
    try:
        if "T" in value:
            moment = dt.datetime.fromisoformat(value)
        else:
            moment = dt.datetime.combine(dt.date.fromisoformat(value), DEFAULT_HOUR)
    except ValueError:
        raise pytest.UsageError(f"a day is YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=PHNOM_PENH)


def pytest_addoption(parser):
    group = parser.getgroup("ponleu", "Ponleu's clock")
    group.addoption(
        "--today",
        default=os.environ.get("PONLEU_TODAY", ""),
        help="the whole session as if today were this day (YYYY-MM-DD[THH:MM], Phnom Penh); "
        "default $PONLEU_TODAY",
    )
    group.addoption(
        "--dates",
        default=os.environ.get("PONLEU_DATES", ""),
        help="run each test marked dated once per day of this comma-separated list; default $PONLEU_DATES",
    )


def pytest_configure(config):
    days = [value.strip() for value in config.getoption("--dates").split(",") if value.strip()]
    config.stash[_DATES] = tuple((value, parse(value)) for value in days)
    value = config.getoption("--today")
    if value:
        moment = parse(value)
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        config.stash[_TRAVEL] = travel
        config.stash[_MOMENT] = moment


def pytest_unconfigure(config):
    travel = config.stash.get(_TRAVEL, None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    lines = []
    if _MOMENT in config.stash:
        lines.append(f"clock: the session starts at {config.stash[_MOMENT].isoformat()} (--today)")
    if config.stash.get(_DATES, ()):
        lines.append("clock: dated tests run on " + ", ".join(v for v, _ in config.stash[_DATES]))
    return lines


def pytest_generate_tests(metafunc):
    days = metafunc.config.stash.get(_DATES, ())
    if days and metafunc.definition.get_closest_marker("dated"):
        metafunc.parametrize(
            "travel_to", [m for _, m in days], indirect=True, ids=[f"on {v}" for v, _ in days]
        )


@pytest.fixture(autouse=True)
def travel_to(request):
    """The day of a dated test's run under ``--dates`` (else None): the real clock is there."""
    moment = getattr(request, "param", None)
    if moment is None:
        yield None
        return
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def today():
    """The session's day (the real one, --today's or --dates'), the same for the whole test: the
    clock is frozen at this moment, so a test that runs across midnight does not see two days.
    Test modules may override it with a fixed day of their own."""
    with clock.frozen(clock.now()):
        yield clock.today()
