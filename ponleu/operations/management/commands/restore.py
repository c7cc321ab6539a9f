"""``ponleu restore FILE``: restore a backup into this server's empty database and file store.

The server must be new: the database holds no table (create it, do not migrate) and the file
store (MEDIA_ROOT) holds no file. The restore checks every table's row count and checksum and
every file against the backup's manifest, then recomputes the audit chains.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ponleu.audit import chain
from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.operations import backups
from ponleu.operations.archive import BackupRefused


class Command(BaseCommand):
    help = "Restore a backup into an empty database and file store, and check it row by row."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (ponleu-YYYYMMDD-HHMMSSZ.backup)")

    def handle(self, *args, file: str, **options):
        connections.close_all()
        try:
            manifest = backups.restore(
                Path(file),
                database=connections["default"].settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupRefused as exc:
            raise CommandError(f"restore refused: {exc}", returncode=1) from None
        connections.close_all()
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"restored the backup of {manifest['taken_at']}: {len(manifest['tables'])} tables and {rows} rows "
            f"match their checksums, {len(manifest['files'])} files match"
        )
        broken = []
        for model in (AuditEvent, AccessEvent):
            report = chain.verify(model)
            if report.problem is None:
                self.stdout.write(
                    f"{report.table}: {report.rows} rows, chain intact; newest hash {report.last_hash or '-'}"
                )
            else:
                broken.append(str(report.problem))
        if broken:
            raise CommandError("restored, but the audit chain is broken: " + "; ".join(broken), returncode=1)
        self.stdout.write(
            "next: run the grants of docs/operations/database-roles.md, start the services, "
            "then `ponleu doctor`; record the restore in the operations log"
        )
