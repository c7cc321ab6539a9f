"""Attendance registers as schools keep them: a grid of pupils (rows) by days (columns).

Row 1 is the header. Its first cell is anything ("Pupil", "សិស្ស"); each further cell is a day:
a date (2026-01-05, 05/01/2026, or a spreadsheet date) or, with a month chosen on the form, a
day number 1-31. Column A names the pupil: the name as registered (Khmer or Latin letters) or
the pupil's id from the downloaded template. Cells hold P, A, L or E, the Khmer letters វ, អ,
យ, ច, or are empty (nothing recorded). Every unreadable cell, unknown pupil and bad header is
reported by row and column; the attendance service adds the calendar checks.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ponleu.common import spreadsheet_writer

from . import registers
from .services.attendance import GridCell
from .services.base import Problems

MAX_ROWS = 200
MAX_COLUMNS = 80
MAX_BYTES = 2 * 1024 * 1024


def _key(text: str) -> str:
    # The template's names went out neutralised ('=…); they come back as the pupil's name.
    text = spreadsheet_writer.restore(str(text).strip())
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def pupil_index(enrolments) -> tuple[dict[str, object], set[str]]:
    """Keys (ids and names) → enrolment id; names shared by two pupils are ambiguous."""
    index: dict[str, object] = {}
    ambiguous: set[str] = set()
    for e in enrolments:
        p = e.person
        index[str(e.pk)] = e.pk
        index[str(p.pk)] = e.pk
        names = {
            _key(p.display_name("km")),
            _key(p.display_name("en")),
            _key(f"{p.given_name_latin} {p.family_name_latin}"),
            _key(f"{p.given_name_km} {p.family_name_km}"),
        }
        for name in names - {""}:
            if name in index and index[name] != e.pk:
                ambiguous.add(name)
            index[name] = e.pk
    return index, ambiguous


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$"), (3, 2, 1)),
)


def _header_day(value, month: dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip() if value is not None else ""
    if month is not None and re.fullmatch(r"\d{1,2}(\.0)?", text):
        try:
            return month.replace(day=int(float(text)))
        except ValueError:
            return None
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                return None
    return None


def _csv_text(content: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel writes) or UTF-16 with its byte-order
    mark (Excel's "Unicode text"). Other encodings cannot hold Khmer, so they are refused by
    name rather than guessed at."""
    encoding = "utf-16" if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise ValueError(
            _(
                "This CSV file is not saved as Unicode (UTF-8), so its letters cannot be read. "
                "In Excel choose Save As, then “CSV UTF-8 (comma delimited)”, or upload the .xlsx file."
            )
        ) from None


def _csv_rows(text: str) -> list[list]:
    # Excel writes ';' where the decimal mark is a comma (French settings), a tab in "Unicode text".
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [row for _number, row in zip(range(MAX_ROWS + 1), reader, strict=False)]
    except csv.Error as exc:
        raise ValueError(
            _("Line %(line)d of this CSV file cannot be read: a cell is too long or a quote is not closed.")
            % {"line": reader.line_num}
        ) from exc


def read_rows(content: bytes, filename: str) -> list[list]:
    """The first sheet's rows; ValueError with a message for the user when the file is unreadable."""
    if len(content) > MAX_BYTES:
        raise ValueError(_("The file is larger than 2 MB; split it by month."))
    if filename.lower().endswith(".csv"):
        return _csv_rows(_csv_text(content))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
        book.close()
    except Exception as exc:  # noqa: BLE001 - any unreadable upload gets the same message
        raise ValueError(_("This is not a readable Excel (.xlsx) or CSV file.")) from exc
    return rows


def read_register(
    rows: list[list], enrolments, *, month: dt.date | None = None
) -> tuple[list[GridCell], Problems]:
    problems = Problems()
    cells: list[GridCell] = []
    if not rows:
        problems.add("file", _("The file is empty."))
        return cells, problems
    header = rows[0]
    days: dict[int, dt.date] = {}
    for j, value in enumerate(header[1:], start=1):
        if value is None or str(value).strip() == "":
            continue
        day = _header_day(value, month)
        if day is None:
            problems.add(
                f"row 1, column {get_column_letter(j + 1)}",
                _(
                    "%(value)r is not a date (use 2026-01-05, 05/01/2026, or a day number with a month chosen)."
                )
                % {"value": value},
            )
            continue
        days[j] = day
    if not days and not problems:
        problems.add("row 1", _("The header row has no dates."))
    index, ambiguous = pupil_index(enrolments)
    seen: dict[object, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        if not row or all(v is None or str(v).strip() == "" for v in row):
            continue
        name = _key(row[0] if row[0] is not None else "")
        where = f"row {i}, column A"
        if not name:
            problems.add(where, _("The pupil's name is missing."))
            continue
        if name in ambiguous:
            problems.add(where, _("Two pupils of this class have this name: use the id from the template."))
            continue
        enrolment_id = index.get(name)
        if enrolment_id is None:
            problems.add(where, _("No pupil of this class is called %(name)r.") % {"name": row[0]})
            continue
        if enrolment_id in seen:
            problems.add(where, _("This pupil is already on row %(row)d.") % {"row": seen[enrolment_id]})
            continue
        seen[enrolment_id] = i
        for j, day in days.items():
            value = row[j] if j < len(row) else None
            letter = registers.read_mark(value)
            if letter is None:
                problems.add(
                    f"row {i}, column {get_column_letter(j + 1)}",
                    _("%(value)r is not an attendance mark: use P, A, L or E (or វ, អ, យ, ច).")
                    % {"value": value},
                )
                continue
            if letter:
                cells.append(GridCell(i, get_column_letter(j + 1), enrolment_id, day, letter))
    return cells, problems


def register_template(enrolments, days: list[dt.date], *, labels: dict) -> bytes:
    """An XLSX register for the given school days, one row per pupil; the pupils' ids are on a
    second sheet, so the grid itself looks like the registers schools already draw."""
    book = spreadsheet_writer.new_workbook()
    sheet = book.active
    sheet.title = "Attendance"
    sheet.append([_("Pupil"), *[d.isoformat() for d in days]])
    for e in enrolments:
        sheet.append([labels.get(e.pk) or str(e.pk), *[""] * len(days)])
    sheet.column_dimensions["A"].width = 28
    notes = book.create_sheet(_("Ids"))
    notes.append([_("Pupil"), _("Id (use it instead of the name if two pupils share a name)")])
    for e in enrolments:
        notes.append([labels.get(e.pk) or "", str(e.pk)])
    return spreadsheet_writer.xlsx_bytes(book)
