"""The one list of Khmer personal names with their usual Latin spellings (``data/khmer_names.txt``).

The engine's table of usual spellings is read from it, and the demo and the generated benchmark
draw synthetic people from it; nothing writes to it at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "khmer_names.txt"

FAMILY = "family"
FEMALE = "female"
MALE = "male"
NICKNAME = "nickname"
PART = "part"  # words that occur only inside compound names (ស្រី)
SECTIONS = (FAMILY, FEMALE, MALE, NICKNAME, PART)

Entry = tuple[str, tuple[str, ...]]  # Khmer spelling as written, Latin spellings (most usual first)
RULES_ONLY_MARK = "~"  # drawn by the demo, but not in the engine's table of usual spellings


@cache
def sections() -> dict[str, tuple[Entry, ...]]:
    """Every section of the list, in file order."""
    return _read()[0]


@cache
def table_entries() -> tuple[Entry, ...]:
    """The entries the engine's table of usual spellings holds (lines without the ``~`` mark)."""
    return _read()[1]


@cache
def _read() -> tuple[dict[str, tuple[Entry, ...]], tuple[Entry, ...]]:
    found: dict[str, list[Entry]] = {name: [] for name in SECTIONS}
    table: list[Entry] = []
    current = None
    for number, raw in enumerate(PATH.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            if current not in found:
                raise ValueError(f"{PATH.name}:{number}: unknown section {current!r}")
            continue
        rules_only = line.startswith(RULES_ONLY_MARK)
        khmer, _, latin = line.removeprefix(RULES_ONLY_MARK).partition(" ")
        if current is None or not latin:
            raise ValueError(f"{PATH.name}:{number}: expected a section, then 'Khmer Latin|Latin'")
        entry = (khmer, tuple(latin.split("|")))
        found[current].append(entry)
        if not rules_only:
            table.append(entry)
    return {name: tuple(entries) for name, entries in found.items()}, tuple(table)


def entries(*names: str) -> tuple[Entry, ...]:
    """The entries of the named sections (all of them when none is named)."""
    chosen = sections()
    return tuple(entry for name in (names or SECTIONS) for entry in chosen[name])


def romanisations() -> dict[str, tuple[str, ...]]:
    """Khmer spelling as written → its Latin spellings, for every name of the list."""
    found: dict[str, tuple[str, ...]] = {}
    for khmer, latin in entries():
        found.setdefault(khmer, latin)
    return found
