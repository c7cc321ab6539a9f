"""``ponleu upgrade``: back up, then migrate; refuse when that would be unsafe.

Run as the owner role, after installing the new code and before restarting the services
(docs/operations/upgrade.md). It refuses, changing nothing, when a background task is
running (stop the worker first: it waits for the task) or when there is no recent,
successful backup to fall back on besides the one it takes. Then it verifies the audit
trail, takes a backup, applies the migrations and, with ``--grant-to ROLE`` on PostgreSQL,
gives the application role its privileges on the new tables.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ponleu.audit import chain
from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.common import clock
from ponleu.operations import backups, grants
from ponleu.operations.archive import BackupRefused


class Command(BaseCommand):
    help = "Back up, then apply the migrations of the installed version (docs/operations/upgrade.md)."

    def add_arguments(self, parser):
        parser.add_argument("--grant-to", metavar="ROLE", help="PostgreSQL: the application role to grant to")

    def handle(self, *args, grant_to: str | None = None, **options):
        running = DBTaskResult.objects.filter(status="RUNNING").count()
        if running:
            raise CommandError(
                f"refused: {running} background task(s) running. Stop the worker first "
                "(`systemctl stop ponleu-worker` waits for the task to end), then run the upgrade again",
                returncode=1,
            )
        self._previous_backup()
        for model in (AuditEvent, AccessEvent):
            report = chain.verify(model)
            if report.problem is not None:
                raise CommandError(
                    f"refused: the audit trail is broken ({report.problem}); see docs/operations/audit.md",
                    returncode=1,
                )
        try:
            path = backups.take()
        except (BackupRefused, OSError) as exc:
            backups.write_status(ok=False, message=str(exc))
            raise CommandError(
                f"refused: the backup before the upgrade failed: {exc}", returncode=1
            ) from None
        backups.write_status(ok=True, message="", path=path)
        self.stdout.write(f"backup before the upgrade: {path}")
        call_command("migrate", interactive=False, stdout=self.stdout, verbosity=1)
        if grant_to:
            if connection.vendor != "postgresql":
                raise CommandError("--grant-to is for PostgreSQL", returncode=1)
            grants.grant_to(grant_to)
            self.stdout.write(f"granted the application role {grant_to} its privileges")
        self.stdout.write(
            "upgraded. Next: start the worker and the web server, run `ponleu doctor`, "
            "`ponleu audit anchor`; to go back, restore the backup above with the previous version"
        )

    def _previous_backup(self) -> None:
        found = backups.listed()
        status = backups.read_status()
        if not found:
            raise CommandError(
                f"refused: there is no previous backup in {backups.backup_dir()}. Run `ponleu backup`, "
                "check it with `ponleu backup verify`, then upgrade",
                returncode=1,
            )
        if status is not None and not status.get("ok"):
            raise CommandError(
                f"refused: the last backup failed ({status.get('message')}); fix it before upgrading",
                returncode=1,
            )
        hours = (clock.now() - found[0].taken_at).total_seconds() / 3600
        if hours > settings.PONLEU_BACKUP_MAX_AGE_HOURS:
            raise CommandError(
                f"refused: the newest backup is {hours:.0f} hours old; the nightly backups are not running",
                returncode=1,
            )
