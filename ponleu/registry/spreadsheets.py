"""The people spreadsheet: template columns, reading an upload, writing exports.

The template is a fixed bilingual interchange format (Khmer header row, English header row,
data from row 3), so its headers are data here rather than interface strings: a file filled
in by a Khmer-speaking worker must import on a server whose user reads English, and back.
Columns are found by either header, so reordered columns still import.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ponleu.common import spreadsheet_writer

from .choices import DatePrecision, IdentifierType, IDPoorStatus, PersonKind, PhoneOwner, Relationship, Sex

FIRST_DATA_ROW = 3
MAX_ROWS = 20_000
YES_NO = (("yes", "បាទ/ចាស", "yes"), ("no", "ទេ", "no"))


@dataclass(frozen=True)
class Column:
    key: str
    km: str
    en: str
    choices: object = None  # a TextChoices class, "yes_no", or None
    text: bool = False  # keep as text (leading zeros) in the template
    width: int = 18

    def header(self, language: str | None = None) -> str:
        return self.km if language == "km" else self.en


COLUMNS = (
    Column("household", "លេខគ្រួសារក្នុងឯកសារនេះ", "Household number in this file", text=True, width=14),
    Column("relationship", "ទំនាក់ទំនងក្នុងគ្រួសារ", "Relationship in the household", Relationship),
    Column("primary_caregiver", "អ្នកថែទាំចម្បង", "Primary caregiver", "yes_no", width=12),
    Column("kind", "ចុះឈ្មោះជា", "Registered as", PersonKind),
    Column("family_name_km", "នាមត្រកូល (ខ្មែរ)", "Family name (Khmer)"),
    Column("given_name_km", "នាមខ្លួន (ខ្មែរ)", "Given name (Khmer)"),
    Column("family_name_latin", "នាមត្រកូល (ឡាតាំង)", "Family name (Latin letters)"),
    Column("given_name_latin", "នាមខ្លួន (ឡាតាំង)", "Given name (Latin letters)"),
    Column("nickname", "ឈ្មោះហៅក្រៅ", "Nickname"),
    Column("sex", "ភេទ", "Sex", Sex, width=12),
    Column("date_of_birth", "ថ្ងៃខែឆ្នាំកំណើត", "Date of birth (dd/mm/yyyy)", text=True, width=14),
    Column("date_of_birth_precision", "ភាពច្បាស់លាស់នៃថ្ងៃកំណើត", "Date of birth known to", DatePrecision),
    Column("village", "លេខកូដភូមិ", "Village code", text=True, width=12),
    Column("phone", "លេខទូរស័ព្ទ", "Phone number", text=True, width=16),
    Column("phone_owner", "ម្ចាស់ទូរស័ព្ទ", "Whose phone", PhoneOwner),
    Column("identifier_type", "ប្រភេទឯកសារ", "Document", IdentifierType),
    Column("identifier_value", "លេខឯកសារ", "Document number", text=True),
    Column("idpoor_status", "ស្ថានភាពអត្តសញ្ញាណកម្មគ្រួសារក្រីក្រ", "IDPoor status", IDPoorStatus),
    Column("equity_card_number", "លេខប័ណ្ណសមធម៌", "Equity card number", text=True),
)
BY_KEY = {column.key: column for column in COLUMNS}


def choice_labels(column: Column) -> list[str]:
    """Drop-down entries: code, then the Khmer and English labels ("F - ស្រី / Female")."""
    if column.choices == "yes_no":
        return [f"{code} - {km} / {en}" for code, km, en in YES_NO]
    entries = []
    for code, label in column.choices.choices:
        if code == "":
            continue
        with translation.override("km"):
            km = str(label)
        with translation.override("en"):
            en = str(label)
        entries.append(f"{code} - {km} / {en}" if km != en else f"{code} - {en}")
    return entries


def build_template(columns: tuple[Column, ...] = COLUMNS, *, title: str = "people") -> bytes:
    """A bilingual template of ``columns`` (the people's by default; the service directory
    builds its own from the same parts)."""
    workbook = spreadsheet_writer.new_workbook()
    sheet = workbook.active
    sheet.title = title
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F3EE")
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        for row, text in ((1, column.km), (2, column.en)):
            cell = sheet.cell(row=row, column=index, value=text)
            cell.font = bold
            cell.fill = fill
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 500):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            entries = choice_labels(column)
            for row, entry in enumerate(entries, start=1):
                lists.cell(row=row, column=list_column, value=entry)
            validation = DataValidation(
                type="list",
                formula1=f"=lists!${list_letter}$1:${list_letter}${len(entries)}",
                allow_blank=True,
            )
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{MAX_ROWS + FIRST_DATA_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    return spreadsheet_writer.xlsx_bytes(workbook)


class UnreadableFile(Exception):
    pass


def _cell_text(value) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return spreadsheet_writer.restore(str(value).strip())


def read_rows(
    data: bytes, columns: tuple[Column, ...] = COLUMNS, *, title: str = "people"
) -> tuple[dict[int, str], Iterator[tuple[int, dict]]]:
    """The column map (index → key) and (spreadsheet row number, {key: value}) for every
    non-empty data row. Raises UnreadableFile for what is not our template."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure means "not a readable xlsx"
        raise UnreadableFile(str(exc)) from None
    sheet = workbook[title] if title in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [next(rows, ()) or (), next(rows, ()) or ()]
    known = {}
    for column in columns:
        for name in (column.km, column.en, column.key):
            known[" ".join(name.split()).casefold()] = column.key
    mapping: dict[int, str] = {}
    for header_row in headers:
        for index, value in enumerate(header_row):
            key = known.get(" ".join(str(value or "").split()).casefold())
            if key and index not in mapping and key not in mapping.values():
                mapping[index] = key
    if not mapping:
        raise UnreadableFile("no known column headers")

    def generate():
        for number, row in enumerate(rows, start=FIRST_DATA_ROW):
            values = {
                key: _cell_text(row[index]) if index < len(row) else "" for index, key in mapping.items()
            }
            if any(v not in ("", None) for v in values.values()):
                yield number, values

    return mapping, generate()


def choice_code(value: str) -> str:
    """The code of a drop-down entry ("F - ស្រី / Female" → "F"); other text is returned as is."""
    text = str(value or "").strip()
    code, separator, _rest = text.partition(" - ")
    return code.strip() if separator else text


def yes_no(value) -> bool | None:
    text = choice_code(value).casefold()
    if text in ("yes", "y", "true", "1", "បាទ", "ចាស", "បាទ/ចាស"):
        return True
    if text in ("", "no", "n", "false", "0", "ទេ"):
        return False
    return None


def column_label(key: str, language: str | None, columns: tuple[Column, ...] = COLUMNS) -> str:
    """ "B (Given name (Khmer))": the column's letter and its header in ``language``."""
    by_key = {column.key: (index, column) for index, column in enumerate(columns, start=1)}
    if key not in by_key:
        return key
    index, column = by_key[key]
    return f"{get_column_letter(index)} ({column.header(language)})"


# --- export -------------------------------------------------------------------------------------


def write_xlsx(headers: list[str], rows: Iterable[list]) -> bytes:
    return spreadsheet_writer.xlsx_table(headers, rows, title="people")


def write_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    return spreadsheet_writer.csv_bytes(headers, rows)
