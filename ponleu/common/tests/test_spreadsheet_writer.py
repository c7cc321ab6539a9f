"""The spreadsheet writer: no text cell can start a formula; numbers and dates keep their type."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ponleu.common import spreadsheet_writer as writer

# Characters spreadsheet programs are known to pass over, or that people paste by accident.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u3000\u00ad\u200e\u200f\u202e\u2066\u180e \u115f"
STARTS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"


def _looks_like_a_formula(text: str) -> bool:
    """An independent reading: skip whitespace and unprintable characters, then look."""
    rest = text
    while (
        rest
        and rest[0] not in STARTS
        and (rest[0] in INVISIBLE or rest[0].isspace() or not rest[0].isprintable())
    ):
        rest = rest[1:]
    return rest[:1] != "" and rest[0] in STARTS


hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(STARTS), st.sampled_from(INVISIBLE), st.just("'"), st.characters(codec="utf-8")
    ),
    max_size=12,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+855 12 345 678", "'+855 12 345 678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r@x", "'\r@x"),
        ("\ufeff-2", "'\ufeff-2"),
        ("\u200b+1", "'\u200b+1"),
        ("\u00a0=cmd", "'\u00a0=cmd"),
        (" =cmd", "' =cmd"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("'=x", "''=x"),  # already quoted text keeps its quote when read back
        ("Sok", "Sok"),
        ("សុខ", "សុខ"),
        ("a=b", "a=b"),
        ("", ""),
        (5, 5),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert writer.neutralise(value) == expected


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(hostile_text)
def test_no_neutralised_text_can_start_a_formula_and_restore_gives_it_back(text):
    safe = writer.neutralise(text)
    assert not _looks_like_a_formula(safe)
    assert not writer.is_formula_like(safe)
    assert writer.restore(safe) == text
    assert safe in (text, "'" + text)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.dates(),
        st.booleans(),
    )
)
def test_numbers_dates_and_booleans_are_never_turned_into_text(value):
    assert writer.cell(value) is value


def test_xlsx_keeps_numbers_and_dates_and_turns_formula_cells_into_text():
    book = writer.new_workbook()
    sheet = book.active
    sheet.append(["=1+1", -5, -2.5, dt.date(2026, 1, 5), "\u200b@x", "Sok"])
    hidden = book.create_sheet("ids")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "-cmd"
    read = load_workbook(io.BytesIO(writer.xlsx_bytes(book)))
    cells = [c.value for c in read.active[1]]
    assert cells[:3] == ["'=1+1", -5, -2.5]
    assert cells[3].date() == dt.date(2026, 1, 5)
    assert cells[4:] == ["'\u200b@x", "Sok"]
    assert {c.data_type for c in read.active[1]} == {"s", "n", "d"}
    assert read["ids"]["A1"].value == "'-cmd"


def test_a_streamed_table_and_a_csv_neutralise_text_only():
    values = ["=cmd", -3, Decimal("-1.50"), dt.date(2026, 2, 1), None, True, "x"]
    sheet = load_workbook(io.BytesIO(writer.xlsx_table(["-h"], [values], title="t")))["t"]
    assert sheet["A1"].value == "'-h"
    assert [c.value for c in sheet[2]][:3] == ["'=cmd", -3, -1.5]
    content = writer.csv_bytes(["@h"], [values])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["'@h"], ["'=cmd", "-3", "-1.50", "2026-02-01", "", "True", "x"]]
