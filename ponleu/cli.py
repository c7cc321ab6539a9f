"""The `ponleu` command: Django's manage.py with operator-friendly names and errors.

    ponleu serve                 serve the application (waitress) on 127.0.0.1:8000
    ponleu worker                run background tasks (django-tasks database worker)
    ponleu gazetteer load        load Cambodia's administrative units
    ponleu demo [logins|code U]  build the demo world, print its logins, print a TOTP code
    ponleu audit verify          recompute the audit hash chains, check the last anchor
    ponleu audit anchor          record the chains' length and newest hash outside the database
    ponleu accounts prune        delete login attempts the throttle no longer reads (daily)
    ponleu <django command>      anything manage.py offers (migrate, createsuperuser, ...)

Configuration problems are reported in one line with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}
EXIT_CONFIG = 2
EXIT_DATABASE = 3


def _fail(message: str, code: int) -> int:
    print(f"ponleu: {message}", file=sys.stderr)
    return code


def _database_problem(exc: Exception) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = (
        db.get("NAME")
        if "sqlite" in db["ENGINE"]
        else f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    )
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return f"cannot use the database at {where}: {first_line}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    args = argv[1:]
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]

    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        return _fail(f"configuration error: {exc}", EXIT_CONFIG)

    from django.core.management import execute_from_command_line
    from django.db import DatabaseError, InterfaceError

    try:
        execute_from_command_line(["ponleu", *args])
    except ImproperlyConfigured as exc:
        return _fail(f"configuration error: {exc}", EXIT_CONFIG)
    except (DatabaseError, InterfaceError) as exc:
        from django.db import OperationalError

        if isinstance(exc, OperationalError | InterfaceError):
            return _fail(_database_problem(exc), EXIT_DATABASE)
        raise
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
