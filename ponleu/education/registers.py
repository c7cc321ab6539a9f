"""A month's register as a short string: one letter per day, '.' where nothing is recorded.

``"PPAP.."`` means present on the 1st and 2nd, absent on the 3rd, present on the 4th, nothing
after. Strings are right-trimmed of '.' so a register filled to the 12th takes 12 bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .choices import RECORDED_STATUSES, AttendanceStatus

NONE = AttendanceStatus.NONE.value
LETTERS = (NONE, *RECORDED_STATUSES)

# What schools write in their own registers, mapped to Ponleu's letters. Khmer registers use
# វ (វត្តមាន, present), អ (អវត្តមាន, absent), យ (យឺត, late) and ច (ច្បាប់, excused).
SPREADSHEET_MARKS = {
    "p": "P",
    "present": "P",
    "/": "P",
    "✓": "P",
    "វ": "P",
    "a": "A",
    "absent": "A",
    "x": "A",
    "0": "A",
    "អ": "A",
    "l": "L",
    "late": "L",
    "យ": "L",
    "e": "E",
    "excused": "E",
    "ex": "E",
    "ច": "E",
}


def status_on(statuses: str, day: dt.date) -> str:
    index = day.day - 1
    return statuses[index] if index < len(statuses) else NONE


def with_status(statuses: str, day: dt.date, letter: str) -> str:
    if letter not in LETTERS:
        raise ValueError(f"unknown attendance status {letter!r}")
    index = day.day - 1
    padded = statuses.ljust(index + 1, NONE)
    return (padded[:index] + letter + padded[index + 1 :]).rstrip(NONE)


def day_version(statuses_by_pupil: dict[str, str]) -> str:
    """A short fingerprint of one day's roll call, for optimistic concurrency (ETag-like)."""
    text = ";".join(f"{key}={value}" for key, value in sorted(statuses_by_pupil.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_mark(value) -> str | None:
    """A spreadsheet cell as a status letter; '' for an empty cell; None when unreadable."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if text.upper() in RECORDED_STATUSES:
        return text.upper()
    return SPREADSHEET_MARKS.get(text.lower())
