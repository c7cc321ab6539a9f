"""``ponleu audit verify`` and ``ponleu audit anchor``: check the audit chains, and pin them outside.

``verify`` recomputes both keyed chains, prints each chain's length, newest row and hash, and
compares them with the newest anchor in ``PONLEU_AUDIT_ANCHOR_FILE``. Exit status 0 when
everything holds, 1 when a chain is broken or shorter than its anchor (the message names the
table and the row), so a timer or a monitoring check can run it unattended.

``anchor`` verifies first and, if the chains are intact, appends their length and newest hash
to the anchor file and prints the lines (copy them into the operations log too). A broken
chain is never anchored.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ponleu.audit import anchors, chain
from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.common import clock

CHAINS = (AuditEvent, AccessEvent)


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` recomputes the keyed hash chains and checks them against the "
        "last recorded anchor; `anchor` records their length and newest hash outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify", help="recompute both chains and check the anchor; exit 1 naming the first break"
        )
        sub.add_parser(
            "anchor", help="verify, then append each chain's length and newest hash to the anchor file"
        )

    def handle(self, *args, action: str, **options):
        try:
            recorded = anchors.latest()
        except anchors.AnchorFileError as exc:
            raise CommandError(str(exc), returncode=1) from None
        broken = []
        reports = []
        for model in CHAINS:
            report = chain.verify(model)
            reports.append(report)
            problem = report.problem
            if problem is None:
                self.stdout.write(
                    f"{report.table}: {report.rows} rows, chain intact; newest row {report.last_id or '-'}, "
                    f"hash {report.last_hash or '-'}, keys {', '.join(report.key_ids) or '-'}"
                )
            else:
                self.stdout.write(f"{report.table}: BROKEN after {report.rows} rows")
                broken.append(problem)
            anchor = recorded.get(report.table)
            if anchor is None:
                continue
            problem = anchors.check(model, anchor)
            if problem is None:
                self.stdout.write(
                    f"{report.table}: matches the anchor of {anchor.recorded_at} "
                    f"({anchor.rows} rows, newest row {anchor.last_id or '-'})"
                )
            else:
                self.stdout.write(f"{report.table}: DOES NOT MATCH the anchor of {anchor.recorded_at}")
                broken.append(problem)
        if not recorded and action == "verify":
            self.stdout.write(
                f"no anchor recorded in {anchors.anchor_path()}: run `ponleu audit anchor` "
                "(a trail wiped together with its head is caught only against an anchor)"
            )
        if broken:
            raise CommandError("; ".join(str(problem) for problem in broken), returncode=1)
        if action == "anchor":
            self._anchor(reports)

    def _anchor(self, reports) -> None:
        try:
            written = anchors.append(reports, recorded_at=clock.now().isoformat())
        except anchors.AnchorFileError as exc:
            raise CommandError(str(exc), returncode=1) from None
        for anchor in written:
            self.stdout.write(f"anchored: {anchor.line()}")
        self.stdout.write(
            f"appended to {anchors.anchor_path()}; copy these lines into the operations log as well"
        )
