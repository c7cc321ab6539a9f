"""File storage that encrypts on save and decrypts on open, for attachments and photos.

    from ponleu.encryption.storage import encrypted_storage

    class Attachment(UUIDModel):
        file = models.FileField(storage=encrypted_storage, upload_to="attachments/")
        original_name = EncryptedTextField()   # the uploaded name can identify a child

Files live under ``MEDIA_ROOT/encrypted`` (or the ``location`` given). Every stored name is random (the
uploaded name is dropped, extension included), every file is sealed to its name, and there is no URL or
filesystem path to a plaintext: serve a file from an audited view through ``open()``.
"""

from __future__ import annotations

import io
import os
import posixpath
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File, locks
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible

from .crypto import DecryptingReader, file_aad, plaintext_size, read_file_header, seal_stream
from .keyring import KeyRing, keyring

SUBDIRECTORY = "encrypted"
# Files being re-encrypted are written beside the original under this prefix, then renamed over it.
TEMPORARY_PREFIX = ".rotating-"
LOCK_NAME = ".rotation.lock"


def _clean(name: str) -> str:
    name = posixpath.normpath(str(name).replace("\\", "/"))
    if name.startswith(("/", "../")) or name in ("..", "."):
        raise SuspiciousFileOperation(f"invalid stored file name {name!r}")
    return name


@deconstructible(path="ponleu.encryption.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    """A Storage over a FileSystemStorage holding only AES-GCM ciphertext."""

    def __init__(self, location: str | os.PathLike | None = None):
        self._location = location

    @property
    def base(self) -> FileSystemStorage:
        # Resolved on each use so that a changed MEDIA_ROOT (tests, a management command's settings)
        # takes effect; building a FileSystemStorage is cheap.
        location = self._location or Path(settings.MEDIA_ROOT) / SUBDIRECTORY
        return FileSystemStorage(
            location=location, base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    @property
    def location(self) -> str:
        return self.base.location

    # -- names -----------------------------------------------------------------------------------

    def get_available_name(self, name, max_length=None):
        """A random name in the requested directory; the uploaded name may identify a child."""
        directory = posixpath.dirname(_clean(name))
        for _ in range(10):
            candidate = posixpath.join(directory, secrets.token_hex(16))
            if max_length and len(candidate) > max_length:
                raise SuspiciousFileOperation(
                    f"the directory {directory!r} leaves no room for a random name within {max_length} characters"
                )
            if not self.base.exists(candidate):
                return candidate
        raise FileExistsError("no free random file name after 10 attempts")

    # -- reading and writing ---------------------------------------------------------------------

    def _save(self, name, content):
        name = _clean(name)
        path = self.base.path(name)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                seal_stream(content.chunks(), out.write, aad=file_aad(name))
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            os.unlink(path)
            raise
        return name

    def _open(self, name, mode="rb"):
        if mode not in ("rb", "r"):
            raise ValueError("encrypted files open read-only, in binary mode; save a new file to change one")
        name = _clean(name)
        reader = DecryptingReader(open(self.base.path(name), "rb"), aad=file_aad(name))  # noqa: SIM115
        return File(io.BufferedReader(reader), name=name)

    def delete(self, name):
        """Remove a file; waits for a rotation rewriting it, so a deleted file is never brought back."""
        path = self.base.path(_clean(name))
        if os.path.isdir(path):
            self.base.delete(_clean(name))
            return
        while True:
            with _locked(path) as still_there:
                if still_there is None:
                    return
                if still_there:
                    os.unlink(path)
                    return
            # The path now names a newer file (a rotation replaced it while we waited): lock that one.

    def exists(self, name):
        return self.base.exists(_clean(name))

    def listdir(self, path):
        directories, files = self.base.listdir(path)
        hidden = (TEMPORARY_PREFIX, LOCK_NAME)
        return directories, [name for name in files if not name.startswith(hidden)]

    def size(self, name):
        path = self.base.path(_clean(name))
        with open(path, "rb") as handle:
            _, header_size = read_file_header(handle)
        return plaintext_size(os.path.getsize(path), header_size)

    def get_accessed_time(self, name):
        return self.base.get_accessed_time(_clean(name))

    def get_created_time(self, name):
        return self.base.get_created_time(_clean(name))

    def get_modified_time(self, name):
        return self.base.get_modified_time(_clean(name))

    def path(self, name):
        raise NotImplementedError("an encrypted file has no plaintext on disk: use storage.open(name)")

    def url(self, name):
        raise NotImplementedError("encrypted files have no public URL: serve them from an audited view")

    # -- rotation --------------------------------------------------------------------------------

    def stored_names(self) -> Iterator[str]:
        """Every stored file, as the name it was saved under (sorted, for stable batches)."""
        root = Path(self.location)
        if not root.is_dir():
            return
        for directory, subdirectories, files in os.walk(root):
            subdirectories.sort()
            for filename in sorted(files):
                if filename.startswith((TEMPORARY_PREFIX, LOCK_NAME)):
                    continue
                yield Path(directory, filename).relative_to(root).as_posix()

    def key_id(self, name: str) -> str:
        with open(self.base.path(_clean(name)), "rb") as handle:
            return read_file_header(handle)[0]

    def reencrypt(self, name: str, *, ring: KeyRing | None = None) -> bool:
        """Seal ``name`` again under the primary key if another key sealed it; True if rewritten.

        The new ciphertext is written beside the old one and renamed over it, so a reader sees either
        the old file or the new one, never a mixture, and a crash leaves the old file intact.
        """
        ring = ring or keyring()
        name = _clean(name)
        path = self.base.path(name)
        with _locked(path) as still_there:
            # Under the file's lock a concurrent delete() waits; a file deleted before we got the lock,
            # or replaced meanwhile, is left alone rather than written back.
            if not still_there:
                return False
            if self.key_id(name) == ring.primary.id:
                return False
            temporary = os.path.join(os.path.dirname(path), TEMPORARY_PREFIX + secrets.token_hex(8))
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with (
                    os.fdopen(descriptor, "wb") as out,
                    DecryptingReader(open(path, "rb"), aad=file_aad(name), ring=ring) as reader,  # noqa: SIM115
                ):
                    seal_stream(
                        iter(lambda: reader.read(1024 * 1024), b""), out.write, aad=file_aad(name), ring=ring
                    )
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        return True

    def remove_leftovers(self) -> int:
        """Delete temporary files an interrupted rotation left behind; returns how many."""
        removed = 0
        root = Path(self.location)
        if root.is_dir():
            for leftover in root.rglob(TEMPORARY_PREFIX + "*"):
                leftover.unlink()
                removed += 1
        return removed


@contextmanager
def _locked(path: str) -> Iterator[bool | None]:
    """Hold an exclusive lock on the file at ``path``.

    Yields None if there is no file, False if the path no longer names the locked file (it was
    replaced or removed while we waited), True if it does.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        yield None
        return
    with handle:
        locks.lock(handle, locks.LOCK_EX)
        try:
            try:
                current = os.stat(path)
            except FileNotFoundError:
                yield False
                return
            opened = os.fstat(handle.fileno())
            yield (current.st_ino, current.st_dev) == (opened.st_ino, opened.st_dev)
        finally:
            locks.unlock(handle)


_default = EncryptedStorage()


def encrypted_storage() -> EncryptedStorage:
    """The project's encrypted storage, for ``FileField(storage=encrypted_storage)``."""
    return _default
