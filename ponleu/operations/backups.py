"""``ponleu backup`` and ``ponleu restore``: the database and the file store, sealed in one file.

A backup holds ``manifest.json`` (when, which version and migrations, every table's row count
and checksum, every file's size and SHA-256, the audit chains' length and newest hash), the
database as its engine's own dump, and the file store under ``files/`` exactly as stored (its
files are already encrypted). The whole is compressed and sealed (``archive.py``). A restore
goes only into an empty database and an empty file store, and checks every table and every
file against the manifest before it says it is done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connections

from ponleu.common import clock

from . import archive, database_copy, retention
from .archive import BackupRefused

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
NAME = re.compile(r"^ponleu-(\d{8}-\d{6})Z\.backup$")
STATUS_FILE = "last-backup.json"
AUDIT_TABLES = ("audit_auditevent", "audit_accessevent")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime


def backup_dir() -> Path:
    return Path(settings.PONLEU_BACKUP_DIR)


def name_for(moment: dt.datetime) -> str:
    return f"ponleu-{moment.astimezone(dt.UTC):%Y%m%d-%H%M%S}Z.backup"


def listed(directory: Path | None = None) -> list[Backup]:
    """The backups in ``directory``, newest first."""
    directory = directory or backup_dir()
    found = []
    if directory.is_dir():
        for path in directory.iterdir():
            match = NAME.match(path.name)
            if match:
                taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
                found.append(Backup(path, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _file_store() -> Path:
    return Path(settings.MEDIA_ROOT)


def _migrations(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        newest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            newest[app] = max(name, newest.get(app, ""))
    return newest


def _files(root: Path) -> dict[str, dict]:
    found = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".partial"):
                found[str(path.relative_to(root))] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return found


def take(*, alias: str = "default", directory: Path | None = None, media_root: Path | None = None) -> Path:
    """Write one backup into ``directory`` and return its path."""
    directory = directory or backup_dir()
    media_root = media_root or _file_store()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    moment = clock.now()
    target = directory / name_for(moment)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=directory))
    try:
        database_file, tables = database_copy.dump(alias, staging)
        files_dir = staging / FILES
        if media_root.is_dir():
            shutil.copytree(media_root, files_dir, ignore=shutil.ignore_patterns("*.partial"))
        manifest = {
            "format": FORMAT,
            "taken_at": moment.isoformat(),
            "ponleu_version": version("ponleu"),
            "engine": database_copy.engine(connections[alias].settings_dict),
            "database_file": database_file,
            "database_sha256": _sha256(staging / database_file),
            "migrations": _migrations(alias),
            "tables": {table: digest.as_dict() for table, digest in tables.items()},
            "files": _files(files_dir),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        archive.seal(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def write_status(*, ok: bool, message: str, path: Path | None = None, directory: Path | None = None) -> None:
    """Remember the last attempt, for ``ponleu doctor`` and the metrics."""
    directory = directory or backup_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    status = {"ok": ok, "at": clock.now().isoformat(), "message": message, "file": str(path or "")}
    (directory / STATUS_FILE).write_text(json.dumps(status, sort_keys=True), encoding="utf-8")


def read_status(directory: Path | None = None) -> dict | None:
    try:
        return json.loads(((directory or backup_dir()) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def prune(directory: Path | None = None) -> list[Path]:
    """Delete the backups the retention settings no longer keep; returns what was deleted."""
    found = listed(directory)
    keep = retention.to_keep(
        [b.taken_at for b in found],
        daily=settings.PONLEU_BACKUP_KEEP_DAILY,
        weekly=settings.PONLEU_BACKUP_KEEP_WEEKLY,
        monthly=settings.PONLEU_BACKUP_KEEP_MONTHLY,
    )
    deleted = []
    for backup in found:
        if backup.taken_at not in keep:
            backup.path.unlink(missing_ok=True)
            deleted.append(backup.path)
    return deleted


def copy_elsewhere(path: Path, destination: str) -> str:
    """Copy a backup to a second place: a directory (a mounted disk) or ``user@host:directory``."""
    if destination.startswith("/"):
        target_dir = Path(destination)
        if not target_dir.is_dir():
            raise BackupRefused(f"the second place {destination} is not a directory (is the disk mounted?)")
        partial = target_dir / (path.name + ".partial")
        shutil.copyfile(path, partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target_dir / path.name)
        prune(target_dir)
        return str(target_dir / path.name)
    scp = shutil.which("scp")
    if scp is None:
        raise BackupRefused("scp is not installed (apt-get install openssh-client)")
    result = subprocess.run(  # noqa: S603 (a fixed program, arguments from settings)
        [scp, "-q", "-B", "-o", "StrictHostKeyChecking=yes", str(path), destination.rstrip("/") + "/"],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BackupRefused(f"copying to {destination} failed: {result.stderr.strip()}")
    return f"{destination.rstrip('/')}/{path.name}"


@dataclass(frozen=True)
class Opened:
    """A backup unpacked and checked against its own manifest."""

    directory: Path
    manifest: dict

    @property
    def database_file(self) -> Path:
        return self.directory / self.manifest["database_file"]


def open_checked(path: Path, work_dir: Path) -> Opened:
    """Unseal ``path`` into ``work_dir`` and check the database file and every file by checksum."""
    archive.unseal(path, work_dir)
    try:
        manifest = json.loads((work_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupRefused(f"{path} has no readable manifest") from None
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} is in backup format {manifest.get('format')!r}, not {FORMAT}")
    opened = Opened(work_dir, manifest)
    if not opened.database_file.is_file() or _sha256(opened.database_file) != manifest["database_sha256"]:
        raise BackupRefused(f"{path}: the database inside does not match its checksum")
    on_disk = _files(work_dir / FILES)
    if on_disk != manifest["files"]:
        differing = sorted(set(on_disk.items()) ^ set(manifest["files"].items()), key=str)
        raise BackupRefused(f"{path}: the files inside do not match the manifest (first: {differing[0][0]})")
    return opened


def differences(expected: dict[str, dict], found: dict) -> list[str]:
    """Tables whose row count or checksum differ, in words."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want = expected.get(table)
        have = found[table].as_dict() if table in found else None
        if want is None:
            problems.append(f"{table} is not in the backup")
        elif have is None:
            problems.append(f"{table} is missing")
        elif have["rows"] != want["rows"]:
            problems.append(f"{table} has {have['rows']} rows, the backup {want['rows']}")
        elif have["sha256"] != want["sha256"]:
            problems.append(f"{table} has the backup's {want['rows']} rows but not their content")
    return problems


