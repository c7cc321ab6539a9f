"""Khmer search keys: one key for every way of typing the same visible name.

Keyboards and fonts let people type the same word in several code-point orders (ខ្ញំុ and
ខ្ញុំ, ស្រ្តី and ស្ត្រី), with coeng DA or coeng TA (កណ្ដាល and កណ្តាល, which render alike),
with the deprecated ឲ for ឱ, and with invisible zero-width spaces that some keyboards put between
words. ``normalise_khmer`` maps all of them to one string; it is for keys, never for display.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from khmerspell import khnormal

from ponleu.common.numerals import to_ascii_digits

# Zero-width space/non-joiner/joiner, word joiner, BOM: invisible and typed inconsistently.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# Deprecated or look-alike letters that khnormal leaves alone.
_LOOKALIKES = str.maketrans(
    {
        "\u17b2": "\u17b1",  # ឲ → ឱ
        "\u17a3": "\u17a2",  # deprecated ឣ → អ
        "\u17a4": "\u17a2\u17b6",  # deprecated ឤ → អា
        "\u17d8": "\u17d4\u179b\u17c8",  # deprecated ៘ → ។ល។
    }
)
# ឡ written as ទ + coeng ប, the way legacy fonts drew it (ទ្បឥដ្ឋ, ប្រទ្បាយ in the gazetteer).
_LEGACY_LO = ("\u1791\u17d2\u1794", "\u17a1")
_SPACES = re.compile(r"\s+")
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
_KHMER_LETTER = re.compile(r"[\u1780-\u17b3]")


def has_khmer(text: str) -> bool:
    """True when the text holds at least one Khmer letter (consonant or independent vowel)."""
    return bool(_KHMER_LETTER.search(text or ""))


def _reorder(run: str) -> str:
    # khnormal is not always idempotent on malformed input (a reordering can create a new
    # sequence it rewrites), so repeat until nothing changes; names settle in one or two passes.
    for _ in range(4):
        again = khnormal(run)
        if again == run:
            break
        run = again
    return run


@lru_cache(maxsize=65536)
def normalise_khmer(text: str) -> str:
    """The canonical form of Khmer text for matching (Latin parts are kept, case and all).

    NFC; zero-width characters removed; Khmer digits as ASCII; khnormal's SIL order (which also
    writes coeng DA as coeng TA); ឲ as ឱ; ទ្ប as ឡ; runs of white space as one space, trimmed.
    """
    text = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)
    text = to_ascii_digits(text).translate(_LOOKALIKES)
    text = _KHMER_RUN.sub(lambda m: _reorder(m.group(0)), text)
    # After reordering, so ទ្ប is found whichever order its coeng was typed in.
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES).replace(*_LEGACY_LO)
    return _SPACES.sub(" ", text).strip()


def khmer_compact(text: str) -> str:
    """The normalised text without spaces: Khmer is often written with no space between names."""
    return normalise_khmer(text).replace(" ", "")
