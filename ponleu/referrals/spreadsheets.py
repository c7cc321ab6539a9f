"""The service directory's spreadsheet: one provider per row, in the registry's bilingual format.

As for people (``registry/spreadsheets.py``, whose reader and template builder this reuses),
the headers are data: a Khmer row and an English row, either of which finds a column, so a
file filled in under one language imports under the other and reordered columns still import.
Each service has its own column, whose drop-down is the cost (free, low cost, paid): an empty
cell means the provider does not offer it.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils import translation

from ponleu.registry import spreadsheets as sheets

from .choices import Cost, ProviderKind, ServiceType

Column = sheets.Column
TITLE = "providers"
FIRST_DATA_ROW = sheets.FIRST_DATA_ROW
MAX_ROWS = 2_000
SERVICE_PREFIX = "service:"

_BEFORE = (
    Column("kind", "ប្រភេទអ្នកផ្តល់សេវា", "Kind of provider", ProviderKind, width=22),
    Column("name_km", "ឈ្មោះ (ខ្មែរ)", "Name (Khmer)", width=30),
    Column("name_en", "ឈ្មោះ (អង់គ្លេស)", "Name (English)", width=30),
)
_AFTER = (
    Column(
        "areas",
        "ឃុំ ស្រុក ឬខេត្តដែលបម្រើ (លេខកូដ ដោយក្បៀស)",
        "Communes, districts or provinces served (codes, separated by commas)",
        text=True,
        width=26,
    ),
    Column("location", "ទីតាំង (លេខកូដឃុំ ឬភូមិ)", "Where (commune or village code)", text=True, width=14),
    Column("address", "អាសយដ្ឋាន", "Address", width=26),
    Column("phone", "លេខទូរស័ព្ទ", "Phone number", text=True, width=16),
    Column("hours", "ម៉ោងធ្វើការ", "Opening hours", width=22),
    Column("languages", "ភាសា (km, en, …)", "Languages (km, en, …)", width=12),
    Column(
        "accessibility",
        "ភាពងាយស្រួលចូលប្រើ (step_free, sign_language, child_friendly, female_staff)",
        "Accessibility (step_free, sign_language, child_friendly, female_staff)",
        width=22,
    ),
    Column(
        "organisation",
        "អង្គការនៅលើ Ponleu (ឈ្មោះខ្លី)",
        "Organisation on Ponleu (short name)",
        width=16,
    ),
)


def _label(label, language: str) -> str:
    with translation.override(language):
        return str(label)


@cache
def columns() -> tuple[Column, ...]:
    """The template's columns: the provider, one column per service (its cost), then the rest."""
    services = tuple(
        Column(
            SERVICE_PREFIX + code,
            "សេវា៖ " + _label(label, "km"),
            "Service: " + _label(label, "en"),
            Cost,
            width=16,
        )
        for code, label in ServiceType.choices
    )
    return _BEFORE + services + _AFTER


def service_of(key: str) -> str | None:
    return key.removeprefix(SERVICE_PREFIX) if key.startswith(SERVICE_PREFIX) else None


def build_template() -> bytes:
    return sheets.build_template(columns(), title=TITLE)


UnreadableFile = sheets.UnreadableFile


def read_rows(data: bytes):
    """(row number, {column key: text}) for every non-empty row; ``UnreadableFile`` otherwise."""
    return sheets.read_rows(data, columns(), title=TITLE)


def column_label(key: str, language: str | None) -> str:
    return sheets.column_label(key, language, columns())


def choice_code(value) -> str:
    return sheets.choice_code(value)


def codes(value) -> list[str]:
    """A list typed into one cell: "020101, 020102" or one per line."""
    return [part for part in re.split(r"[\s,;،]+", str(value or "")) if part]
