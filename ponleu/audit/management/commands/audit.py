"""``ponleu audit verify``: recompute the audit hash chains and name the first broken row.

Exit status 0 when every chain verifies, 1 when one is broken (the message names the table
and the row), so a timer or a monitoring check can run it unattended.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ponleu.audit import chain
from ponleu.audit.models import AccessEvent, AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools. `verify` recomputes the hash chains and names the first broken row."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute both chains; exit 1 naming the first broken row")

    def handle(self, *args, action: str, **options):
        if action != "verify":  # argparse already refuses others; kept for clarity
            raise CommandError(f"unknown action {action!r}")
        broken = []
        for model in (AuditEvent, AccessEvent):
            checked, problem = chain.verify(model)
            table = model._meta.db_table
            if problem is None:
                self.stdout.write(f"{table}: {checked} rows, chain intact")
            else:
                self.stdout.write(f"{table}: BROKEN after {checked} rows")
                broken.append(problem)
        if broken:
            raise CommandError("; ".join(str(problem) for problem in broken), returncode=1)
