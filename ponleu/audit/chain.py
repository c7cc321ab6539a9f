"""Hash chaining of audit rows: canonical content, the link, and verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection

GENESIS = "0" * 64
# Fields that make up a row's content. The id is the chain position and is checked by the
# link itself; prev_hash and hash are the link.
_COMMON = (
    "occurred_at",
    "actor_user_id",
    "actor_username",
    "organisation_id",
    "action",
    "reason",
    "request_id",
    "channel",
    "ip",
)
CONTENT_FIELDS = {
    "auditevent": (*_COMMON, "target_type", "target_id", "changes"),
    "accessevent": (*_COMMON, "target_type", "target_ids", "query", "allowed", "break_glass"),
}


def _normal(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict | list | bool | int | float):
        return value
    return str(value)


def canonical(model_name: str, row) -> str:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    content = {name: _normal(get(name)) for name in CONTENT_FIELDS[model_name]}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def link(prev_hash: str, model_name: str, row) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(canonical(model_name, row).encode())
    return digest.hexdigest()


def lock(model_name: str) -> None:
    """Serialise chain appends. SQLite already serialises writers (IMMEDIATE transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ponleu.audit.{model_name}"])


@dataclass(frozen=True)
class Break:
    table: str
    row_id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row_id}: {self.problem}"


def verify(model) -> tuple[int, Break | None]:
    """Walk one chain in id order; return the rows checked and the first break, if any.

    Checks, per row: it follows the row before it, its content matches its hash and (for
    access events) its index rows in AccessEventTarget match its ``target_ids``; at the end,
    the newest row is the one the chain head recorded, so removing the newest rows shows.
    """
    from .models import ChainHead  # the head lives beside the rows it anchors

    name = model._meta.model_name
    table = model._meta.db_table
    prev = GENESIS
    last_id = None
    checked = 0
    index = _TargetIndex(model)
    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if row.prev_hash != prev:
            return checked, Break(
                table, row.id, "does not follow the row before it (a row was removed or inserted)"
            )
        if link(prev, name, row) != row.hash:
            return checked, Break(table, row.id, "content does not match its hash (the row was altered)")
        problem = index.check(row)
        if problem is not None:
            return checked, problem
        prev = row.hash
        last_id = row.id
    problem = index.leftover()
    if problem is not None:
        return checked, problem
    head = ChainHead.objects.filter(name=name).first()
    if head is None:
        if last_id is not None:
            return checked, Break(table, last_id, "the chain has rows but no head (the head was removed)")
    elif head.last_id != last_id or head.last_hash != prev:
        if last_id is None or head.last_id > last_id:
            return checked, Break(
                table, head.last_id, "the newest row is missing (rows were removed from the end)"
            )
        return checked, Break(table, last_id, "is newer than the chain head (a row was added outside Ponleu)")
    return checked, None


class _TargetIndex:
    """Merge-walks AccessEventTarget (ordered by event) beside the access events."""

    def __init__(self, model):
        self.enabled = any(f.name == "targets" for f in model._meta.get_fields())
        if not self.enabled:
            return
        target_model = model._meta.get_field("targets").related_model
        self.table = target_model._meta.db_table
        rows = target_model.objects.order_by("event_id", "id").values_list(
            "id", "event_id", "target_type", "target_id"
        )
        self.rows = iter(rows.iterator(chunk_size=5000))
        self.pending = next(self.rows, None)

    def check(self, event) -> Break | None:
        if not self.enabled:
            return None
        found = []
        while self.pending is not None and self.pending[1] <= event.id:
            row_id, event_id, target_type, target_id = self.pending
            if event_id < event.id:
                return Break(self.table, row_id, f"points to access event {event_id}, which is missing")
            found.append((row_id, target_type, target_id))
            self.pending = next(self.rows, None)
        expected = [(event.target_type, str(pk)) for pk in (event.target_ids or [])]
        if len(found) < len(expected):
            missing = len(expected) - len(found)
            return Break(event._meta.db_table, event.id, f"has {missing} index rows missing in {self.table}")
        if len(found) > len(expected):
            unclaimed = list(expected)
            for row_id, target_type, target_id in found:
                if (target_type, target_id) in unclaimed:
                    unclaimed.remove((target_type, target_id))
                else:
                    return Break(
                        self.table, row_id, f"is not named by access event {event.id} (a row was added)"
                    )
        for (row_id, target_type, target_id), want in zip(found, expected, strict=True):
            if (target_type, target_id) != want:
                return Break(
                    self.table, row_id, f"does not match access event {event.id} (the row was altered)"
                )
        return None

    def leftover(self) -> Break | None:
        if self.enabled and self.pending is not None:
            row_id, event_id, _type, _id = self.pending
            return Break(self.table, row_id, f"points to access event {event_id}, which is missing")
        return None
