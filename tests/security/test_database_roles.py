"""The application role of docs/operations/database-roles.md cannot change the audit trail.

The grants are read from the document itself, so the page an administrator follows is the
one under test. Everything happens inside the test's transaction: the role, its grants and
the dropped triggers are rolled back with it.
"""

import re
import secrets
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from ponleu.audit import chain, services, triggers
from ponleu.audit.models import AccessEvent, AuditEvent, ChainHead

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations" / "database-roles.md"
AUDIT_TABLES = ("audit_auditevent", "audit_accessevent", "audit_accesseventtarget")


def documented_grants() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- the grants:[^>]*-->\s*```sql\n(.*?)```", text, re.S)
    assert found, "the grants block is missing from docs/operations/database-roles.md"
    return found.group(1)


@pytest.fixture
def app_role(world):
    """A role made as the document says, and the connection switched to it."""
    if connection.vendor != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's; SQLite relies on its triggers")
    services.record(actor=world.actor("dpo"), action="test.before.role")
    services.record_access(
        actor=world.actor("dpo"), action="test.before.role", target_type="registry.person", target_ids=["p1"]
    )
    role = f"ponleu_app_test_{secrets.token_hex(4)}"
    grants = documented_grants().replace("ponleu_app", role)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(grants)
        cursor.execute(f"SET ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql: str) -> str:
    """The database's refusal of ``sql``, or fail if it was allowed."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return str(error)
    pytest.fail(f"the application role was allowed: {sql}")


def test_the_application_role_adds_and_reads_audit_rows(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    event = services.record(actor=_system(), action="test.as.app.role", changes={"x": [1, 2]})
    services.record_access(
        actor=_system(), action="test.as.app.role", target_type="registry.person", target_ids=["p2", "p3"]
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert ChainHead.objects.get(name="auditevent").last_id == event.pk
    assert chain.verify(AuditEvent).intact
    assert chain.verify(AccessEvent).intact


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_update_delete_truncate_are_refused_by_privilege_alone(app_role, table):
    # Drop the triggers (as the owner) so that only the REVOKE stands between the role and the rows.
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role}")
    for sql in (
        f"UPDATE {table} SET id = id",  # noqa: S608 - fixed table names
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table} CASCADE",
    ):
        assert "permission denied" in _refused(sql)
    assert AuditEvent.objects.exists()


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_triggers_cannot_be_switched_off(app_role, table):
    for sql in (
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_change",
        f"DROP TRIGGER {table}_no_change ON {table}",
        f"DROP TABLE {table} CASCADE",
    ):
        assert "must be owner" in _refused(sql)
    assert "permission denied" in _refused("SET session_replication_role = replica")


def test_the_chain_head_moves_forward_but_the_rows_stay(app_role):
    before = AuditEvent.objects.count()
    services.record(actor=_system(), action="test.as.app.role")
    assert AuditEvent.objects.count() == before + 1
    assert "permission denied" in _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == before + 1


def _system():
    from ponleu.access.actors import system_actor

    return system_actor(None)
