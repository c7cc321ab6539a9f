"""Khmer–Latin name pairs as they are really written, for measuring name search (not for tuning).

Sources (provenance and licences in ``bench/data/names/PROVENANCE.md``):

* ``public_figures.tsv``: public figures' names in Khmer script with the Latin spellings used for
  them in public, encyclopaedic sources;
* the gazetteer (``ponleu/geography/data/cambodia_admin_units.csv``, NCDD via dwilkie/pumi): each
  place name in Khmer and in the Geography Department's romanisation, used as a given name after a
  family name taken from the public figures (so every query has a family and a given name);
* the gazetteer's UNGEGN column (diacritics dropped by the engine, as a keyboard drops them).

A name whose Khmer spelling hashes into the held-out part (``HELD_OUT_SHARE``) is never used to
tune the engine: report on it, and look only at the tuning part's misses.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "bench" / "data" / "names" / "public_figures.tsv"
GAZETTEER = ROOT / "ponleu" / "geography" / "data" / "cambodia_admin_units.csv"

HELD_OUT_SHARE = 0.3
# Place names with digits or Roman numerals are numbered villages, not name-like.
_NUMBERED = re.compile(r"[0-9\u17e0-\u17e9]|\b[IVX]+\b")
MAX_GIVEN_WORDS = 2

FIGURE = "figure"
PLACE = "place"
UNGEGN = "ungegn"


@dataclass(frozen=True)
class RealName:
    source: str
    family_km: str
    given_km: str
    family_latin: tuple[str, ...]  # spellings in use, the first the most usual
    given_latin: tuple[str, ...]

    @property
    def held_out(self) -> bool:
        return is_held_out(self.family_km + " " + self.given_km)

    @property
    def khmer(self) -> str:
        return f"{self.family_km} {self.given_km}"

    @property
    def latin(self) -> str:
        return f"{self.family_latin[0]} {self.given_latin[0]}"


def is_held_out(khmer: str) -> bool:
    """Decided by the Khmer spelling alone, so one name never sits on both sides."""
    digest = hashlib.sha256(" ".join(khmer.split()).encode()).digest()
    return digest[0] < 256 * HELD_OUT_SHARE


def _figures() -> list[RealName]:
    names = []
    for line in FIGURES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        family_km, given_km, family_latin, given_latin, _field = line.split("\t")
        names.append(
            RealName(
                FIGURE, family_km, given_km, tuple(family_latin.split("|")), tuple(given_latin.split("|"))
            )
        )
    return names


def _pick_family(families: list[RealName], khmer: str) -> RealName:
    digest = hashlib.sha256(khmer.encode()).digest()
    return families[int.from_bytes(digest[:4], "big") % len(families)]


def _places(families: list[RealName]) -> list[RealName]:
    spellings: dict[str, dict[str, None]] = {}
    ungegn: dict[str, str] = {}
    with GAZETTEER.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            khmer, latin = " ".join(row["name_km"].split()), " ".join(row["name_latin"].split())
            if not khmer or not latin or _NUMBERED.search(khmer + " " + latin):
                continue
            if len(latin.split()) > MAX_GIVEN_WORDS:
                continue
            spellings.setdefault(khmer, {})[latin] = None
            if row["name_ungegn"] and len(row["name_ungegn"].split()) <= MAX_GIVEN_WORDS:
                ungegn[khmer] = row["name_ungegn"]
    names = []
    for khmer, latins in spellings.items():
        family = _pick_family(families, khmer)
        names.append(RealName(PLACE, family.family_km, khmer, family.family_latin[:1], tuple(latins)))
        if khmer in ungegn:
            names.append(RealName(UNGEGN, family.family_km, khmer, family.family_latin[:1], (ungegn[khmer],)))
    return names


def load() -> list[RealName]:
    """Every pair of the set (figures, places, UNGEGN), in a stable order."""
    figures = _figures()
    return figures + _places(figures)


def split(names: list[RealName]) -> tuple[list[RealName], list[RealName]]:
    """(tuning part, held-out part)."""
    return [n for n in names if not n.held_out], [n for n in names if n.held_out]
