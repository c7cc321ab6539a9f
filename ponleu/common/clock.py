"""The one source of "now" for domain code, so that tests can move time.

Lockouts, session expiry, break-the-glass windows and overdue computations all read
``clock.now()``; tests call ``clock.freeze(...)`` / ``clock.advance(...)`` instead of
patching ``django.utils.timezone``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_frozen: list[dt.datetime] = []


def now() -> dt.datetime:
    if _frozen:
        return _frozen[-1]
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen(at: dt.datetime):
    """Freeze the clock at ``at`` for the duration of the block (nestable)."""
    if timezone.is_naive(at):
        raise ValueError("freeze the clock with an aware datetime")
    _frozen.append(at)
    try:
        yield Traveller()
    finally:
        _frozen.pop()


class Traveller:
    def advance(self, **delta: float) -> dt.datetime:
        _frozen[-1] = _frozen[-1] + dt.timedelta(**delta)
        return _frozen[-1]
