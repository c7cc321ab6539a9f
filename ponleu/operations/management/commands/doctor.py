"""``ponleu doctor``: is this server healthy? One line per check, in plain words.

    OK    database    reachable (postgresql psycopg)
    FAIL  worker      no worker took a test task within 30 s ...: is the worker running? ...

Exit 0 when every check passes, 1 otherwise. ``--alert`` (from a timer every few minutes)
also tells the administrators in the application when the worker has stopped, a backup
failed or is missing, or the disk is filling.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ponleu.operations import checks
from ponleu.operations.alerts import alert_administrators

ALERTS = {
    "worker": lambda: _("The background worker has stopped: imports, exports and scoring are waiting."),
    "backup": lambda: _("The backups are failing or out of date. Run `ponleu doctor` on the server."),
    "disk": lambda: _("The server's disk is nearly full. Make room before backups and uploads fail."),
}


class Command(BaseCommand):
    help = (
        "Check the database, migrations, worker, keys, backups, disk, clock, TLS, settings and audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=float, default=30, help="seconds to wait for the worker (30)")
        parser.add_argument("--quick", action="store_true", help="do not unseal the newest backup")
        parser.add_argument("--alert", action="store_true", help="alert the administrators in the app")

    def handle(self, *args, wait: float, quick: bool, alert: bool, **options):
        results = checks.run_all(wait_seconds=wait, open_newest_backup=not quick)
        for result in results:
            self.stdout.write(f"{'OK  ' if result.ok else 'FAIL'}  {result.name:<11} {result.message}")
        failed = [r for r in results if not r.ok]
        if alert:
            for kind in sorted({r.alert for r in failed if r.alert}):
                alert_administrators(ALERTS[kind])
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(results)} checks failed: {', '.join(r.name for r in failed)}",
                returncode=1,
            )
        self.stdout.write(f"all {len(results)} checks passed")
