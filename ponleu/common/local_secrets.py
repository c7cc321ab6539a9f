"""Secrets an installation generates for itself on first start (development and the demo).

Several processes may start at once on a fresh installation (``ponleu serve`` beside
``ponleu worker``, or collectstatic beside migrate): the first to finish writing wins, and every
other one reads what it wrote, never a half-written file nor a second, different secret.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The secret stored at ``path``, written there first (mode 0600) from ``make()`` if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # Created with mode 0600 from the start, so the secret is never readable by others, even briefly.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(make() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            # A hard link appears whole or not at all, and refuses to replace a file another
            # process put there first.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text().strip()
