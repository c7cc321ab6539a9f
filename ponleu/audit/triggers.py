"""Database triggers that make the audit tables append-only, on PostgreSQL and SQLite.

On PostgreSQL, deployments also REVOKE UPDATE, DELETE and TRUNCATE from the runtime role
(docs/operations/database-roles.md); the trigger holds even for the owner.

Tests that flush the database (``transactional_db``, ``live_server``) cannot empty these
tables: the ``audit_flushable`` fixture (conftest.py, applied to them automatically) removes
the triggers just before the flush; the flush's post_migrate signal installs them again
(ponleu/audit/apps.py), as every ``migrate`` does.
"""

from __future__ import annotations

# The index of "which read touched which record" is append-only too: deleting from it would
# hide a read from the "who has seen this child" page. ``ponleu audit verify`` checks it
# against the chained rows.
APPEND_ONLY_TABLES = ("audit_auditevent", "audit_accessevent", "audit_accesseventtarget")
MESSAGE = "audit tables are append-only"


def create_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"""
            CREATE OR REPLACE FUNCTION ponleu_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END
            $$ LANGUAGE plpgsql;
            """
        ]
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION ponleu_audit_append_only();",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION ponleu_audit_append_only();",
            ]
        return statements
    statements = []
    for table in tables:
        for event in ("UPDATE", "DELETE"):
            name = f"{table}_no_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name};",
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
            ]
    return statements


def drop_sql(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        statements = []
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            ]
        return statements
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{event};" for table in tables for event in ("update", "delete")
    ]


def install(connection, tables=APPEND_ONLY_TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in create_sql(connection.vendor, tables):
            cursor.execute(statement)


def remove(connection, tables=APPEND_ONLY_TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, tables):
            cursor.execute(statement)
