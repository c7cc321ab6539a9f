"""Just enough PDF reading to check a printed form: embedded fonts and the text it shows.

Reads what WeasyPrint (pydyf) writes: Flate streams, compressed object streams, Type 0 fonts
with ToUnicode maps, and hex strings in Tj/TJ operators.
"""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream\s*$", re.S)
_REF = rb"(\d+) 0 R"


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, decoded stream or None), object streams unpacked."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for number, body in _OBJ.findall(data):
        match = _STREAM.match(body)
        if match:
            head, raw = match.groups()
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            objects[int(number)] = (head, stream)
        else:
            objects[int(number)] = (body, None)
    for head, stream in list(objects.values()):
        if stream is not None and b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            pairs = list(map(int, stream[:first].split()))
            offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
            for index, (number, offset) in enumerate(offsets):
                end = offsets[index + 1][1] if index + 1 < len(offsets) else len(stream) - first
                objects[number] = (stream[first + offset : first + end], None)
    return objects


def embedded_fonts(data: bytes) -> list[str]:
    """FontName of every font descriptor that carries an embedded font file."""
    names = []
    for head, _stream in _objects(data).values():
        if b"/FontDescriptor" in head and re.search(rb"/FontFile[23]?", head):
            names.append(re.search(rb"/FontName\s*/([^\s/>]+)", head).group(1).decode())
    return names


def _cmap(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def text(data: bytes) -> str:
    """The text drawn on every page, in drawing order, through each font's ToUnicode map."""
    objects = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _stream in objects.values():
        for name, number in re.findall(rb"/(\w+)\s+" + _REF, head):
            font_head = objects.get(int(number), (b"", None))[0]
            unicode_ref = re.search(rb"/ToUnicode\s+" + _REF, font_head)
            if b"/Type /Font" in font_head and unicode_ref:
                fonts[name] = _cmap(objects[int(unicode_ref.group(1))][1])
    out = []
    for head, stream in objects.values():
        if stream is None or b"/ObjStm" in head or b"BT" not in stream or b"beginbfchar" in stream:
            continue
        current: dict[int, str] = {}
        for token in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", stream, re.S):
            if token.group(1):
                current = fonts.get(token.group(1), {})
                continue
            hexes = re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2)) if token.group(2) else [token.group(3)]
            for chunk in hexes:
                raw = bytes.fromhex(chunk.decode())
                out.extend(
                    current.get(int.from_bytes(raw[i : i + 2], "big"), "") for i in range(0, len(raw), 2)
                )
    return "".join(out)
