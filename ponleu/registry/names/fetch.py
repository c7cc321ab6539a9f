"""Which keys to look up for a search, path by path (the registry's selector and the benchmarks).

``fetch_plan(text, scores, limit)`` yields ``(path, keys)``; the caller looks the keys up (people
holding most of them first, at most a few hundred per path), scores the new candidates, then asks
for the next path. A later path is skipped once ``limit`` perfect matches are in hand: people it
would add cannot outrank them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from .keys import query_keys

EXACT_PATH = "exact"
SKELETON_PATH = "skeleton"
FUZZY_PATH = "fuzzy"
PATHS = (EXACT_PATH, SKELETON_PATH, FUZZY_PATH)
PERFECT = 99.5


def fetch_plan(
    text: str, scores: Callable[[], Mapping[object, float]], limit: int
) -> Iterator[tuple[str, tuple[str, ...]]]:
    keys = query_keys(text)
    yield EXACT_PATH, keys.exact
    for path, tier in ((SKELETON_PATH, keys.skeleton), (FUZZY_PATH, keys.fuzzy)):
        if tier and sum(value >= PERFECT for value in scores().values()) < limit:
            yield path, tier
