from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Serve Ponleu with waitress (a production WSGI server; put TLS in front of it)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        connection.ensure_connection()
        pending = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
        if pending:
            raise CommandError(
                f"{len(pending)} database migrations are not applied: run `ponleu migrate` first."
            )
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        self.stdout.write(f"Ponleu serving on http://{host}:{port}/ (mode: {settings.MODE})", ending="\n")
        self.stdout.flush()
        serve(
            get_wsgi_application(),
            host=host,
            port=port,
            threads=threads,
            ident="ponleu",
            # Waitress would strip X-Forwarded-For before Ponleu sees it. With trusted proxies
            # configured, Ponleu decides itself (ForwardingHeadersMiddleware drops the headers
            # of any other peer); without, waitress strips them as before.
            clear_untrusted_proxy_headers=not settings.PONLEU_TRUSTED_PROXIES,
        )
