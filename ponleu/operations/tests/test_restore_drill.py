"""The restore drill: build a world, back it up, restore it into a new server, compare everything.

The backup is taken in this process from the test database; the restore runs as the real
``ponleu restore`` command in another process, against a new database (a new SQLite file, or a
new PostgreSQL database) and a new file store, as an organisation would on a replacement server.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.encryption.storage import encrypted_storage
from ponleu.operations import backups, database_copy
from ponleu.operations.archive import BackupRefused
from ponleu.registry.models import Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.heavy]

ROOT = Path(__file__).resolve().parents[3]


def _postgres() -> bool:
    return database_copy.engine(connection.settings_dict) == "postgresql"


@pytest.fixture
def file_store(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "source-files"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_world(world, people, file_store):
    storage = encrypted_storage()
    names = [storage.save(f"photos/child-{i}.jpg", ContentFile(os.urandom(70_000 + i))) for i in range(3)]
    names.append(storage.save("documents/plan.pdf", ContentFile(b"%PDF-1.4 synthetic plan\n" * 50)))
    assert Person.objects.exists()
    assert AuditEvent.objects.exists()
    return names


@pytest.fixture
def new_server(tmp_path):
    """A new, empty database and file store, described as the environment of a server."""
    var = tmp_path / "new-server"
    var.mkdir()
    if _postgres():
        source = connection.settings_dict
        name = f"{source['NAME']}_restored"
        with psycopg.connect(
            host=source["HOST"],
            port=source["PORT"] or None,
            user=source["USER"],
            dbname="postgres",
            password=source["PASSWORD"] or None,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        database = {**source, "NAME": name}
        url = f"postgres://{source['USER']}@{source['HOST']}:{source['PORT'] or 5432}/{name}"
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var / "restored.sqlite3")}
        url = f"sqlite:///{database['NAME']}"
    env = {
        **os.environ,
        "PONLEU_MODE": "development",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": url,
        "PONLEU_VAR_DIR": str(var),
        "PONLEU_ENCRYPTION_KEYS": settings.PONLEU_ENCRYPTION_KEYS,
        "PONLEU_AUDIT_ANCHOR_FILE": str(var / "anchors.jsonl"),
    }
    yield database, var / "files", env
    if _postgres():
        with psycopg.connect(
            host=source["HOST"],
            port=source["PORT"] or None,
            user=source["USER"],
            dbname="postgres",
            password=source["PASSWORD"] or None,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(path: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ponleu.cli", "restore", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _source_digests(tmp_path):
    if _postgres():
        return database_copy.current_digests(connection.settings_dict)
    here = tmp_path / "source-digests"
    here.mkdir()
    return database_copy.dump("default", here)[1]


def test_a_backup_restores_into_a_new_server_table_by_table_and_file_by_file(
    small_world, file_store, new_server, tmp_path
):
    database, restored_files, env = new_server
    path = backups.take(directory=tmp_path / "backups")
    result = _restore(path, env)
    assert result.returncode == 0, result.stderr

    source = _source_digests(tmp_path)
    restored = database_copy.current_digests(database)
    assert set(restored) == set(source)
    assert len(source) > 40
    for table, digest in source.items():
        assert restored[table] == digest, table
    assert source["registry_person"].rows > 0
    assert source["audit_accessevent"].rows > 0

    files = sorted(p.relative_to(file_store) for p in file_store.rglob("*") if p.is_file())
    assert len(files) == len(small_world) == 4
    for relative in files:
        assert (restored_files / relative).read_bytes() == (file_store / relative).read_bytes()

    for model in (AuditEvent, AccessEvent):
        table = model._meta.db_table
        newest = model.objects.order_by("-id").first()
        assert (
            f"{table}: {model.objects.count()} rows, chain intact; newest hash {newest.hash}" in result.stdout
        )


def test_a_restore_refuses_a_database_that_is_not_empty(small_world, tmp_path, new_server):
    database, restored_files, env = new_server
    path = backups.take(directory=tmp_path / "backups")
    if _postgres():
        with database_copy._connect(database) as conn:
            conn.execute("CREATE TABLE left_over (id integer)")
    else:
        sqlite3.connect(database["NAME"]).execute("CREATE TABLE left_over (id integer)")
    with pytest.raises(
        BackupRefused, match="already holds 1 tables; restore only into a new, empty database"
    ):
        backups.restore(path, database=database, media_root=restored_files)
    assert not restored_files.exists()


def _empty_target(tmp_path):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "target.sqlite3")}


def test_a_tampered_backup_is_refused_and_nothing_is_restored(small_world, tmp_path):
    path = backups.take(directory=tmp_path / "backups")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BackupRefused, match="has been altered or damaged"):
        backups.restore(path, database=_empty_target(tmp_path), media_root=tmp_path / "files")
    assert not (tmp_path / "target.sqlite3").exists()
    assert not (tmp_path / "files").exists()


def test_a_truncated_backup_is_refused_saying_so(small_world, tmp_path):
    path = backups.take(directory=tmp_path / "backups")
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - 1000)
    with pytest.raises(
        BackupRefused, match=f"is truncated: it holds {size - 1000 - 22} of its {size - 22} bytes"
    ):
        backups.restore(path, database=_empty_target(tmp_path), media_root=tmp_path / "files")


def test_a_backup_sealed_with_another_key_names_the_key(small_world, tmp_path, settings):
    path = backups.take(directory=tmp_path / "backups")
    from ponleu.encryption.keyring import new_key_line

    settings.PONLEU_ENCRYPTION_KEYS = new_key_line("other")
    with pytest.raises(BackupRefused, match="sealed with a key that is not in PONLEU_ENCRYPTION_KEYS"):
        backups.check_restorable(path)


def test_the_backup_reveals_no_note_or_name_in_clear(small_world, tmp_path):
    path = backups.take(directory=tmp_path / "backups")
    sealed = path.read_bytes()
    assert Person.objects.filter(given_name_latin="Kanitha").exists()
    assert b"Kanitha" not in sealed
    assert b"Synthetic observations" not in sealed
    assert b"registry_person" not in sealed
