"""``ponleu accounts prune``: delete login attempts the throttle no longer reads (run daily).

The throttle looks back one day (its daily limits and its longest lockout), so rows older than
that only fill the table; ``--keep-days`` keeps them longer for review, never shorter.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ponleu.access.actors import system_actor
from ponleu.accounts import services, throttle


class Command(BaseCommand):
    help = "Account chores. `prune` deletes login attempts and lockouts older than the throttle reads."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        prune = sub.add_parser("prune", help="delete login attempts older than the throttle looks back")
        prune.add_argument(
            "--keep-days",
            type=float,
            default=None,
            help="keep attempts this many days for review (at least the throttle's own window)",
        )

    def handle(self, *args, action: str, **options):
        if action != "prune":  # argparse already refuses others; kept for clarity
            raise CommandError(f"unknown action {action!r}")
        keep = None
        if options["keep_days"] is not None:
            keep = dt.timedelta(days=options["keep_days"])
            if keep < throttle.retention():
                raise CommandError(
                    f"--keep-days must be at least {throttle.retention() / dt.timedelta(days=1):g}:"
                    " the throttle reads that far back"
                )
        pruned = services.login_records_prune(actor=system_actor(name="accounts prune"), keep=keep)
        self.stdout.write(
            f"deleted {pruned.attempts} login attempt(s), {pruned.address_lockouts} address lockout(s)"
            f" and {pruned.reset_links} reset link(s) from before {pruned.before.isoformat()}"
        )
