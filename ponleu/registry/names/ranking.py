"""Which scored candidates a search shows: no fixed cliff.

A fixed threshold (the old 70) cuts a true match at 69.4 and keeps noise at 70.1 alike. Here the
floor depends on the query and on the best hit:

* a longer query can fall further before a match is chance: ``floor`` goes from ``SHORT_FLOOR``
  for a query of ``SHORT`` letters or fewer down to ``LONG_FLOOR`` from ``LONG`` letters on;
* once a strong hit exists, hits far below it are noise: nothing under ``best - SPREAD`` is shown;
* whatever the query, nothing under ``LONG_FLOOR``.

Ties and near-ties among namesakes are broken by the caller with what tells people apart (age,
village, caregiver), never by the order rows came back in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from .khmer import has_khmer, khmer_compact
from .latin import ascii_tokens

K = TypeVar("K")

SHORT, SHORT_FLOOR = 6, 72.0
LONG, LONG_FLOOR = 16, 60.0
SPREAD = 30.0


def _letters(text: str) -> int:
    if has_khmer(text):
        # A Khmer letter carries about two Latin letters' worth of name.
        return 2 * sum(1 for ch in khmer_compact(text) if "\u1780" <= ch <= "\u17b3")
    return sum(len(token) for token in ascii_tokens(text))


def floor(text: str) -> float:
    """The lowest score shown for this query when no strong hit raises the bar."""
    letters = _letters(text)
    if letters <= SHORT:
        return SHORT_FLOOR
    if letters >= LONG:
        return LONG_FLOOR
    return SHORT_FLOOR - (SHORT_FLOOR - LONG_FLOOR) * (letters - SHORT) / (LONG - SHORT)


def threshold(text: str, best: float) -> float:
    """The score a hit needs to be shown, given the best score of the search."""
    return max(floor(text), best - SPREAD)


def shown(text: str, scores: Mapping[K, float], *, limit: int) -> list[tuple[K, float]]:
    """The hits to show, best first (equal scores keep the order of ``scores``)."""
    if not scores:
        return []
    bar = threshold(text, max(scores.values()))
    best = sorted(((k, s) for k, s in scores.items() if s >= bar), key=lambda item: -item[1])
    return best[:limit]
