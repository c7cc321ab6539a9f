"""Which backups to keep: the newest of each of the last days, ISO weeks and months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def to_keep(taken: Iterable[dt.datetime], *, daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """The backup times to keep; every other one may be deleted.

    The newest backup of each of the ``daily`` most recent days that have one, likewise of the
    ``weekly`` most recent ISO weeks and the ``monthly`` most recent months. The newest backup
    of all is always kept.
    """
    newest_first = sorted(taken, reverse=True)
    keep: set[dt.datetime] = set(newest_first[:1])
    for count, period in (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ):
        seen: list = []
        for moment in newest_first:
            key = period(moment)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(moment)
    return keep
