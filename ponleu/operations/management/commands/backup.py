"""``ponleu backup``: write a sealed backup, keep the retention, copy it to a second place.

    ponleu backup              back up now, delete what retention no longer keeps, copy
    ponleu backup verify [F]   unseal and check a backup (the newest by default) without restoring
    ponleu backup list         the backups present, newest first

A failed backup exits 1, is recorded for ``ponleu doctor`` and alerts the administrators.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ponleu.operations import backups
from ponleu.operations.alerts import alert_administrators
from ponleu.operations.archive import BackupRefused


class Command(BaseCommand):
    help = "Back up the database and the file store into one sealed file (docs/operations/backups.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        verify = sub.add_parser("verify", help="unseal a backup and check every checksum, restoring nothing")
        verify.add_argument("file", nargs="?", help="the backup (default: the newest)")
        sub.add_parser("list", help="the backups present, newest first")

    def handle(self, *args, action=None, **options):
        if action == "list":
            for backup in backups.listed():
                self.stdout.write(f"{backup.path}  {backup.path.stat().st_size} bytes")
            return
        if action == "verify":
            self._verify(options.get("file"))
            return
        self._take()

    def _verify(self, file: str | None) -> None:
        if file is None:
            found = backups.listed()
            if not found:
                raise CommandError(f"there is no backup in {backups.backup_dir()}", returncode=1)
            path = found[0].path
        else:
            path = Path(file)
        try:
            manifest = backups.check_restorable(path)
        except BackupRefused as exc:
            raise CommandError(str(exc), returncode=1) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"{path}: intact; taken {manifest['taken_at']}, {manifest['engine']}, "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files"
        )

    def _take(self) -> None:
        try:
            path = backups.take()
            copied = ""
            if settings.PONLEU_BACKUP_COPY_TO:
                copied = backups.copy_elsewhere(path, settings.PONLEU_BACKUP_COPY_TO)
        except (BackupRefused, OSError) as exc:
            backups.write_status(ok=False, message=str(exc))
            alert_administrators(lambda: _("The nightly backup failed. Run `ponleu doctor` on the server."))
            raise CommandError(f"backup failed: {exc}", returncode=1) from None
        deleted = backups.prune()
        backups.write_status(ok=True, message="", path=path)
        self.stdout.write(f"backup written: {path} ({path.stat().st_size} bytes)")
        if copied:
            self.stdout.write(f"copied to: {copied}")
        for old in deleted:
            self.stdout.write(f"deleted by retention: {old.name}")
