"""The application role's privileges (docs/operations/database-roles.md), run by the owner."""

from __future__ import annotations

from django.db import connection
from psycopg import sql

AUDIT_TABLES = ("audit_auditevent", "audit_accessevent", "audit_accesseventtarget")


def grant_to(role: str) -> None:
    """Read and write on every table and sequence; on the audit tables only SELECT and INSERT."""
    name = sql.Identifier(role)
    audit = sql.SQL(", ").join(sql.Identifier(t) for t in AUDIT_TABLES)
    statements = [
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(audit, name),
    ]
    with connection.cursor() as cursor:
        raw = cursor.connection
        for statement in statements:
            cursor.execute(statement.as_string(raw))
