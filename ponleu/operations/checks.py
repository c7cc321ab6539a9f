"""What ``ponleu doctor`` checks, each in plain words: what is wrong and what to do about it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import ssl
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks as django_checks
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor

from ponleu.audit import anchors, chain
from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.common import clock
from ponleu.encryption import crypto
from ponleu.encryption.keyring import keyring

from . import backups


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    message: str
    # Which failures `ponleu doctor --alert` tells the administrators about.
    alert: str = ""


def database() -> Result:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 (any failure to connect is the answer)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Result("database", False, f"cannot reach the database: {first}")
    return Result("database", True, f"reachable ({connection.vendor} {connection.Database.__name__})")


def migrations() -> Result:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:3])
        return Result(
            "migrations", False, f"{len(pending)} not applied ({names}...): run `ponleu upgrade` as the owner"
        )
    return Result("migrations", True, "every migration is applied")


def worker(wait_seconds: float) -> Result:
    from django_tasks_db.models import DBTaskResult

    from .tasks import heartbeat

    horizon = clock.now() - dt.timedelta(minutes=10)
    stuck = DBTaskResult.objects.filter(status="READY", run_after__lt=horizon).count()
    failed = DBTaskResult.objects.filter(status="FAILED", finished_at__gte=clock.now() - dt.timedelta(days=1))
    result = heartbeat.enqueue()
    deadline = time.monotonic() + wait_seconds
    while not result.is_finished and time.monotonic() < deadline:
        time.sleep(0.5)
        result.refresh()
    if not result.is_finished:
        return Result(
            "worker",
            False,
            f"no worker took a test task within {wait_seconds:.0f} s ({stuck} tasks waiting over 10 minutes): "
            "is the worker running? `systemctl status ponleu-worker`",
            alert="worker",
        )
    note = f"; {failed.count()} tasks failed in the last day (see the admin's task results)" if failed else ""
    return Result("worker", True, f"a worker took a test task{note}")


def _private(path: Path) -> str | None:
    """Why ``path`` is not a file only this user can read, or None."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    if info.st_uid != os.geteuid():
        return f"{path} belongs to uid {info.st_uid}, not to this service's user (uid {os.geteuid()})"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"{path} can be read by others (mode {stat.S_IMODE(info.st_mode):o}): chmod 600 {path}"
    return None


def keys() -> Result:
    try:
        ring = keyring()
        sealed = crypto.seal_text("doctor", aad=b"doctor")
        crypto.open_text(sealed, aad=b"doctor")
    except Exception as exc:  # noqa: BLE001
        return Result("keys", False, f"the encryption keys do not work: {exc}")
    files = [Path(p) for p in settings.PONLEU_SECRET_FILES]
    files += [
        p for p in (settings.VAR_DIR / "encryption_keys", settings.VAR_DIR / "secret_key") if p.exists()
    ]
    problems = [problem for problem in map(_private, files) if problem]
    if problems:
        return Result("keys", False, "; ".join(problems))
    return Result("keys", True, f"{len(ring.keys)} encryption keys work; {len(files)} secret files private")


def backup(*, open_newest: bool) -> Result:
    found = backups.listed()
    status = backups.read_status()
    if status and not status.get("ok"):
        return Result("backups", False, f"the last backup failed: {status.get('message')}", alert="backup")
    if not found:
        return Result(
            "backups", False, f"no backup in {backups.backup_dir()}: run `ponleu backup`", alert="backup"
        )
    newest = found[0]
    age = clock.now() - newest.taken_at
    hours = age.total_seconds() / 3600
    if hours > settings.PONLEU_BACKUP_MAX_AGE_HOURS:
        return Result(
            "backups",
            False,
            f"the newest backup is {hours:.0f} hours old ({newest.path.name}): is the timer on?",
            alert="backup",
        )
    if open_newest:
        try:
            backups.check_restorable(newest.path)
        except backups.BackupRefused as exc:
            return Result("backups", False, f"the newest backup cannot be restored: {exc}", alert="backup")
    checked = "unsealed and every checksum matches" if open_newest else "not opened (--quick)"
    return Result("backups", True, f"newest {newest.path.name}, {hours:.1f} hours old, {checked}")


