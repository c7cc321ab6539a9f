"""Loading the gazetteer: an idempotent upsert that never deletes.

A unit missing from a newer file is kept and marked inactive, so that old records that
point at a retired code (Kampong Speu's 0505, say) still resolve.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ponleu.common.khmer_text import ascii_fold, fold

from .choices import LEVEL_CODE_LENGTH, AdminLevel
from .models import AdminUnit

GAZETTEER_CSV = Path(__file__).parent / "data" / "cambodia_admin_units.csv"
_LEVEL_ORDER = [AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE, AdminLevel.VILLAGE]
_FIELDS = [
    "level",
    "parent_id",
    "type_km",
    "type_latin",
    "type_en",
    "name_km",
    "name_latin",
    "name_ungegn",
    "iso3166_2",
    "latitude",
    "longitude",
    "search_text",
    "is_active",
]


def normalise_code(raw: str) -> str:
    """Accept codes as other systems write them: 'KH0201', '201' → '0201'."""
    code = raw.strip().upper().removeprefix("KH")
    return code.zfill(len(code) + len(code) % 2)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int
    retired: int
    counts: dict[str, int]


def _float(value: str) -> float | None:
    return float(value) if value else None


def _row_to_values(row: dict) -> dict:
    level = row["level"]
    code = normalise_code(row["code"])
    if len(code) != LEVEL_CODE_LENGTH[level]:
        raise ValueError(f"code {row['code']!r} has the wrong length for a {level}")
    search = " ".join(
        part
        for part in (fold(row["name_km"]), ascii_fold(row["name_latin"]), ascii_fold(row["name_ungegn"]))
        if part
    )
    return {
        "code": code,
        "level": level,
        "parent_id": normalise_code(row["parent_code"]) if row["parent_code"] else None,
        "type_km": row["type_km"],
        "type_latin": row["type_latin"],
        "type_en": row["type_en"],
        "name_km": row["name_km"],
        "name_latin": row["name_latin"],
        "name_ungegn": row["name_ungegn"],
        "iso3166_2": row["iso3166_2"],
        "latitude": _float(row["lat"]),
        "longitude": _float(row["long"]),
        "search_text": search[:400],
        "is_active": True,
    }


def read_gazetteer(path: Path = GAZETTEER_CSV) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [_row_to_values(row) for row in csv.DictReader(handle)]
    rows.sort(key=lambda r: (_LEVEL_ORDER.index(r["level"]), r["code"]))
    return rows


@transaction.atomic
def gazetteer_load(path: Path = GAZETTEER_CSV) -> LoadResult:
    rows = read_gazetteer(path)
    existing = {unit.code: unit for unit in AdminUnit.objects.all()}
    to_create, to_update = [], []
    for values in rows:
        unit = existing.pop(values["code"], None)
        if unit is None:
            to_create.append(AdminUnit(**values))
        elif any(getattr(unit, f) != values[f] for f in _FIELDS):
            for f in _FIELDS:
                setattr(unit, f, values[f])
            to_update.append(unit)
    # Parents come first in the sorted rows, so one ordered bulk insert satisfies the FK.
    AdminUnit.objects.bulk_create(to_create, batch_size=2000)
    AdminUnit.objects.bulk_update(to_update, _FIELDS, batch_size=2000)
    retired = [unit.code for unit in existing.values() if unit.is_active]
    AdminUnit.objects.filter(code__in=retired).update(is_active=False)
    counts = Counter(AdminUnit.objects.active().values_list("level", flat=True))
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        retired=len(retired),
        counts={level.value: counts.get(level.value, 0) for level in _LEVEL_ORDER},
    )
