"""Usual Latin spellings of frequent Khmer names, consulted before the rule-based romaniser.

A caseworker who knows the child as សុខ ដារ៉ា types "Sok Dara" or "Sokh Darah", not what a
transliteration scheme would give; for the names below we know those habits. The same spelling can
stand for two Khmer names (Dara is used for both ដារ៉ា and តារា), which is why search is by
key and score, not by a single transliteration. Family and given names share one table: many
family names are given names too, and compound given names are built from them (ស្រី + ពៅ).

The names are those of ``data/khmer_names.txt`` (``namelist``), the same list the demo draws
from, less the lines marked to be spelled by rule. Khmer spellings are normalised on load, so any typing order works there.
"""

from __future__ import annotations

from . import namelist
from .khmer import normalise_khmer


def _load() -> dict[str, tuple[str, ...]]:
    spellings: dict[str, tuple[str, ...]] = {}
    for khmer, latin in namelist.table_entries():
        spellings.setdefault(normalise_khmer(khmer), latin)
    return spellings


SPELLINGS: dict[str, tuple[str, ...]] = _load()