def disk() -> Result:
    places = {Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT), backups.backup_dir()}
    if connection.vendor == "sqlite":
        places.add(Path(connection.settings_dict["NAME"]).parent)
    problems, lowest = [], 100.0
    for place in sorted(places):
        existing = place
        while not existing.exists():
            existing = existing.parent
        usage = shutil.disk_usage(existing)
        free = 100 * usage.free / usage.total
        lowest = min(lowest, free)
        if free < settings.PONLEU_DISK_MIN_FREE_PERCENT:
            problems.append(f"{place}: only {free:.0f}% free ({usage.free // 2**20} MiB)")
    if problems:
        return Result("disk", False, "; ".join(problems) + ": make room before backups fail", alert="disk")
    return Result("disk", True, f"at least {lowest:.0f}% free where Ponleu writes")


def clock_skew() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        database_now = cursor.fetchone()[0]
    if isinstance(database_now, str):
        database_now = dt.datetime.fromisoformat(database_now).replace(tzinfo=dt.UTC)
    skew = abs((clock.now() - database_now).total_seconds())
    if skew > settings.PONLEU_CLOCK_MAX_SKEW_SECONDS:
        return Result(
            "clock",
            False,
            f"this server and the database disagree by {skew:.0f} s: check time synchronisation",
        )
    return Result("clock", True, f"agrees with the database within {skew:.1f} s")


def tls() -> Result:
    url = settings.PONLEU_PUBLIC_URL
    if not url:
        if settings.PRODUCTION:
            return Result("tls", False, "PONLEU_PUBLIC_URL is not set, so the certificate cannot be checked")
        return Result("tls", True, "not checked (no PONLEU_PUBLIC_URL, not production)")
    parts = urlsplit(url)
    if parts.scheme != "https":
        return Result("tls", False, f"PONLEU_PUBLIC_URL is {url}: users must reach Ponleu by https://")
    context = ssl.create_default_context(cafile=settings.PONLEU_TLS_CA_FILE or None)
    try:
        with (
            socket.create_connection((parts.hostname, parts.port or 443), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as sock,
        ):
            certificate = sock.getpeercert()
    except (OSError, ssl.SSLError) as exc:
        return Result("tls", False, f"{url} does not answer with a valid certificate: {exc}")
    expires = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(certificate["notAfter"]), tz=dt.UTC)
    issued = dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(certificate["notBefore"]), tz=dt.UTC)
    left = expires - clock.now()
    # A proxy renews with a third of the lifetime left (90-day public certificates at 30 days,
    # a local authority's 12-hour ones at 4 hours): less than that, or 14 days, means it is not.
    threshold = min(dt.timedelta(days=14), (expires - issued) / 3)
    hours = left.total_seconds() / 3600
    when = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.1f} hours"
    if left < threshold:
        return Result("tls", False, f"the certificate of {url} expires in {when}: is the proxy renewing it?")
    return Result("tls", True, f"{url} has a valid certificate for {when} more")


def deployment() -> Result:
    if settings.DEBUG:
        return Result("settings", False, "DEBUG is on: set PONLEU_DEBUG=false")
    messages = [
        m
        for m in django_checks.run_checks(include_deployment_checks=True)
        if m.level >= django_checks.WARNING
    ]
    if messages:
        return Result("settings", False, "; ".join(f"{m.id}: {m.msg}" for m in messages[:3]))
    mode = settings.MODE
    if mode != "production":
        return Result("settings", not settings.PRODUCTION, f"debug off, check --deploy clean, mode {mode}")
    return Result("settings", True, "debug off, check --deploy clean, production mode")


def audit() -> Result:
    try:
        recorded = anchors.latest()
    except anchors.AnchorFileError as exc:
        return Result("audit", False, str(exc))
    parts = []
    for model in (AuditEvent, AccessEvent):
        report = chain.verify(model)
        if report.problem is not None:
            return Result(
                "audit", False, f"the audit trail is broken: {report.problem} (docs/operations/audit.md)"
            )
        anchor = recorded.get(report.table)
        if anchor is not None:
            problem = anchors.check(model, anchor)
            if problem is not None:
                return Result("audit", False, f"the audit trail does not match its anchor: {problem}")
        parts.append(f"{report.table} {report.rows} rows")
    anchored = "anchored" if recorded else "no anchor yet: run `ponleu audit anchor`"
    return Result("audit", True, f"chains intact ({', '.join(parts)}), {anchored}")


def run_all(*, wait_seconds: float, open_newest_backup: bool) -> list[Result]:
    reached = database()
    if not reached.ok:
        return [reached]
    steps: list[Callable[[], Result]] = [
        migrations,
        lambda: worker(wait_seconds),
        keys,
        lambda: backup(open_newest=open_newest_backup),
        disk,
        clock_skew,
        tls,
        deployment,
        audit,
    ]
    return [reached, *(step() for step in steps)]
