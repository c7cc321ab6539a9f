"""Latin spellings of a Khmer name: the table of usual spellings first, the romaniser otherwise.

``latin_spellings("សុខ")`` → ("sok", "sokh"); a compound the table does not hold is spelled from its
known parts (ស្រី + លីន → "sreylin"); anything else goes to the rule-based romaniser.
``split_name`` cuts a full name typed without a space (សុខដារ៉ា) into its known parts.
``canonical_key`` maps a folded Latin spelling that belongs to exactly one name of the table to
that name's most usual spelling (rotana, rattana → ratana), so two usual spellings of one name
compare as equal while a spelling shared by two names (Dara: ដារ៉ា or តារា) stays as typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import islice, product

from .khmer import normalise_khmer
from .latin import fold_token
from .romanise import COENG, CONSONANTS, INDEPENDENT_VOWELS, parse, romanise_spellings
from .spellings import SPELLINGS

# At most this many spellings of one word (the product of a compound's parts can grow).
MAX_SPELLINGS = 4
# Longer words are not names run together (and cutting them costs time): spelled whole.
MAX_SPLIT_LENGTH = 30

_USE_TABLE: ContextVar[bool] = ContextVar("names_use_spelling_table", default=True)


@contextmanager
def rules_only() -> Iterator[None]:
    """Inside the block the table is ignored: for measuring the romaniser on its own."""
    token = _USE_TABLE.set(False)
    try:
        yield
    finally:
        _USE_TABLE.reset(token)


def table_in_use() -> bool:
    """False inside ``rules_only``; results cached elsewhere must be keyed by it."""
    return _USE_TABLE.get()


def _boundaries(word: str) -> list[int]:
    """Offsets where a new written cluster starts (never inside a subscript pair)."""
    return [
        i
        for i in range(1, len(word))
        if (word[i] in CONSONANTS or word[i] in INDEPENDENT_VOWELS) and word[i - 1] != COENG
    ]


def _is_syllable(part: str) -> bool:
    """True when the part has a written vowel: a lone consonant is no name of its own."""
    return any(not cluster.bare for cluster in parse(part))


def _split_known(word: str) -> tuple[str, str] | None:
    """The split of a word into two parts that covers most of it with table names.

    A part outside the table must at least be a syllable (ស្រី + លីន, not លី + ន).
    """
    best, best_cover = None, 0
    for cut in _boundaries(word):
        left, right = word[:cut], word[cut:]
        known = (left in SPELLINGS, right in SPELLINGS)
        if not all(k or _is_syllable(part) for k, part in zip(known, (left, right), strict=True)):
            continue
        cover = len(left) * known[0] + len(right) * known[1]
        if cover > best_cover:
            best, best_cover = (left, right), cover
    return best


@lru_cache(maxsize=65536)
def _spellings(word: str, use_table: bool, depth: int = 0) -> tuple[str, ...]:
    if use_table and word in SPELLINGS:
        return tuple(dict.fromkeys(s.lower().replace(" ", "") for s in SPELLINGS[word]))
    split = _split_known(word) if use_table and depth < 2 and len(word) <= MAX_SPLIT_LENGTH else None
    if split is None:
        return romanise_spellings(word)
    left, right = (_spellings(part, use_table, depth + 1) for part in split)
    return tuple(islice(dict.fromkeys(a + b for a, b in product(left, right)), MAX_SPELLINGS))


def latin_spellings(word: str) -> tuple[str, ...]:
    """Usual Latin spellings (lower case, no spaces) of one Khmer word, most usual first."""
    word = normalise_khmer(word).replace(" ", "")
    return _spellings(word, _USE_TABLE.get()) if word else ()


def _canonical_keys() -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for khmer, spellings in SPELLINGS.items():
        for spelling in spellings:
            owners.setdefault(fold_token(spelling.lower().replace(" ", "")), set()).add(khmer)
    return {
        folded: fold_token(SPELLINGS[next(iter(names))][0].lower().replace(" ", ""))
        for folded, names in owners.items()
        if len(names) == 1
    }


_CANONICAL = _canonical_keys()
_KNOWN_LATIN = {fold_token(s.lower().replace(" ", "")) for spellings in SPELLINGS.values() for s in spellings}
# Shortest usual spelling worth cutting off a run-together word ("Ly" in "Lysreymom").
MIN_PIECE = 2
MAX_PIECES = 3


def canonical_key(folded: str) -> str:
    """The folded key of the usual spelling of the one table name ``folded`` spells, or itself."""
    return _CANONICAL.get(folded, folded) if _USE_TABLE.get() else folded


def split_spelling(word: str) -> list[str]:
    """A Latin word that is usual name spellings run together, cut apart ("sokdara" → sok, dara).

    ``word`` is lower-case ASCII. A word that is itself a usual spelling, or that cannot be cut
    into at most three usual spellings, is returned whole.
    """
    if not _USE_TABLE.get() or len(word) > MAX_SPLIT_LENGTH or fold_token(word) in _KNOWN_LATIN:
        return [word]
    return _pieces(word, MAX_PIECES) or [word]


@lru_cache(maxsize=16384)
def _pieces(word: str, most: int) -> list[str] | None:
    if fold_token(word) in _KNOWN_LATIN:
        return [word]
    if most == 1:
        return None
    for cut in range(len(word) - MIN_PIECE, MIN_PIECE - 1, -1):
        head = word[:cut]
        if fold_token(head) in _KNOWN_LATIN and (rest := _pieces(word[cut:], most - 1)):
            return [head, *rest]
    return None


def split_name(word: str) -> list[str]:
    """A Khmer full name typed with no space, cut into table names (សុខដារ៉ា → សុខ, ដារ៉ា).

    Only a cut where both sides are names in the table is trusted; otherwise the word is
    returned whole.
    """
    word = normalise_khmer(word).replace(" ", "")
    if not _USE_TABLE.get() or word in SPELLINGS or len(word) > MAX_SPLIT_LENGTH:
        return [word]
    split = _split_known(word)
    if split and all(part in SPELLINGS for part in split):
        return list(split)
    return [word]
