"""Latin search keys for Khmer names written in Latin letters.

Khmer personal names have no standard romanisation, so one name reaches the registry as Sok or
Sokh, Dara or Darah, Srey or Srei, Sophea or Sophia. Two keys absorb that:

* ``fold_token`` applies the folding rules of the domain reference (doubled letters, final -h,
  final -kh, final ey/ei/y, ia, ou/oo/u, ph, th, j, w, ae/ai, eu/oe). Folded keys are what the
  scores compare, so Sok Tara stays a different (close) name from Sok Dara.
* ``phonetic_key`` is coarser and only finds candidates: consonants that romanisers swap (d/t,
  b/p, kh/k, ch/j, nh/gn/ny) merge and every vowel group becomes ``*``,
  so the Khmer vowel spelled a, ea, ia or o by different people gives one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_APOSTROPHES = re.compile(r"(?<=[A-Za-z])['\u2019\u02bc](?=[A-Za-z])")
_SEPARATORS = re.compile(r"[^A-Za-z]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_VOWELS = "aeiouy"


def latin_words(text: str) -> list[str]:
    """ASCII words as written: diacritics dropped (Kratié → Kratie), other scripts via anyascii.

    Hyphens, apostrophes and dots separate words ("Srey-Neang" → Srey, Neang); Khmer letters are
    not for this function (romanise them first) and any left are dropped with other symbols.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(" " if "\u1780" <= ch <= "\u19ff" else ch for ch in text)
    # An apostrophe inside a word marks a glottal stop (Chh'oeng, K'aek), not a new word.
    text = _APOSTROPHES.sub("", text)
    return [word for word in _SEPARATORS.split(anyascii(text)) if word]


def ascii_tokens(text: str) -> list[str]:
    """``latin_words`` in lower case."""
    return [word.lower() for word in latin_words(text)]


# Each step is (pattern, replacement), applied in order. The order matters:
# - digraphs ph/th go first so "Piseth"/"Pisith" and "Sambath"/"Sambat" meet;
# - final -kh before final -h, and final -h only after a vowel ("Touch" keeps its ch);
# - final ey/ei/y become i before ai→e, so "Chhay" and "Chhai" meet;
# - eu/oe before ou/u→o, so "Chhoeun"/"Chheun" meet and "Chhoun" does not swallow them;
# - doubled letters fold first and last, as earlier steps create new pairs (suon → soon → son).
_FOLDS = [
    (re.compile(r"ph"), "p"),
    (re.compile(r"th"), "t"),
    (re.compile(r"j"), "ch"),
    (re.compile(r"w"), "v"),
    (_DOUBLED, r"\1"),
    (re.compile(r"kh$"), "k"),
    (re.compile(r"(?<=[aeiouy])h+$"), ""),
    (re.compile(r"(?:ey|ei|y)$"), "i"),
    (re.compile(r"ei"), "ey"),
    (re.compile(r"ia"), "ea"),
    (re.compile(r"a[ei]"), "e"),
    (re.compile(r"oeu|eu|oe"), "e"),
    (re.compile(r"ou|oo|u"), "o"),
    (_DOUBLED, r"\1"),
]


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """The folded key of one lower-case ASCII word (``ascii_tokens`` output).

    The rules run until nothing changes, as one rule can make work for an earlier one
    ("ue" → "oe" → "e"), so a folded key folds to itself.
    """
    for _ in range(4):
        folded = token
        for pattern, replacement in _FOLDS:
            folded = pattern.sub(replacement, folded)
        if folded == token:
            break
        token = folded
    return token


def fold_latin(text: str) -> str:
    """Folded keys of every word of a Latin name, space-separated: "Sokh Darah" → "sok dara"."""
    return " ".join(fold_token(token) for token in ascii_tokens(text))


# Coarse consonant classes for candidate lookup (on folded tokens, where ph/th are gone).
_PHONETIC_DIGRAPHS = [
    (re.compile(r"ch+"), "c"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"nh|gn|ny(?=[aeiou])"), "n"),
    (re.compile(r"ng(?=k)"), "n"),  # before k the two are one nasal: Angkor, Ankor
]
_PHONETIC_LETTERS = str.maketrans({"d": "t", "b": "p", "f": "p", "q": "k", "w": "v", "z": "s", "x": "s"})
# h after a consonant, or between a vowel and a consonant, is spelling, not a sound (Kimhour,
# Sohka); an initial h (Heng) and an h between vowels (Seyha) are heard.
_SILENT_H = re.compile(r"(?<=[^aeiouy])h|(?<=[aeiouy])h(?=[^aeiouy]|$)")
# r after a vowel and before a consonant or at the end (Vorn, Sophorn, Sar, Por) is a spelling
# habit for a long vowel, or a final រ, which Khmer does not pronounce.
_SILENT_R = re.compile(r"(?<=[aeiouy])r(?=[^aeiouy]|$)")
# Final v after a vowel (Pov/Pao, Khiev/Khieu, Kaev/Keo) is the same sound either way.
_FINAL_V = re.compile(r"(?<=[aeiouy])v$")
_FINAL_E = re.compile(r"[aeiouy].*[^aeiouy]e$")
_VOWEL_RUN = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=65536)
def phonetic_key(token: str) -> str:
    """Coarse key of one folded token: "dara" and "tara" → "t*r*", "sophea" → "s*p*"."""
    if not token:
        return ""
    key = token
    for pattern, replacement in _PHONETIC_DIGRAPHS:
        key = pattern.sub(replacement, key)
    key = key.translate(_PHONETIC_LETTERS)
    key = _SILENT_R.sub("", key)
    key = _FINAL_V.sub("", key)
    key = _SILENT_H.sub("", key)
    if _FINAL_E.search(key):
        key = key[:-1]  # a French-style silent e (Daline, Caroline), after an earlier vowel
    if key.startswith("y"):
        key = "Y" + key[1:]  # an initial y is a consonant (Yim), elsewhere part of a vowel (Srey)
    key = _VOWEL_RUN.sub("*", key).replace("Y", "y")
    key = _DOUBLED.sub(r"\1", key)
    return key or "*"
