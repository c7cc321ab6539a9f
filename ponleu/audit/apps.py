from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_triggers(sender, using, **kwargs):
    """Put the append-only triggers (back) after every migrate and every test flush.

    Migration 0002 installs them; this makes a database whose triggers were dropped (to flush
    it in a test, or by hand) get them back the next time migrations or a flush run.
    """
    from django.db import connections

    from . import triggers

    connection = connections[using]
    present = set(connection.introspection.table_names())
    tables = tuple(t for t in triggers.APPEND_ONLY_TABLES if t in present)
    if tables:  # none yet (or any more) when migrating to before the audit tables
        triggers.install(connection, tables)


class AuditConfig(AppConfig):
    name = "ponleu.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A framework hook, not domain logic: it keeps a database object in place.
        post_migrate.connect(_reinstall_triggers, sender=self, dispatch_uid="ponleu.audit.triggers")