def restore(path: Path, *, database: dict, media_root: Path) -> dict:
    """Restore ``path`` into an empty database and an empty file store; returns the manifest."""
    existing = database_copy.tables(database)
    if existing:
        raise BackupRefused(
            f"the database {database['NAME']} already holds {len(existing)} tables; "
            "restore only into a new, empty database"
        )
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupRefused(f"the file store {media_root} is not empty; restore only into an empty one")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        opened = open_checked(path, work_dir)
        database_copy.load(database, opened.database_file)
        media_root.mkdir(parents=True, exist_ok=True, mode=0o700)
        source = work_dir / FILES
        if source.is_dir():
            shutil.copytree(source, media_root, dirs_exist_ok=True)
        problems = differences(opened.manifest["tables"], database_copy.current_digests(database))
        if _files(media_root) != opened.manifest["files"]:
            problems.append("the restored file store differs from the backup's")
        if problems:
            raise BackupRefused("the restored data does not match the backup: " + "; ".join(problems))
        return opened.manifest
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def check_restorable(path: Path) -> dict:
    """Unseal and check a backup without restoring it (``ponleu backup verify``, the doctor)."""
    scratch = Path(settings.VAR_DIR)
    scratch.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=".verify-", dir=scratch))
    try:
        return open_checked(path, work_dir).manifest
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
