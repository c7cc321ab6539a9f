"""Keyed hash chaining of audit rows: canonical content, the link, and verification.

Each row's ``hash`` is HMAC-SHA256, under a key derived from the encryption key ring, of the
chain's name, the previous row's hash and the row's canonical content. The row names the key
(``key_id``), so rows sealed before a key rotation still verify while that key stays in the
ring. Without the key, nobody who can write to the database can recompute a chain that
verifies: a rewritten or forged history shows at its first changed row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.db import connection

from ponleu.encryption.keyring import Key, keyring

GENESIS = "0" * 64
# The derivation label of the chain's MAC key: a key of the ring is never used as-is here.
MAC_LABEL = b"ponleu audit chain v1"
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
    "key_id",
)
CONTENT_FIELDS = {
    "auditevent": (*_COMMON, "target_type", "target_id", "changes"),
    "accessevent": (*_COMMON, "target_type", "target_ids", "query", "allowed", "break_glass"),
}


class UnknownKey(Exception):
    """A row names a key that is not in the key ring (removed too early, or a forgery)."""


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


def signing_key() -> Key:
    """The key new rows are sealed with: the ring's first key."""
    return keyring().primary


def _mac(key_id: str, message: str) -> str:
    key = keyring().get(key_id) if key_id else None
    if key is None:
        raise UnknownKey(key_id)
    return hmac.new(key.derive(MAC_LABEL), message.encode(), hashlib.sha256).hexdigest()


def link(prev_hash: str, model_name: str, row) -> str:
    """The row's hash: HMAC of the chain, the previous hash and the content, under the row's key."""
    key_id = row.get("key_id") if isinstance(row, dict) else row.key_id
    return _mac(key_id, f"{model_name}\n{prev_hash}\n{canonical(model_name, row)}")


def head_mac(model_name: str, last_id: int, last_hash: str, key_id: str) -> str:
    """Seals the chain head, so that pointing it at an older row needs the key too."""
    return _mac(key_id, f"head\n{model_name}\n{last_id}\n{last_hash}")


def lock(model_name: str) -> None:
    """Serialise chain appends. SQLite already serialises writers (IMMEDIATE transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ponleu.audit.{model_name}"])


@dataclass(frozen=True)
class Break:
    table: str
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        if self.row_id is None:
            return f"{self.table}: {self.problem}"
        return f"{self.table} row {self.row_id}: {self.problem}"


@dataclass(frozen=True)
class Report:
    """One chain walked: how many rows, its newest row, the keys that sealed it, the first break."""

    table: str
    rows: int
    last_id: int | None
    last_hash: str
    key_ids: tuple[str, ...]
    problem: Break | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(model) -> Report:
    """Walk one chain in id order; stop at the first break.

    Checks, per row: it follows the row before it, its MAC (under the key it names) matches
    its content and (for access events) its index rows in AccessEventTarget match its
    ``target_ids``; at the end, the newest row is the one the sealed chain head names, so
    removing the newest rows shows. Removing every row and the head leaves an empty chain
    that only an external anchor (``anchors.check``) can tell from a new installation.
    """
    from .models import ChainHead  # the head lives beside the rows it anchors

    name = model._meta.model_name
    table = model._meta.db_table
    prev = GENESIS
    last_id = None
    checked = 0
    key_ids: list[str] = []
    index = _TargetIndex(model)

    def report(problem: Break | None) -> Report:
        return Report(table, checked, last_id, prev if last_id is not None else "", tuple(key_ids), problem)

    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if row.prev_hash != prev:
            return report(
                Break(table, row.id, "does not follow the row before it (a row was removed or inserted)")
            )
        try:
            expected = link(prev, name, row)
        except UnknownKey:
            return report(
                Break(
                    table,
                    row.id,
                    f"names the key {row.key_id!r}, which is not in the key ring (keep every key that "
                    "sealed audit rows in PONLEU_ENCRYPTION_KEYS)",
                )
            )
        if not hmac.compare_digest(expected, row.hash):
            return report(Break(table, row.id, "content does not match its hash (the row was altered)"))
        problem = index.check(row)
        if problem is not None:
            return report(problem)
        if row.key_id not in key_ids:
            key_ids.append(row.key_id)
        prev = row.hash
        last_id = row.id
    problem = index.leftover()
    if problem is not None:
        return report(problem)
    head = ChainHead.objects.filter(name=name).first()
    if head is None:
        if last_id is not None:
            return report(Break(table, last_id, "the chain has rows but no head (the head was removed)"))
        return report(None)
    if head.last_id != last_id or head.last_hash != prev:
        if last_id is None or head.last_id > last_id:
            return report(
                Break(table, head.last_id, "the newest row is missing (rows were removed from the end)")
            )
        return report(
            Break(
                table,
                last_id,
                "is newer than the chain head (a row was added outside Ponleu, or the head was moved back)",
            )
        )
    try:
        sealed = hmac.compare_digest(head_mac(name, head.last_id, head.last_hash, head.key_id), head.mac)
    except UnknownKey:
        sealed = False
    if not sealed:
        return report(Break(table, head.last_id, "the chain head was rewritten (its seal does not match)"))
    return report(None)


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
