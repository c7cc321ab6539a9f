"""Compile every app's .po catalogues (ponleu/<app>/locale) into .mo files with Babel.

Django's compilemessages needs GNU gettext on the machine; Babel is already a dependency.
Only catalogues whose .po is newer than their .mo are compiled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def compile_all(package_dir: Path = PACKAGE_DIR, *, force: bool = False) -> list[Path]:
    compiled = []
    for po_path in sorted(package_dir.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    done = compile_all(force="--force" in sys.argv)
    if done:
        print(f"compiled {len(done)} message catalogue(s)")
