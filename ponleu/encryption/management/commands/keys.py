"""`ponleu keys generate` prints a new key entry; `ponleu keys rotate` re-encrypts under the first key.

Rotation procedure (docs/operations/encryption.md): generate a key, put it FIRST in
PONLEU_ENCRYPTION_KEYS keeping the old ones after it, restart, run `ponleu keys rotate`, and remove an
old key only once rotation reports no failures and `ponleu audit verify` no longer lists it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ponleu.encryption.keyring import keyring, new_key_line
from ponleu.encryption.rotation import RotationBusy, rotate_all


class Command(BaseCommand):
    help = "Encryption keys: generate a new key entry, or rotate every encrypted value and file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{generate,rotate}")
        generate = actions.add_parser("generate", help="print a new id:base64key entry")
        generate.add_argument("--id", dest="key_id", help="the key id (default: k<date>-<random>)")
        rotate = actions.add_parser("rotate", help="re-encrypt every value and file under the first key")
        rotate.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        rotate.add_argument("--dry-run", action="store_true", help="count what would be re-encrypted")

    def handle(self, *args, action, **options):
        if action == "generate":
            self._generate(options.get("key_id"))
        else:
            self._rotate(options["batch_size"], options["dry_run"])

    def _generate(self, key_id):
        try:
            line = new_key_line(key_id)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(line)
        self.stderr.write(
            "Put it first in PONLEU_ENCRYPTION_KEYS (keep the old keys after it), restart, "
            "then run `ponleu keys rotate`. Back it up before use: data sealed with a lost key is gone."
        )

    def _rotate(self, batch_size, dry_run):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        ring = keyring()
        self.stdout.write(f"first key: {ring.primary.id}; keys that decrypt: {', '.join(ring.ids)}")
        failures = []
        totals = {"scanned": 0, "rotated": 0}
        try:
            for tally in rotate_all(batch_size=batch_size, dry_run=dry_run):
                self.stdout.write(tally.line(dry_run=dry_run))
                totals["scanned"] += tally.scanned
                totals["rotated"] += tally.rotated
                failures += [f"{tally.label} {item}" for item in tally.failed]
        except RotationBusy as exc:
            raise CommandError(str(exc)) from None
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(
            f"total: {totals['scanned']} scanned, {totals['rotated']} {verb}, {len(failures)} failed"
        )
        if failures:
            for failure in failures[:50]:
                self.stderr.write(f"cannot decrypt: {failure}")
            raise CommandError(
                f"{len(failures)} values or files cannot be decrypted with the configured keys; keep every old key"
            )
        if not dry_run:
            self.stdout.write(
                f"everything is sealed with {ring.primary.id}; the other keys may now be removed, "
                "except those `ponleu audit verify` lists (they verify the audit trail)"
            )
