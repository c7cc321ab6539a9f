from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from ponleu.encryption.crypto import DecryptionError
from ponleu.encryption.keyring import new_key_line, parse_keys
from ponleu.encryption.storage import encrypted_storage

TABLE = "encryption_test_canarynote"


def keys_in_use() -> set[str]:
    """The key ids found in the raw column values and the stored files' headers."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body, summary FROM {TABLE}")  # noqa: S608 - constant
        values = [value for row in cursor.fetchall() for value in row if value]
    storage = encrypted_storage()
    return {v.split(":")[1] for v in values} | {storage.key_id(n) for n in storage.stored_names()}


def run(*args) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def notes(note_model, canary):
    created = []
    for i in range(5):
        note = note_model(body=f"{canary} body {i}", summary=f"summary {i}" if i % 2 else None)
        note.attachment.save(f"scan-{i}.pdf", ContentFile(f"%PDF {canary} {i}".encode()), save=False)
        created.append(note)
    note_model.objects.bulk_create(created)
    return created


def assert_all_open(note_model, canary):
    for i, note in enumerate(sorted(note_model.objects.all(), key=lambda n: n.body)):
        assert note.body == f"{canary} body {i}"
        with note.attachment.open() as handle:
            assert handle.read() == f"%PDF {canary} {i}".encode()


def test_rotation_moves_everything_to_the_new_first_key(note_model, notes, canary, settings):
    assert keys_in_use() == {"test1"}
    new = new_key_line("k2")
    settings.PONLEU_ENCRYPTION_KEYS = f"{new},{settings.PONLEU_ENCRYPTION_KEYS}"

    dry = run("rotate", "--dry-run")
    assert "encryption.CanaryNote.body: 5 scanned, 5 to re-encrypt, 0 already current" in dry
    assert keys_in_use() == {"test1"}

    report = run("rotate", "--batch-size", "2")
    assert "encryption.CanaryNote.body: 5 scanned, 5 re-encrypted, 0 already current" in report
    assert "encryption.CanaryNote.summary: 2 scanned, 2 re-encrypted" in report
    assert "5 scanned, 5 re-encrypted" in report.split("files in")[1]
    assert keys_in_use() == {"k2"}
    assert_all_open(note_model, canary)

    again = run("rotate")
    assert "encryption.CanaryNote.body: 5 scanned, 0 re-encrypted, 5 already current" in again
    assert "total: 12 scanned, 0 re-encrypted, 0 failed" in again

    settings.PONLEU_ENCRYPTION_KEYS = new  # the old key is dropped
    assert_all_open(note_model, canary)


def test_dropping_a_key_before_rotation_loses_access(note_model, notes, settings):
    settings.PONLEU_ENCRYPTION_KEYS = new_key_line("k2")
    with pytest.raises(DecryptionError, match="not in the key ring"):
        _ = note_model.objects.first().body
    with pytest.raises(CommandError, match="cannot be decrypted"):
        run("rotate")
    assert keys_in_use() == {"test1"}


def test_rotation_reports_damaged_values_and_still_rotates_the_rest(note_model, notes, settings):
    victim = notes[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET body = (SELECT body FROM {TABLE} WHERE id = %s) WHERE id = %s",  # noqa: S608
            [
                notes[1].pk.hex if connection.vendor == "sqlite" else notes[1].pk,
                victim.pk.hex if connection.vendor == "sqlite" else victim.pk,
            ],
        )
    Path(encrypted_storage().location, notes[2].attachment.name).write_bytes(b"not encrypted")
    settings.PONLEU_ENCRYPTION_KEYS = f"{new_key_line('k2')},{settings.PONLEU_ENCRYPTION_KEYS}"
    err = StringIO()
    with pytest.raises(CommandError, match="2 values or files cannot be decrypted"):
        call_command("keys", "rotate", stdout=StringIO(), stderr=err)
    assert f"encryption.CanaryNote.body {victim.pk}" in err.getvalue()
    assert notes[2].attachment.name in err.getvalue()
    assert note_model.objects.get(pk=notes[3].pk).body.endswith("body 3")


def test_interrupted_file_rotation_leftovers_are_cleaned(note_model, notes, settings):
    storage = encrypted_storage()
    leftover = Path(storage.location, "attachments", ".rotating-0123")
    leftover.write_bytes(b"partial")
    assert ".rotating-0123" not in storage.listdir("attachments")[1]
    settings.PONLEU_ENCRYPTION_KEYS = f"{new_key_line('k2')},{settings.PONLEU_ENCRYPTION_KEYS}"
    run("rotate")
    assert not leftover.exists()


def test_generate_prints_a_usable_key_line():
    line = run("generate").strip()
    assert parse_keys(line).primary.secret
    assert run("generate", "--id", "spare").startswith("spare:")
    with pytest.raises(CommandError):
        run("generate", "--id", "no:colons")


def test_a_file_deleted_during_its_rotation_stays_deleted(note_model, notes, settings, monkeypatch):
    import threading

    from ponleu.encryption import storage as storage_module

    storage = encrypted_storage()
    name = notes[0].attachment.name
    settings.PONLEU_ENCRYPTION_KEYS = f"{new_key_line('k2')},{settings.PONLEU_ENCRYPTION_KEYS}"
    deleter = threading.Thread(target=storage.delete, args=[name])
    real_seal_stream = storage_module.seal_stream

    def seal_while_deleting(*args, **kwargs):
        deleter.start()
        deleter.join(timeout=0.2)  # without the file lock the delete would finish here, before the rename
        return real_seal_stream(*args, **kwargs)

    monkeypatch.setattr(storage_module, "seal_stream", seal_while_deleting)
    assert storage.reencrypt(name) is True
    deleter.join()
    assert not storage.exists(name)
    assert storage.reencrypt(name) is False  # gone: nothing to write back
    assert not storage.exists(name)
