"""AES-256-GCM envelopes for database values and files.

Every ciphertext names the key that made it (so old keys keep decrypting until rotation is done) and is
bound by associated data to its place: a database value to (table, column, primary key), a file to its
storage name. A value copied to another row, column or file name fails authentication, as does any
changed byte.

Database values are text: ``pe1:<key id>:<base64url(nonce || ciphertext || tag)>``.

Files are split into 64 KiB segments so that neither writing nor reading holds a whole attachment in
memory, and no plaintext is released before its segment's tag is checked::

    "PNLE" | version 1 | key id length | key id | 16-byte salt | segment 0 | segment 1 | ...

Each file gets its own key, HKDF-SHA256(master key, salt); segment ``i`` is sealed with the nonce
``0^7 || i (4 bytes) || last (1 byte)`` so that reordering, dropping or truncating segments fails.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
from collections.abc import Callable, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .keyring import KEY_ID, KeyRing, keyring

TEXT_VERSION = "pe1"
NONCE_BYTES = 12
TAG_BYTES = 16

FILE_MAGIC = b"PNLE"
FILE_VERSION = 1
SALT_BYTES = 16
SEGMENT_BYTES = 64 * 1024
_SEALED_SEGMENT = SEGMENT_BYTES + TAG_BYTES


class DecryptionError(Exception):
    """A value or file that cannot be authenticated: tampered, moved, truncated, or its key is gone."""


def field_aad(table: str, column: str, pk: object) -> bytes:
    """The place of a database value. Table and column names never contain NUL; the key comes last."""
    return b"\x00".join([b"field", table.encode(), column.encode(), str(pk).encode()])


def file_aad(name: str) -> bytes:
    return b"file\x00" + name.encode()


# Database values ------------------------------------------------------------------------------


def seal_text(plaintext: str, *, aad: bytes, ring: KeyRing | None = None) -> str:
    key = (ring or keyring()).primary
    nonce = os.urandom(NONCE_BYTES)
    header = f"{TEXT_VERSION}:{key.id}:"
    sealed = key.aead.encrypt(nonce, plaintext.encode("utf-8"), header.encode() + aad)
    return header + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def text_key_id(envelope: str) -> str:
    """The id of the key that sealed ``envelope`` (raises DecryptionError if it is not an envelope)."""
    version, _, rest = envelope.partition(":")
    key_id, sep, _ = rest.partition(":")
    if version != TEXT_VERSION or not sep or not KEY_ID.fullmatch(key_id):
        raise DecryptionError("not an encrypted value (unknown envelope format)")
    return key_id


def open_text(envelope: str, *, aad: bytes, ring: KeyRing | None = None) -> str:
    key_id = text_key_id(envelope)
    key = (ring or keyring()).get(key_id)
    if key is None:
        raise DecryptionError(f"the key {key_id!r} is not in the key ring")
    body = envelope[len(TEXT_VERSION) + len(key_id) + 2 :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("the encrypted value is not valid base64") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("the encrypted value is truncated")
    header = f"{TEXT_VERSION}:{key_id}:".encode()
    try:
        plaintext = key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], header + aad)
    except InvalidTag:
        raise DecryptionError(
            "the encrypted value failed authentication (changed, moved or wrong key)"
        ) from None
    return plaintext.decode("utf-8")


# Files ----------------------------------------------------------------------------------------


def _file_aead(secret: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"ponleu file v1").derive(secret)
    return AESGCM(derived)


def _segment_nonce(index: int, last: bool) -> bytes:
    if index >= 2**32:
        raise ValueError("file too large for one envelope")
    return bytes(7) + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def seal_stream(
    chunks: Iterable[bytes], write: Callable[[bytes], object], *, aad: bytes, ring: KeyRing | None = None
) -> int:
    """Encrypt ``chunks`` into ``write``; returns the number of plaintext bytes."""
    key = (ring or keyring()).primary
    salt = os.urandom(SALT_BYTES)
    kid = key.id.encode("ascii")
    header = FILE_MAGIC + bytes([FILE_VERSION, len(kid)]) + kid + salt
    aead = _file_aead(key.secret, salt)
    segment_aad = header + b"\x00" + aad
    write(header)
    buffer = bytearray()
    index = total = 0
    for chunk in chunks:
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        buffer += chunk
        total += len(chunk)
        # Keep at least one byte back: only the end of the input may be sealed as the last segment.
        while len(buffer) > SEGMENT_BYTES:
            write(aead.encrypt(_segment_nonce(index, False), bytes(buffer[:SEGMENT_BYTES]), segment_aad))
            del buffer[:SEGMENT_BYTES]
            index += 1
    write(aead.encrypt(_segment_nonce(index, True), bytes(buffer), segment_aad))
    return total


def read_file_header(handle) -> tuple[str, int]:
    """(key id, header length) of an encrypted file, read from its start."""
    handle.seek(0)
    fixed = handle.read(len(FILE_MAGIC) + 2)
    if len(fixed) < len(FILE_MAGIC) + 2 or fixed[: len(FILE_MAGIC)] != FILE_MAGIC:
        raise DecryptionError("not an encrypted file")
    if fixed[len(FILE_MAGIC)] != FILE_VERSION:
        raise DecryptionError(f"unknown encrypted file version {fixed[len(FILE_MAGIC)]}")
    kid = handle.read(fixed[-1])
    try:
        key_id = kid.decode("ascii")
    except UnicodeDecodeError:
        key_id = ""
    if not KEY_ID.fullmatch(key_id):
        raise DecryptionError("the encrypted file has a malformed key id")
    return key_id, len(fixed) + len(kid) + SALT_BYTES


def plaintext_size(sealed_size: int, header_size: int) -> int:
    body = sealed_size - header_size
    segments = max(1, -(-body // _SEALED_SEGMENT))
    return body - segments * TAG_BYTES


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of an encrypted file's plaintext.

    Opening it checks the header and authenticates the last segment (so a truncated file or a wrong key
    fails at once); every other segment is authenticated before any of its bytes are returned.
    """

    def __init__(self, handle, *, aad: bytes, ring: KeyRing | None = None):
        super().__init__()
        self._handle = handle
        try:
            key_id, self._header_size = read_file_header(handle)
            key = (ring or keyring()).get(key_id)
            if key is None:
                raise DecryptionError(f"the key {key_id!r} is not in the key ring")
            self.key_id = key_id
            handle.seek(0)
            header = handle.read(self._header_size)
            if len(header) != self._header_size:
                raise DecryptionError("the encrypted file is truncated")
            self._aead = _file_aead(key.secret, header[-SALT_BYTES:])
            self._aad = header + b"\x00" + aad
            sealed_size = handle.seek(0, io.SEEK_END)
            body = sealed_size - self._header_size
            self._segments = max(1, -(-body // _SEALED_SEGMENT))
            if body - (self._segments - 1) * _SEALED_SEGMENT < TAG_BYTES:
                raise DecryptionError("the encrypted file is truncated")
            self._size = plaintext_size(sealed_size, self._header_size)
            self._position = 0
            self._cached: tuple[int, bytes] | None = None
            self._segment(self._segments - 1)
        except BaseException:
            handle.close()
            raise

    @property
    def size(self) -> int:
        return self._size

    def _segment(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._handle.seek(self._header_size + index * _SEALED_SEGMENT)
        sealed = self._handle.read(_SEALED_SEGMENT)
        last = index == self._segments - 1
        try:
            plaintext = self._aead.decrypt(_segment_nonce(index, last), sealed, self._aad)
        except InvalidTag:
            raise DecryptionError(
                "the encrypted file failed authentication (changed, moved or wrong key)"
            ) from None
        self._cached = (index, plaintext)
        return plaintext

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._position < self._size:
            index, offset = divmod(self._position, SEGMENT_BYTES)
            data = self._segment(index)[offset : offset + len(view) - filled]
            view[filled : filled + len(data)] = data
            filled += len(data)
            self._position += len(data)
        return filled

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
            self._cached = None
        super().close()
