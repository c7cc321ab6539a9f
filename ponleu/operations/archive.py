"""The backup file: a compressed tar of the backup's parts, sealed with the key ring's first key.

    "PONLEU-BACKUP\\n" | 8-byte length of what follows | an encrypted file (ponleu.encryption.crypto)

The sealed part is the same AES-256-GCM segment format as the encrypted file store, bound to
the associated data ``ponleu backup v1``: a changed byte fails its segment's tag and a missing
end fails the last-segment flag. The length written in front tells a cut-short copy (an
interrupted transfer, a full disk) from an altered one, so the message says which.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

from ponleu.encryption import crypto

MAGIC = b"PONLEU-BACKUP\n"
AAD = b"ponleu backup v1"
LENGTH_BYTES = 8
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """The backup cannot be used; the message says why in plain words."""


def _chunks(path: Path):
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def seal(source_dir: Path, target: Path) -> None:
    """Pack ``source_dir`` (tar + gzip) and seal it into ``target``, written atomically."""
    packed = target.with_name(target.name + ".tar.gz.partial")
    partial = target.with_name(target.name + ".partial")
    try:
        with tarfile.open(packed, "w:gz", compresslevel=6) as tar:
            for path in sorted(source_dir.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(source_dir)), recursive=False)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + bytes(LENGTH_BYTES))
            crypto.seal_stream(_chunks(packed), out.write, aad=AAD)
            length = out.tell() - len(MAGIC) - LENGTH_BYTES
            out.seek(len(MAGIC))
            out.write(length.to_bytes(LENGTH_BYTES, "big"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        packed.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


class _Window(io.RawIOBase):
    """The sealed part of a backup file, as a file of its own (offset past the preamble)."""

    def __init__(self, handle, start: int):
        super().__init__()
        self._handle, self._start = handle, start
        handle.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._handle.readinto(buffer)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self._start
        return self._handle.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._handle.tell() - self._start

    def close(self) -> None:
        self._handle.close()
        super().close()


def _extract(tar: tarfile.TarFile, target_dir: Path, path: Path) -> None:
    """Only plain files and directories inside ``target_dir``: a sealed archive is checked anyway,
    but Debian 12's Python 3.11.2 predates tarfile's extraction filters."""
    members = tar.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
            raise BackupRefused(f"{path} holds an unexpected entry {member.name!r}")
    if hasattr(tarfile, "data_filter"):
        tar.extractall(target_dir, members=members, filter="data")
    else:
        tar.extractall(target_dir, members=members)  # noqa: S202 (members checked above)


def unseal(path: Path, target_dir: Path) -> None:
    """Authenticate, decrypt and unpack a backup into ``target_dir``, or refuse saying why."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BackupRefused(f"cannot read {path}: {exc.strerror}") from None
    preamble = handle.read(len(MAGIC) + LENGTH_BYTES)
    if len(preamble) < len(MAGIC) + LENGTH_BYTES or preamble[: len(MAGIC)] != MAGIC:
        handle.close()
        raise BackupRefused(f"{path} is not a Ponleu backup")
    expected = int.from_bytes(preamble[len(MAGIC) :], "big")
    actual = handle.seek(0, io.SEEK_END) - len(preamble)
    if actual < expected:
        handle.close()
        raise BackupRefused(
            f"{path} is truncated: it holds {actual} of its {expected} bytes "
            "(an interrupted copy or a full disk); use another copy"
        )
    if actual > expected:
        handle.close()
        raise BackupRefused(f"{path} has {actual - expected} bytes more than it was written with")
    try:
        reader = crypto.DecryptingReader(_Window(handle, len(preamble)), aad=AAD)
        with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r:gz") as tar:
            _extract(tar, target_dir, path)
    except crypto.DecryptionError as exc:
        if "not in the key ring" in str(exc):
            raise BackupRefused(
                f"{path} was sealed with a key that is not in PONLEU_ENCRYPTION_KEYS ({exc}); "
                "restore with the keys from the offline copy"
            ) from None
        raise BackupRefused(
            f"{path} has been altered or damaged: {exc}; it cannot be trusted, use another copy"
        ) from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupRefused(f"{path} cannot be unpacked: {exc}") from None
