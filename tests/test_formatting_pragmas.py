"""The formatter is switched off only where a comment says why (a table read as a grid)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRAGMA = re.compile(r"#\s*fmt:\s*(skip|off)\b")


def _unexplained(text: str) -> list[int]:
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        if not PRAGMA.search(line):
            continue
        above = lines[number - 2].strip() if number > 1 else ""
        if not (above.startswith("#") and not PRAGMA.search(above)):
            found.append(number)
    return found


def test_every_formatter_pragma_has_a_reason_above_it():
    bad = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("ponleu", "tests", "bench", "config")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number in _unexplained(path.read_text(encoding="utf-8"))
    ]
    assert not bad, "give each `# fmt: skip`/`# fmt: off` a one-line reason above it: " + ", ".join(bad)


def test_the_check_sees_a_bare_pragma():
    assert _unexplained("x = 1\ny = [1,2]  # fmt: skip\n") == [2]
    assert _unexplained("# a grid of letters\n# fmt: off\n") == []
