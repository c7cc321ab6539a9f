"""The database a bench runs on: the one named, or a fresh SQLite file; migrated, gazetteer loaded."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def open_bench_database(database_url: str, sqlite_name: str) -> None:
    """Set Django up on ``database_url`` (or a new ``sqlite_name`` file in the temporary folder),
    migrate it and load the gazetteer if it has no villages yet."""
    path = Path(tempfile.gettempdir()) / sqlite_name
    if not database_url and path.exists():
        path.unlink()
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{path}"
    os.environ.setdefault("PONLEU_MODE", "development")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
    os.environ.setdefault("PONLEU_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    from ponleu.geography.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(level="village").exists():
        call_command("gazetteer", "load", verbosity=0)
