"""Re-encrypt every encrypted value and file under the key ring's first key.

Models are discovered from the app registry (every concrete model with an ``EncryptedTextField``), so
no app registers anything. Rotation is idempotent and resumable: a value already under the first key is
left alone, rows are read in primary-key batches, and each row is rewritten only if it still holds the
ciphertext that was read (a concurrent save, which encrypts under the first key anyway, wins).
Rotation never changes plaintext, so it bypasses ``save()``: no version bump, no new ``updated_at``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import locks
from django.db import models, transaction

from .crypto import DecryptionError, open_text, seal_text, text_key_id
from .fields import EncryptedTextField, Envelope, Sealed, encrypted_fields
from .keyring import KeyRing, keyring
from .storage import LOCK_NAME, EncryptedStorage, encrypted_storage


@dataclass
class Tally:
    label: str
    scanned: int = 0
    rotated: int = 0
    current: int = 0
    failed: list[str] = field(default_factory=list)

    def line(self, *, dry_run: bool) -> str:
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        text = f"{self.label}: {self.scanned} scanned, {self.rotated} {verb}, {self.current} already current"
        if self.failed:
            text += f", {len(self.failed)} FAILED"
        return text


class RotationBusy(Exception):
    """Another rotation holds the storage's lock."""


def encrypted_columns() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for encrypted in encrypted_fields(model):
            yield model, encrypted


def encrypted_storages() -> list[EncryptedStorage]:
    """The default encrypted storage and any other one a FileField names, one per location."""
    found = {encrypted_storage().location: encrypted_storage()}
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            storage = getattr(model_field, "storage", None)
            if isinstance(model_field, models.FileField) and isinstance(storage, EncryptedStorage):
                found.setdefault(storage.location, storage)
    return list(found.values())


def rotate_column(
    model: type[models.Model],
    encrypted: EncryptedTextField,
    *,
    ring: KeyRing | None = None,
    batch_size: int = 500,
    dry_run: bool = False,
) -> Tally:
    ring = ring or keyring()
    meta = model._meta
    tally = Tally(f"{meta.label}.{encrypted.name}")
    rows = model._base_manager.exclude(**{f"{encrypted.attname}__isnull": True}).order_by("pk")
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page.values_list("pk", encrypted.attname)[:batch_size])
        if not batch:
            return tally
        last = batch[-1][0]
        with transaction.atomic():
            for pk, value in batch:
                tally.scanned += 1
                if not isinstance(value, Sealed):
                    tally.current += 1  # the empty string is stored as such
                    continue
                try:
                    if text_key_id(value.envelope) == ring.primary.id:
                        tally.current += 1
                        continue
                    aad = encrypted.aad_for_pk(pk)
                    plaintext = open_text(value.envelope, aad=aad, ring=ring)
                except DecryptionError:
                    tally.failed.append(str(pk))
                    continue
                if dry_run:
                    tally.rotated += 1
                    continue
                updated = model._base_manager.filter(
                    pk=pk, **{encrypted.attname: Envelope(value.envelope)}
                ).update(**{encrypted.attname: Envelope(seal_text(plaintext, aad=aad, ring=ring))})
                if updated:
                    tally.rotated += 1
                else:
                    tally.current += 1  # saved meanwhile, hence under the first key


def rotate_storage(storage: EncryptedStorage, *, ring: KeyRing | None = None, dry_run: bool = False) -> Tally:
    ring = ring or keyring()
    tally = Tally(f"files in {storage.location}")
    root = Path(storage.location)
    if not root.is_dir():
        return tally
    with open(root / LOCK_NAME, "a+b") as lock:
        if not locks.lock(lock, locks.LOCK_EX | locks.LOCK_NB):
            raise RotationBusy(f"another rotation is running on {storage.location}")
        try:
            if not dry_run:
                storage.remove_leftovers()
            for name in storage.stored_names():
                try:
                    outcome = _rotate_file(storage, name, ring=ring, dry_run=dry_run)
                except FileNotFoundError:
                    continue  # deleted since the listing
                except DecryptionError:
                    outcome = "failed"
                    tally.failed.append(name)
                tally.scanned += 1
                tally.rotated += outcome == "rotated"
                tally.current += outcome == "current"
        finally:
            locks.unlock(lock)
    return tally


def _rotate_file(storage: EncryptedStorage, name: str, *, ring: KeyRing, dry_run: bool) -> str:
    key_id = storage.key_id(name)
    if key_id == ring.primary.id:
        return "current"
    if ring.get(key_id) is None:
        raise DecryptionError(f"the key {key_id!r} is not in the key ring")
    if dry_run:
        return "rotated"
    # False: deleted or replaced while waiting for its lock, so nothing under an old key remains.
    return "rotated" if storage.reencrypt(name, ring=ring) else "current"


def rotate_all(*, batch_size: int = 500, dry_run: bool = False) -> Iterator[Tally]:
    """One tally per encrypted column, then per encrypted storage, yielded as each finishes."""
    ring = keyring()
    for model, encrypted in encrypted_columns():
        yield rotate_column(model, encrypted, ring=ring, batch_size=batch_size, dry_run=dry_run)
    for storage in encrypted_storages():
        yield rotate_storage(storage, ring=ring, dry_run=dry_run)
