"""Folding of Khmer and Latin text for matching (not for display: text is stored as entered)."""

from __future__ import annotations

import re
import unicodedata

from .numerals import to_ascii_digits

# Zero-width space/non-joiner/joiner, word joiner, BOM: invisible, and typed inconsistently.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFC, invisible characters removed, Khmer digits as ASCII, lower case, single spaces."""
    text = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)
    text = to_ascii_digits(text).lower()
    return _SPACES.sub(" ", text).strip()


def ascii_fold(text: str) -> str:
    """Latin text without diacritics (Kratié → kratie)."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
