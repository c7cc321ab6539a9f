"""HTML to PDF with WeasyPrint, using the Khmer fonts that ship in ``data/fonts``.

Pango does not break lines inside unspaced Khmer, so every run of Khmer letters in the page's
text gets U+200B (zero-width space) between its words, as ``khmercut`` segments them. Markup is
left alone: only text between tags is touched, and only Khmer runs within it.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from khmercut import tokenize

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
# WeasyPrint logs every layout step at INFO; a printed form is not news for the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
ZWSP = "\u200b"
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
_TEXT = re.compile(r">([^<]+)<")

_FACES = (
    ("Ponleu Khmer", "NotoSansKhmer-Regular.ttf", 400),
    ("Ponleu Khmer", "NotoSansKhmer-Bold.ttf", 700),
    ("Ponleu Latin", "NotoSans-Regular-latin.ttf", 400),
    ("Ponleu Latin", "NotoSans-Bold-latin.ttf", 700),
)


def font_face_css() -> str:
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{(FONT_DIR / name).as_uri()}"); font-weight: {weight}; }}'
        for family, name, weight in _FACES
    ]
    # Latin first for Latin letters and digits; every Khmer glyph falls through to the Khmer face.
    # On the root, so that page-margin boxes (page numbers) inherit it too.
    rules.append('html { font-family: "Ponleu Latin", "Ponleu Khmer"; }')
    return "\n".join(rules)


@lru_cache(maxsize=4096)
def _segment(run: str) -> str:
    return ZWSP.join(token for token in tokenize(run) if token)


def khmer_breaks(html: str) -> str:
    """Insert U+200B at Khmer word boundaries in the text of ``html`` (not in tags or attributes)."""

    def text(match: re.Match) -> str:
        return (
            ">" + _KHMER_RUN.sub(lambda run: _segment(run.group(0).replace(ZWSP, "")), match.group(1)) + "<"
        )

    return _TEXT.sub(text, html)


def _font_fetcher():
    """A fetcher that may load the shipped fonts and nothing else (no other file, no network)."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - see render_pdf

    allowed = {(FONT_DIR / name).as_uri() for _family, name, _weight in _FACES}

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"refused to fetch {url!r} while printing")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"], fail_on_errors=False)


def render_pdf(html: str) -> bytes:
    # WeasyPrint loads Pango and its CSS machinery (about a second): imported when a form is
    # printed, not when the web process starts.
    from weasyprint import HTML  # noqa: PLC0415

    return HTML(string=khmer_breaks(html), url_fetcher=_font_fetcher()).write_pdf()
