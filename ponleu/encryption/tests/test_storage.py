import io
import os
import secrets
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from ponleu.encryption.crypto import SEGMENT_BYTES, DecryptionError
from ponleu.encryption.storage import EncryptedStorage, encrypted_storage

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture
def storage(tmp_path):
    return EncryptedStorage(location=tmp_path / "sealed")


def stored_bytes(storage, name) -> bytes:
    return Path(storage.location, name).read_bytes()


@pytest.mark.parametrize("magic", [JPEG, PDF])
def test_canary_and_file_magic_never_reach_the_disk(storage, canary, magic):
    content = magic + f"child's report {canary}".encode() + os.urandom(100)
    name = storage.save("attachments/sokha-medical-report.pdf", ContentFile(content))
    raw = stored_bytes(storage, name)
    assert canary.encode() not in raw
    assert not raw.startswith((JPEG[:3], PDF[:4]))
    assert b"JFIF" not in raw
    assert b"%PDF" not in raw
    assert name.startswith("attachments/")
    assert "sokha" not in name
    assert not name.endswith(".pdf")
    with storage.open(name) as handle:
        assert handle.read() == content
    assert storage.size(name) == len(content)


def test_names_are_random_even_for_the_same_upload(storage):
    first = storage.save("photo.jpg", ContentFile(b"a"))
    second = storage.save("photo.jpg", ContentFile(b"a"))
    assert first != second
    assert stored_bytes(storage, first) != stored_bytes(storage, second)
    assert set(storage.listdir("")[1]) == {first, second}


def test_large_files_stream_in_segments_and_seek(storage):
    content = os.urandom(3 * SEGMENT_BYTES + 123)
    name = storage.save("big.bin", ContentFile(content))
    assert len(stored_bytes(storage, name)) < len(content) + 200
    with storage.open(name) as handle:
        handle.seek(SEGMENT_BYTES - 10)
        assert handle.read(30) == content[SEGMENT_BYTES - 10 : SEGMENT_BYTES + 20]
        handle.seek(0)
        assert b"".join(handle.chunks(chunk_size=10_000)) == content
        assert handle.size == len(content)


@pytest.mark.parametrize("size", [0, SEGMENT_BYTES, 2 * SEGMENT_BYTES + 1])
def test_boundary_sizes_round_trip(storage, size):
    content = os.urandom(size)
    name = storage.save("f", ContentFile(content))
    with storage.open(name) as handle:
        assert handle.read() == content


def test_tampered_truncated_or_moved_files_do_not_open(storage):
    content = os.urandom(2 * SEGMENT_BYTES + 50)
    first = storage.save("a", ContentFile(content))
    second = storage.save("b", ContentFile(b"other"))
    path = Path(storage.location, first)
    sealed = path.read_bytes()

    path.write_bytes(sealed[:100] + bytes([sealed[100] ^ 1]) + sealed[101:])
    with pytest.raises(DecryptionError), storage.open(first) as handle:
        handle.read()

    path.write_bytes(sealed[: -(50 + 16)])  # drop the last segment
    with pytest.raises(DecryptionError):
        storage.open(first)

    path.write_bytes(sealed)
    Path(storage.location, second).write_bytes(sealed)  # a file copied under another name
    with pytest.raises(DecryptionError):
        storage.open(second)
    with storage.open(first) as handle:
        assert handle.read() == content


def test_files_open_read_only_and_have_no_url_or_path(storage):
    name = storage.save("x", ContentFile(b"x"))
    with pytest.raises(ValueError, match="read-only"):
        storage.open(name, "wb")
    with pytest.raises(NotImplementedError):
        storage.url(name)
    with pytest.raises(NotImplementedError):
        storage.path(name)


def test_uploads_with_a_temporary_file_are_encrypted_too(storage, canary, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("scan.pdf", "application/pdf", 0, None)
    upload.write(PDF + canary.encode())
    upload.seek(0)
    name = storage.save(upload.name, upload)
    upload.close()
    assert canary.encode() not in stored_bytes(storage, name)
    assert storage.open(name).read() == PDF + canary.encode()


def test_the_default_storage_lives_under_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = encrypted_storage().save("photos/p.jpg", ContentFile(JPEG))
    assert Path(tmp_path, "encrypted", name).is_file()


def test_model_file_fields_store_ciphertext(note_model, canary):
    note = note_model(body="with attachment")
    note.attachment.save("referral-letter.pdf", ContentFile(PDF + canary.encode()), save=False)
    note.save()
    loaded = note_model.objects.get(pk=note.pk)
    assert "referral" not in loaded.attachment.name
    with loaded.attachment.open() as handle:
        assert handle.read() == PDF + canary.encode()
    raw = Path(encrypted_storage().location, loaded.attachment.name).read_bytes()
    assert canary.encode() not in raw
    assert not raw.startswith(PDF[:4])
    assert loaded.attachment.size == len(PDF) + len(canary)


def test_reads_are_buffered_fully(storage):
    content = secrets.token_bytes(SEGMENT_BYTES + 10)
    name = storage.save("r", ContentFile(content))
    handle = storage.open(name)
    assert handle.read(SEGMENT_BYTES + 5) == content[: SEGMENT_BYTES + 5]
    assert isinstance(handle.file, io.BufferedReader)
    handle.close()
