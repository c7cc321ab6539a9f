"""`ponleu openapi`: print the API's OpenAPI schema; `--write` updates the golden file."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ponleu.api.schema_file import GOLDEN, openapi_text


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/v1/; --write stores it as ponleu/api/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="update the golden file")

    def handle(self, *args, write=False, **options):
        text = openapi_text()
        if not write:
            self.stdout.write(text, ending="")
            return
        GOLDEN.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {GOLDEN.relative_to(GOLDEN.parents[2])}")
