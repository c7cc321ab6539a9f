"""Encrypted text never enters the audit trail: the one place that makes sure.

Audit rows are plain columns (they are read, filtered and chained), so the value of an
encrypted field copied into one would sit there in clear beside its own ciphertext.
``audit.record`` passes every row through :func:`redact` first:

- a change to an encrypted field of the target (``changes={"summary": [old, new]}``) is kept
  as "it changed": each non-empty side becomes ``REDACTED``;
- the reason, and any text in the changes, that repeats the plaintext of an encrypted field
  loaded on the target (the closing summary given again as the reason) becomes ``REDACTED``.

Only plaintext already loaded on the target is compared; nothing is decrypted for the check.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import LazyObject, empty

from ponleu.encryption.fields import EncryptedTextField

REDACTED = "[encrypted]"
# A fragment shorter than this is compared whole (the reason *is* the secret), not searched
# for inside longer text, where "ok" or "done" would match nearly everything.
MIN_FRAGMENT = 8


def _mask(value):
    return value if value in (None, "") else REDACTED


def _secrets(target) -> tuple[set[str], list[str]]:
    """(encrypted field names of the target, their loaded non-empty plaintexts)."""
    while isinstance(target, LazyObject):  # request.user, lazily wrapped more than once
        if target._wrapped is empty:
            target._setup()
        target = target._wrapped
    if not isinstance(target, models.Model):
        return set(), []
    names, values = set(), []
    for field in type(target)._meta.concrete_fields:
        if not isinstance(field, EncryptedTextField):
            continue
        names.add(field.name)
        value = target.__dict__.get(field.attname)
        if isinstance(value, str) and value.strip():
            values.append(value.strip())
    return names, values


def _copies(text: str, secrets: list[str]) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    return any(stripped == secret or (len(secret) >= MIN_FRAGMENT and secret in text) for secret in secrets)


def _scrub(value, secrets: list[str]):
    if isinstance(value, str):
        return REDACTED if _copies(value, secrets) else value
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    return value


def redact(target, changes: dict, reason: str) -> tuple[dict, str]:
    """``changes`` and ``reason`` with no encrypted text of ``target`` left in them."""
    names, secrets = _secrets(target)
    clean = {}
    for name, change in changes.items():
        if name in names:
            sides = change if isinstance(change, list | tuple) else [change]
            clean[name] = [_mask(side) for side in sides]
        else:
            clean[name] = _scrub(change, secrets) if secrets else change
    if secrets and _copies(reason or "", secrets):
        reason = REDACTED
    return clean, reason
