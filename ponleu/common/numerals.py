"""Khmer digits (U+17E0–U+17E9) typed into number, date, phone and code inputs."""

from __future__ import annotations

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII = str.maketrans(KHMER_DIGITS, "0123456789")
_TO_KHMER = str.maketrans("0123456789", KHMER_DIGITS)


def to_ascii_digits(text: str) -> str:
    """Replace Khmer digits by ASCII ones; everything else (Khmer lek attak included) stays."""
    return text.translate(_TO_ASCII)


def to_khmer_digits(text: str) -> str:
    return text.translate(_TO_KHMER)
