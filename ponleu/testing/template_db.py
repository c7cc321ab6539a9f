"""Test databases copied from a migrated template instead of migrated anew.

Migrating an empty database renders the model state of every migration: about twenty seconds
of CPU on our machines, and `make test` creates a test database for each pytest worker of each
phase. The first worker to need a database migrates it as usual and keeps the result as a
template; every later one copies it (SQLite: the backup API into the in-memory test database;
PostgreSQL: CREATE DATABASE ... TEMPLATE). The template is named by a hash of everything that
decides the schema (every migration file, the audit triggers, the locked dependencies and
Django's version), so a changed migration never meets a stale template.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import django

ROOT = Path(__file__).resolve().parents[2]
SQLITE_DIR = ROOT / "var" / "test-templates"
PG_PREFIX = "ponleu_test_template_"
# What decides the schema of a migrated database, besides the migration files themselves.
SCHEMA_SOURCES = ("requirements.lock", "ponleu/audit/triggers.py")


def template_key(root: Path = ROOT) -> str:
    digest = hashlib.sha256(django.get_version().encode())
    paths = sorted(root.glob("ponleu/*/migrations/*.py")) + [root / name for name in SCHEMA_SOURCES]
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def sqlite_template(key: str | None = None) -> Path:
    return SQLITE_DIR / f"{key or template_key()}.sqlite3"


@contextlib.contextmanager
def _locked(vendor: str) -> Iterator[None]:
    """One builder at a time: the second pytest worker waits for the first's template."""
    path = Path(tempfile.gettempdir()) / f"ponleu-test-template-{vendor}-{os.getuid()}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _SQLite:
    def __init__(self, connection, key: str):
        self.connection = connection
        self.path = sqlite_template(key)

    def exists(self) -> bool:
        return self.path.exists()

    def restore(self) -> None:
        self.connection.ensure_connection()
        source = sqlite3.connect(self.path)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)
        for stale in self.path.parent.glob("*.sqlite3"):
            if stale != self.path:
                stale.unlink(missing_ok=True)


class _PostgreSQL:
    def __init__(self, connection, key: str):
        self.connection = connection
        self.template = PG_PREFIX + key

    def _admin(self, *statements: str) -> None:
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def exists(self) -> bool:
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template])
            return cursor.fetchone() is not None

    def restore(self) -> None:
        name = self.connection.ops.quote_name(self.connection.settings_dict["NAME"])
        template = self.connection.ops.quote_name(self.template)
        self._admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE {template}")

    def save(self) -> None:
        name = self.connection.ops.quote_name(self.connection.settings_dict["NAME"])
        template = self.connection.ops.quote_name(self.template)
        self._admin(f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template} TEMPLATE {name}")


def _store(connection, key: str):
    if connection.vendor == "sqlite":
        return _SQLite(connection, key)
    if connection.vendor == "postgresql":
        return _PostgreSQL(connection, key)
    return None


def migrate_or_copy(real_call_command: Callable, key: str) -> Callable:
    """A stand-in for `call_command` inside Django's test database creation."""
    from django.db import connections

    def call_command(name, *args, **options):
        if name != "migrate":
            return real_call_command(name, *args, **options)
        connection = connections[options.get("database", "default")]
        store = _store(connection, key)
        if store is None:
            return real_call_command(name, *args, **options)
        with _locked(connection.vendor):
            if store.exists():
                store.restore()
                return None
            result = real_call_command(name, *args, **options)
            store.save()
            return result

    return call_command


@contextlib.contextmanager
def copied_from_template() -> Iterator[None]:
    """Within it, Django's test database creation copies the template where one exists."""
    from django.core import management
    from django.db.backends.base.creation import BaseDatabaseCreation

    if os.environ.get("PONLEU_TEST_TEMPLATE") == "off":
        yield
        return
    key = template_key()
    create_test_db = BaseDatabaseCreation.create_test_db

    def creating(self, *args, **kwargs):
        # Only the creation's own migrate is replaced; a test calling migrate gets the real one.
        stand_in = migrate_or_copy(management.call_command, key)
        with mock.patch.object(management, "call_command", stand_in):
            return create_test_db(self, *args, **kwargs)

    with mock.patch.object(BaseDatabaseCreation, "create_test_db", creating):
        yield
