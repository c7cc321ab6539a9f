"""The "Today" home page's one small interface: what an app asks of the person right now.

Each domain app declares its items in its own ``today.py`` (``ITEMS``): a title, the
capability the item needs, an urgency (lower comes first), the address of the full list it
summarises (already filtered), ``find(actor, limit)``, which counts and lists through the
app's selectors, so through ``visible_to``, and ``record``, which writes the access event of
the records the short lists showed (child data is never shown unaudited). ``web/today.py`` names the apps' modules one by
one (explicit, no registry) and shows the items with something in them.

The count and the full list come from the same filtered selector, so the number on the home
page is the number of rows behind its link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

# How many rows an item lists on the home page; the rest are behind its link.
SHORT_LIST = 3


@dataclass(frozen=True)
class Entry:
    """One row of an item's short list: what to show and where one tap leads."""

    label: str
    url: str
    meta: str = ""
    day: dt.date | None = None  # a due date, shown in the reader's calendar and digits
    late: bool = False
    action: str = ""  # the verb of a one-tap button ("Take the roll call"); empty for a plain link


@dataclass(frozen=True)
class Found:
    count: int
    entries: list[Entry] = field(default_factory=list)
    # The records the entries show, for the item's ``record`` (one access event per page).
    served: tuple = ()


@dataclass(frozen=True)
class Item:
    key: str
    title: object
    capability: str
    urgency: int
    full_list: Callable[[object], str]
    find: Callable[[object, int], Found]
    # Writes the access event of what the page showed: called once per page with the records
    # every item sharing it served, so that a page of many items is one read in the audit log.
    record: Callable[[object, list], None] | None = None


NOTHING = Found(0, [])
