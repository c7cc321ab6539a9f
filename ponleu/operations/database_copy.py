"""Copying the database out of and into a server, with each engine's own tools.

PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported by a repeatable-read
transaction, whose digests are read in that same transaction, so the dump and its checksums
describe the same instant while users keep working; ``pg_restore --single-transaction``
into an empty database. SQLite: the online backup API (a consistent copy of a live file).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from . import digests
from .archive import BackupRefused

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


def engine(database: dict) -> str:
    return "sqlite" if "sqlite" in database["ENGINE"] else "postgresql"


def _libpq_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _connect(database: dict):
    import psycopg

    return psycopg.connect(
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        dbname=database["NAME"],
        connect_timeout=10,
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} is not installed (apt-get install postgresql-client-15)")
    return found


def dump(alias: str, target_dir: Path) -> tuple[str, dict[str, digests.TableDigest]]:
    """Write the database of connection ``alias`` into ``target_dir``; (file name, digests)."""
    connection = connections[alias]
    database = connection.settings_dict
    if engine(database) == "sqlite":
        target = target_dir / SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        plain = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            return SQLITE_FILE, digests.sqlite_digests(plain)
        finally:
            plain.close()
    target = target_dir / POSTGRES_FILE
    with _connect(database) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        result = subprocess.run(  # noqa: S603 (a fixed program, arguments from settings)  # noqa: S603 (a fixed program, arguments from settings)
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=_libpq_env(database),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupRefused(f"pg_dump failed: {result.stderr.strip()}")
        found = digests.postgres_digests(conn)
        conn.rollback()
    return POSTGRES_FILE, found


def tables(database: dict) -> list[str]:
    """The tables the database already holds (an empty list for a new, empty database)."""
    if engine(database) == "sqlite":
        path = Path(database["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return []
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return digests.sqlite_tables(conn)
        finally:
            conn.close()
    with _connect(database) as conn, conn.cursor() as cursor:
        return digests.postgres_tables(cursor)


def load(database: dict, source: Path) -> None:
    """Load a dumped database into the empty database ``database`` describes."""
    if engine(database) == "sqlite":
        if source.name != SQLITE_FILE:
            raise BackupRefused("this backup holds a PostgreSQL database; restore it into PostgreSQL")
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o600)
        return
    if source.name != POSTGRES_FILE:
        raise BackupRefused("this backup holds a SQLite database; restore it into SQLite")
    result = subprocess.run(  # noqa: S603 (a fixed program, arguments from settings)
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(source),
        ],
        env=_libpq_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupRefused(f"pg_restore failed: {result.stderr.strip()}")


def current_digests(database: dict) -> dict[str, digests.TableDigest]:
    if engine(database) == "sqlite":
        conn = sqlite3.connect(f"file:{database['NAME']}?mode=ro", uri=True)
        try:
            return digests.sqlite_digests(conn)
        finally:
            conn.close()
    with _connect(database) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return digests.postgres_digests(conn)
