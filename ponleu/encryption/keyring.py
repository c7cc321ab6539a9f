"""Encryption keys: parsed from one setting, the first key encrypts, every key decrypts.

``PONLEU_ENCRYPTION_KEYS`` holds comma-separated ``id:base64key`` pairs (32-byte AES-256 keys).
Settings call :func:`keys_from_env` at start-up so that a bad value stops the process with one line
naming the variable; the rest of the code calls :func:`keyring`, which re-reads the setting whenever
it changes (tests override it to rotate keys).

Key material never enters an error message or a log line: messages name the entry by position and id.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ponleu.common import clock, local_secrets

SETTING = "PONLEU_ENCRYPTION_KEYS"
KEY_BYTES = 32
# Ids travel inside every envelope, so they are short and cannot contain the separators ":" "," ".".
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes = field(repr=False)

    @cached_property
    def aead(self) -> AESGCM:
        return AESGCM(self.secret)

    def derive(self, label: bytes) -> bytes:
        """A 32-byte key for one purpose (HKDF-SHA256 of this key, ``label`` as info).

        A purpose other than encryption (the audit chain's MAC) never uses the key itself,
        so the two uses cannot be played against each other.
        """
        cached = self._derived.get(label)
        if cached is None:
            cached = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label).derive(
                self.secret
            )
            self._derived[label] = cached
        return cached

    @cached_property
    def _derived(self) -> dict[bytes, bytes]:
        return {}


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[Key, ...]

    @property
    def primary(self) -> Key:
        """The key that encrypts; the others only decrypt until everything is rotated."""
        return self.keys[0]

    def get(self, key_id: str) -> Key | None:
        for key in self.keys:
            if key.id == key_id:
                return key
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key.id for key in self.keys)


def parse_keys(value: str | None, *, name: str = SETTING) -> KeyRing:
    """Parse ``id:base64key,...`` or raise a one-line ImproperlyConfigured naming ``name``."""
    if not value or not value.strip():
        raise ImproperlyConfigured(
            f"{name} must be set in the environment (generate one: ponleu keys generate)."
        )
    keys: list[Key] = []
    for position, entry in enumerate(value.split(","), start=1):
        entry = entry.strip()
        if not entry:
            raise ImproperlyConfigured(f"{name} has an empty entry at position {position}.")
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{name} entry {position} must look like id:base64key, with an id of 1-32 letters, digits, - or _."
            )
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{name} key {key_id!r} is not valid base64.") from None
        if len(secret) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{name} key {key_id!r} must decode to {KEY_BYTES} bytes (AES-256), not {len(secret)}."
            )
        if any(key.id == key_id for key in keys):
            raise ImproperlyConfigured(f"{name} lists the key id {key_id!r} twice.")
        keys.append(Key(key_id, secret))
    return KeyRing(tuple(keys))


def new_key_line(key_id: str | None = None) -> str:
    """A fresh ``id:base64key`` entry; the default id carries the date so operators can tell keys apart."""
    if key_id is None:
        key_id = f"k{clock.today():%Y%m%d}-{secrets.token_hex(2)}"
    if not KEY_ID.fullmatch(key_id):
        raise ValueError("a key id has 1-32 letters, digits, - or _")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode('ascii')}"


def _local_keys(path: Path) -> str:
    """A per-installation key for development and the demo, kept beside the generated SECRET_KEY."""
    return local_secrets.read_or_create(path, lambda: new_key_line(f"local-{secrets.token_hex(3)}"))


def keys_from_env(name: str = SETTING, *, required: bool, local_file: Path | None) -> str | None:
    """The validated setting value: from the environment, else (outside production) a local key file.

    ``required`` (production) refuses to start without the variable; ``local_file`` is where
    development and the demo keep a generated key; with neither, the value stays unset (tests).
    """
    value = os.environ.get(name) or None
    if value is None:
        if required:
            raise ImproperlyConfigured(
                f"{name} must be set in the environment (generate one: ponleu keys generate)."
            )
        if local_file is None:
            return None
        value = _local_keys(local_file)
        name = f"{name} (from {local_file})"
    parse_keys(value, name=name)
    return value


_cache: tuple[str, KeyRing] | None = None


def keyring() -> KeyRing:
    """The key ring of the current settings (parsed once per distinct value)."""
    global _cache
    value = getattr(settings, SETTING, None)
    if _cache is None or _cache[0] != value:
        _cache = (value, parse_keys(value))
    return _cache[1]
