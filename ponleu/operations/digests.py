"""Every table's row count and checksum, read through the database driver itself.

A backup records them and a restore recomputes them, so "the restored database holds what
was backed up" is checked row by row, not assumed. The checksum is the sum of each row's
SHA-256 (modulo 2**256): independent of row order, so it needs no primary key and no sort.
Values are read raw (no Django field conversion), so an encrypted column is compared as the
ciphertext it is stored as.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

MODULUS = 2**256
BATCH = 2000


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str

    def as_dict(self) -> dict:
        return {"rows": self.rows, "sha256": self.sha256}


def _text(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value).hex()
    return str(value)


def digest_rows(rows) -> TableDigest:
    total = count = 0
    for row in rows:
        line = "\x1f".join(_text(value) for value in row).encode("utf-8", "surrogatepass")
        total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % MODULUS
        count += 1
    return TableDigest(count, f"{total:064x}")


def _fetch(cursor, table: str):
    quoted = '"' + table.replace('"', '""') + '"'
    cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names come from the catalogue)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def sqlite_tables(conn) -> list[str]:
    found = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [name for (name,) in found]


def postgres_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def sqlite_digests(conn) -> dict[str, TableDigest]:
    """Digests of a plain ``sqlite3`` connection (opened without type detection)."""
    cursor = conn.cursor()
    return {table: digest_rows(_fetch(cursor, table)) for table in sqlite_tables(conn)}


def postgres_digests(conn) -> dict[str, TableDigest]:
    """Digests of a psycopg connection, inside whatever transaction (snapshot) it is in."""
    with conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        return {table: digest_rows(_fetch(cursor, table)) for table in postgres_tables(cursor)}
