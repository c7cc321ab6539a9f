"""External anchors of the audit chains: what each chain looked like, kept outside the database.

The chain head lives in the database, so someone who can delete rows can delete every row
and the head too, and the empty trail that remains looks like a new installation. An anchor
is the chain's length, newest row and hash, appended by ``ponleu audit anchor`` to a file
(``PONLEU_AUDIT_ANCHOR_FILE``) that the database's users cannot write, and printed so that
it can be copied into the operations log. ``ponleu audit verify`` then checks the newest
anchor of each chain: the anchored row must still be there, with the same hash and the same
number of rows up to it. Since each hash covers every row before it, that vouches for the
whole history up to the anchor.

One JSON object per line: ``{"table", "rows", "last_id", "last_hash", "recorded_at"}``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

from .chain import Break, Report


class AnchorFileError(Exception):
    """The anchor file cannot be read or written (the message says which line or why)."""


@dataclass(frozen=True)
class Anchor:
    table: str
    rows: int
    last_id: int | None
    last_hash: str
    recorded_at: str

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def anchor_path() -> Path:
    return Path(settings.PONLEU_AUDIT_ANCHOR_FILE)


def latest(path: Path | None = None) -> dict[str, Anchor]:
    """The newest anchor of each chain in the file ({} when there is no file yet)."""
    path = path or anchor_path()
    found: dict[str, Anchor] = {}
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return found
    except OSError as exc:
        raise AnchorFileError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                anchor = Anchor(
                    table=str(data["table"]),
                    rows=int(data["rows"]),
                    last_id=None if data["last_id"] is None else int(data["last_id"]),
                    last_hash=str(data["last_hash"]),
                    recorded_at=str(data["recorded_at"]),
                )
            except (ValueError, KeyError, TypeError):
                raise AnchorFileError(f"{path} line {number} is not an anchor line") from None
            found[anchor.table] = anchor
    return found


def append(reports: list[Report], *, recorded_at: str, path: Path | None = None) -> list[Anchor]:
    """Append one anchor per (intact) chain and force it to disk."""
    path = path or anchor_path()
    if not path.parent.is_dir():
        raise AnchorFileError(f"the directory of {path} does not exist (set PONLEU_AUDIT_ANCHOR_FILE)")
    anchors = [
        Anchor(report.table, report.rows, report.last_id, report.last_hash, recorded_at) for report in reports
    ]
    try:
        with path.open("a", encoding="utf-8") as handle:
            for anchor in anchors:
                handle.write(anchor.line() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise AnchorFileError(f"cannot write {path}: {exc.strerror}") from None
    return anchors


def check(model, anchor: Anchor) -> Break | None:
    """Does the chain still hold the anchored history? (Run after ``chain.verify``.)"""
    table = model._meta.db_table
    if anchor.rows == 0 or anchor.last_id is None:
        return None
    when = f"the anchor of {anchor.recorded_at}"
    row = model.objects.filter(pk=anchor.last_id).values_list("hash", flat=True).first()
    if row is None:
        now = model.objects.count()
        return Break(
            table,
            anchor.last_id,
            f"is missing, yet {when} names it: the trail holds {now} rows where {anchor.rows} were "
            "anchored (history was removed)",
        )
    if row != anchor.last_hash:
        return Break(table, anchor.last_id, f"does not have the hash {when} recorded (history was rewritten)")
    upto = model.objects.filter(pk__lte=anchor.last_id).count()
    if upto != anchor.rows:
        return Break(
            table,
            anchor.last_id,
            f"is preceded by {upto} rows where {when} counted {anchor.rows} (rows were removed or inserted)",
        )
    return None
