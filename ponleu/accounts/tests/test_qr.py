"""The QR codes drawn as inline SVG: every dark module, and nothing else, is painted."""

from __future__ import annotations

import re

from ponleu.accounts.second_factor import qr_modules, svg_qr

# As dense as ODK Collect's settings code: a server, a username, a device key, zlib and base64.
DENSE = "eJyrVkrOzytJzStRsqpWKi1OLcpMzMlMT1WyUkpJLElUqs3MS0nVNYDRvNqlJZkFqQWJJamK1gq5ukCIHBDk" * 2


def _painted(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", re.search(r' d="([^"]*)"', svg).group(1)):
        for column in range(int(x), int(x) + int(width)):
            assert not grid[int(y)][column], "a module painted twice"
            grid[int(y)][column] = True
    return grid


def test_the_svg_paints_exactly_the_dark_modules():
    for text in ("otpauth://totp/Ponleu:dpo.sabay?secret=JBSWY3DPEHPK3PXP&issuer=Ponleu", DENSE):
        assert _painted(svg_qr(text)) == qr_modules(text)


def test_a_dense_code_stays_small_and_carries_no_style():
    svg = svg_qr(DENSE)
    assert len(svg) < 12_000, len(svg)  # one square per module in millimetres: 33,053
    assert "style" not in svg
    assert svg.startswith("<svg ")
