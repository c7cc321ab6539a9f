"""Realistic ways a searcher types a known name, for tests and the search benchmark.

Given a name in Khmer and its usual romanisations, ``spelling_variant`` returns what someone
might type for it: another usual romanisation, a doubled or dropped letter, an added or dropped
final h, the names in the other order, upper or lower case, the Khmer typed in another code-point
order (ុំ as ំុ, coeng RO first, coeng DA for TA, ឲ for ឱ, shifter after the vowel), zero-width
spaces, no space at all, or one typing mistake. The same seed gives the same variants.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .khmer import normalise_khmer

ZWSP = "\u200b"

# Latin kinds
ROMANISATION = "romanisation"
DOUBLED = "doubled"
DROPPED = "dropped"
H_ENDING = "h_ending"
SWAPPED = "swapped"
CASE = "case"
NO_SPACE = "no_space"
TYPO = "typo"
ZERO_WIDTH = "zero_width"
# Khmer kinds
KHMER = "khmer"
TYPING_ORDER = "typing_order"

LATIN_KINDS = (ROMANISATION, DOUBLED, DROPPED, H_ENDING, SWAPPED, CASE, NO_SPACE, TYPO, ZERO_WIDTH)
KHMER_KINDS = (TYPING_ORDER, ZERO_WIDTH, NO_SPACE, SWAPPED)

# Letters next to each other on a QWERTY keyboard: the usual substitution typos.
_NEIGHBOURS = {
    "a": "qswz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}

# Other code-point orders and look-alikes that render like the normalised Khmer.
_KHMER_ENCODINGS = [
    ("\u17bb\u17c6", "\u17c6\u17bb"),  # ុំ typed as ំុ
    ("\u17d2\u178f\u17d2\u179a", "\u17d2\u179a\u17d2\u178f"),  # ្ត្រ typed as ្រ្ត
    ("\u17d2\u178f", "\u17d2\u178a"),  # coeng TA typed as coeng DA
    ("\u17b1", "\u17b2"),  # ឱ typed as ឲ
    ("\u17c9\u17b6", "\u17b6\u17c9"),  # ៉ា typed as ា៉
    ("\u17ca\u17bb", "\u17bb\u17ca"),  # ៊ុ typed as ុ៊
]


@dataclass(frozen=True)
class SampleName:
    """A name to make variants of: Khmer spellings and usual romanisations (most usual first)."""

    family_km: str
    given_km: str
    family_latin: tuple[str, ...]
    given_latin: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    text: str
    kinds: tuple[str, ...]


def _pick_other(rng: random.Random, options: tuple[str, ...], current: str) -> str:
    others = [o for o in options if o != current]
    return rng.choice(others) if others else current


def _double_letter(rng: random.Random, word: str) -> str:
    spots = [i for i in range(1, len(word)) if word[i].lower() not in "aeiouyh"]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + word[i] + word[i + 1 :]


def _drop_letter(rng: random.Random, word: str) -> str:
    doubled = [i for i in range(1, len(word)) if word[i].lower() == word[i - 1].lower()]
    silent = [i for i in range(1, len(word)) if word[i] == "h" and word[i - 1].lower() not in "aeiou"]
    spots = doubled or silent
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def _h_ending(word: str) -> str:
    if word.lower().endswith("kh"):
        return word[:-1]
    if word.lower().endswith("h"):
        return word[:-1]
    if word[-1].lower() in "aeiou":
        return word + "h"
    if word[-1].lower() == "k":
        return word + "h"
    return word


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    # Mistakes fall mostly after the first letter, which people check.
    i = rng.randrange(1, len(word))
    action = rng.choice(("substitute", "delete", "insert", "transpose"))
    ch = word[i].lower()
    if action == "substitute" and ch in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[ch]) + word[i + 1 :]
    if action == "delete":
        return word[:i] + word[i + 1 :]
    if action == "insert":
        return word[:i] + rng.choice(_NEIGHBOURS.get(ch, "aeiou")) + word[i:]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(_NEIGHBOURS.get(ch, "aeiou"))


def _insert_zero_width(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text)) if len(text) > 1 else len(text)
    return text[:i] + ZWSP + text[i:]


def _retype_khmer(rng: random.Random, word: str) -> str:
    applicable = [(a, b) for a, b in _KHMER_ENCODINGS if a in word]
    if not applicable:
        return word
    a, b = rng.choice(applicable)
    return word.replace(a, b)


def latin_variant(name: SampleName, rng: random.Random, kinds: tuple[str, ...]) -> Variant:
    """The name in Latin letters with the given kinds of variation applied."""
    family, given = rng.choice(name.family_latin), rng.choice(name.given_latin)
    if ROMANISATION in kinds:
        if rng.random() < 0.5 and len(name.family_latin) > 1:
            family = _pick_other(rng, name.family_latin, family)
        else:
            given = _pick_other(rng, name.given_latin, given)
    words = [family, given]
    target = rng.randrange(2)
    for kind, change in (
        (DOUBLED, lambda w: _double_letter(rng, w)),
        (DROPPED, lambda w: _drop_letter(rng, w)),
        (H_ENDING, _h_ending),
        (TYPO, lambda w: _typo(rng, w)),
    ):
        if kind in kinds:
            words[target] = change(words[target])
    if SWAPPED in kinds:
        words.reverse()
    text = ("" if NO_SPACE in kinds else " ").join(words)
    if CASE in kinds:
        text = rng.choice((text.upper(), text.lower()))
    if ZERO_WIDTH in kinds:
        text = _insert_zero_width(rng, text)
    return Variant(text, kinds)


def khmer_variant(name: SampleName, rng: random.Random, kinds: tuple[str, ...]) -> Variant:
    """The name in Khmer script, typed with the given kinds of variation."""
    words = [normalise_khmer(name.family_km), normalise_khmer(name.given_km)]
    if TYPING_ORDER in kinds:
        words = [_retype_khmer(rng, w) for w in words]
    if SWAPPED in kinds:
        words.reverse()
    text = ("" if NO_SPACE in kinds else " ").join(words)
    if ZERO_WIDTH in kinds:
        text = _insert_zero_width(rng, text)
    return Variant(text, (KHMER, *kinds))


def spelling_variant(name: SampleName, rng: random.Random, *, khmer_share: float = 0.35) -> Variant:
    """One random variant: Khmer or Latin, with one or two kinds of variation."""
    if rng.random() < khmer_share:
        kinds = tuple(sorted(set(rng.sample(KHMER_KINDS, rng.choice((0, 1, 2))))))
        return khmer_variant(name, rng, kinds)
    kinds = tuple(sorted(set(rng.sample(LATIN_KINDS, rng.choice((1, 1, 2))))))
    return latin_variant(name, rng, kinds)


def spelling_variants(name: SampleName, *, seed: int, count: int) -> list[Variant]:
    """``count`` variants of one name, the same for the same seed."""
    rng = random.Random(seed)
    return [spelling_variant(name, rng) for _ in range(count)]
