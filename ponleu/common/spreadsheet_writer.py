"""The one place Ponleu writes spreadsheets (XLSX and CSV), so that no cell can run as a formula.

A name, note or phone number typed by anyone may start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return; a spreadsheet program opening the file would run it as a formula (a link that
sends the sheet elsewhere, a command). Such text gets a leading apostrophe, also when invisible
characters come first (zero-width spaces, a byte-order mark, no-break spaces), since spreadsheet
programs skip those. Only text is touched: numbers, dates and booleans keep their type, so a
real negative number stays a number.

``tests/test_spreadsheet_writers.py`` fails when another module writes a spreadsheet itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import IO

from openpyxl import Workbook

QUOTE = "'"
# The fullwidth forms too: some spreadsheet programs read them as their ASCII twins.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Invisible letters that are not format characters, separators or marks.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# Controls, format characters, private-use and unassigned code points, separators, marks.
_SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_KEPT_TYPES = (bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)


def _skipped(char: str) -> bool:
    """Characters a spreadsheet program may pass over before deciding a cell is a formula."""
    return char in _FILLERS or unicodedata.category(char) in _SKIPPED_CATEGORIES


def is_formula_like(text: str) -> bool:
    for char in text:
        if char in FORMULA_STARTS:
            return True
        if not _skipped(char):
            return False
    return False


def _needs_quote(text: str) -> bool:
    # Text that already looks neutralised ('=x) gets one more apostrophe, so that ``restore``
    # gives back exactly what was written.
    return is_formula_like(text.lstrip(QUOTE))


def neutralise(value):
    """Text that could run as a formula gets a leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """What a person wrote, from a cell this module neutralised (for files that come back)."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def cell(value):
    """A value as a spreadsheet cell: numbers, dates and booleans as they are, None as empty,
    anything else as neutralised text."""
    if value is None or isinstance(value, _KEPT_TYPES):
        return value
    return neutralise(value if isinstance(value, str) else str(value))


def row(values: Iterable) -> list:
    return [cell(v) for v in values]


# --- XLSX ---------------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """A workbook to fill and format with openpyxl; write it out with ``xlsx_bytes``."""
    return Workbook()


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook as a file, every text cell of every sheet (hidden ones too) neutralised."""
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for item in cells:
                if isinstance(item.value, str):
                    # Assigning again also turns a cell openpyxl took for a formula into text.
                    item.value = neutralise(item.value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_table(headers: Iterable, rows: Iterable[Iterable], *, title: str = "Sheet1") -> bytes:
    """One sheet, a header row and data rows, streamed (constant memory for large exports)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(row(headers))
    for values in rows:
        sheet.append(row(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ----------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, _KEPT_TYPES):
        return str(value)
    return neutralise(value if isinstance(value, str) else str(value))


def write_csv_rows(handle: IO[str], rows: Iterable[Iterable], *, lineterminator: str = "\r\n") -> None:
    """Rows into an open text file (data files as well as exports go through here)."""
    writer = csv.writer(handle, lineterminator=lineterminator)
    for values in rows:
        writer.writerow([_csv_cell(v) for v in values])


def csv_bytes(headers: Iterable, rows: Iterable[Iterable]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read Khmer correctly."""
    buffer = io.StringIO()
    write_csv_rows(buffer, [headers])
    write_csv_rows(buffer, rows)
    return buffer.getvalue().encode("utf-8-sig")
