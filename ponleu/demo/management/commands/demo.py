from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.demo import world


class Command(BaseCommand):
    help = "The synthetic demo world: build it, print its logins, print a user's current TOTP code."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="build", choices=["build", "logins", "code"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("--seed", type=int, default=world.DEFAULT_SEED)
        parser.add_argument("--people-per-org", type=int, default=None)

    def handle(self, *args, action, username, seed, people_per_org, **options):
        if action == "build":
            existed = world.world_exists()
            try:
                built = world.world_build(seed=seed, people_per_org=people_per_org)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"demo world {'already present' if existed else 'built'} (seed {built.seed})")
        elif action == "logins":
            self._logins()
        else:
            self._code(username)

    def _logins(self):
        rows = world.logins()
        if not rows:
            raise CommandError("no demo world here: run `ponleu demo` first")
        header = ("organisation", "role", "username", "password")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())

    def _code(self, username):
        if settings.PRODUCTION or not world.world_exists():
            raise CommandError(f"refused: the database {connection.settings_dict['NAME']} is not the demo's")
        if not username:
            raise CommandError("usage: ponleu demo code USERNAME")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"no demo user {username!r}")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
