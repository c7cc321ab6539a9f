from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.demo import world


class Command(BaseCommand):
    help = (
        "The synthetic demo world: build it (on an empty database, never in production), print its "
        "logins, print a demo account's current TOTP code."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="build", choices=["build", "logins", "code"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("--seed", type=int, default=world.DEFAULT_SEED)
        parser.add_argument("--people-per-org", type=int, default=None)

    def handle(self, *args, action, username, seed, people_per_org, **options):
        try:
            if action == "build":
                existed = world.world_exists()
                built = world.world_build(seed=seed, people_per_org=people_per_org)
                self.stdout.write(
                    f"demo world {'already present' if existed else 'built'} (seed {built.seed})"
                )
            elif action == "logins":
                self._logins()
            else:
                self._code(username)
        except RuntimeError as exc:  # world.Refused, or the gazetteer not loaded yet
            raise CommandError(str(exc)) from None

    def _logins(self):
        rows = world.logins()
        header = ("organisation", "role", "username", "password")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())

    def _code(self, username):
        if not username:
            raise CommandError("usage: ponleu demo code USERNAME")
        user = world.demo_account(username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(
                f"the demo account {username!r} has no phone yet: it enrols one at its first login"
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
