from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ponleu.geography import services


class Command(BaseCommand):
    help = "Cambodia's administrative units: `ponleu gazetteer load` (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load or refresh the vendored NCDD gazetteer.")
        load.add_argument("--file", help="A CSV in the same format (default: the vendored copy).")

    def handle(self, *args, action, **options):
        if action == "load":
            path = options.get("file")
            try:
                result = services.gazetteer_load(Path(path)) if path else services.gazetteer_load()
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"could not load the gazetteer: {exc}") from None
            c = result.counts
            self.stdout.write(
                f"gazetteer: {c['province']} provinces, {c['district']} districts, "
                f"{c['commune']} communes, {c['village']} villages "
                f"({result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
                f"{result.retired} retired)"
            )
