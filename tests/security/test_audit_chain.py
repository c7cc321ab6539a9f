"""The audit trail: append-only on both engines, hash-chained, verified, and failing closed."""

import random
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from ponleu.access.actors import system_actor
from ponleu.audit import chain, services, triggers
from ponleu.audit.models import AccessEvent, AccessEventTarget, AuditEvent, ChainHead
from ponleu.testing.login import login

pytestmark = pytest.mark.django_db
TABLES = ("audit_auditevent", "audit_accessevent", "audit_accesseventtarget")


def _fill(world, n=150):
    rng = random.Random(7)
    actors = [world.actor(key) for key in ("caseworker_a", "supervisor", "dpo")] + [
        system_actor(world.org.pk)
    ]
    for i in range(n):
        actor = rng.choice(actors)
        services.record(
            actor=actor,
            action="registry.person.updated",
            target=("registry.person", str(uuid.uuid4())),
            changes={"given_name_latin": [f"A{i}", f"B{i}"]},
            reason=rng.choice(["", "typo"]),
        )
        services.record_access(
            actor=actor,
            action="registry.person.viewed",
            target_type="registry.person",
            target_ids=[uuid.uuid4() for _ in range(rng.randint(0, 3))],
            query=rng.choice(["", "q=sok"]),
        )


def _attempt(sql):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return error
    return None


@pytest.mark.parametrize("table", TABLES)
def test_update_and_delete_are_refused_by_the_database(world, table):
    _fill(world, 3)
    assert _attempt(f"UPDATE {table} SET id = id") is not None  # noqa: S608 - fixed table names
    assert _attempt(f"DELETE FROM {table}") is not None  # noqa: S608
    assert AuditEvent.objects.count() == 3
    assert AccessEventTarget.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused_on_postgresql(world, table):
    _fill(world, 3)
    assert _attempt(f"TRUNCATE {table} CASCADE") is not None
    assert AuditEvent.objects.count() == 3


def test_verify_command_passes_an_intact_trail(world, capsys):
    _fill(world, 20)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit_auditevent: 20 rows, chain intact" in out
    assert "audit_accessevent: 20 rows, chain intact" in out


def test_verify_command_fails_naming_table_and_row(world):
    _fill(world, 20)
    victim = AuditEvent.objects.order_by("id")[7]
    with transaction.atomic():
        triggers.remove(connection)
        AuditEvent.objects.filter(pk=victim.pk).update(reason="nothing to see")
        triggers.install(connection)
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    assert f"audit_auditevent row {victim.pk}" in str(failed.value)


# --- mutation test ---------------------------------------------------------------------------

CONTENT = {
    AuditEvent: ["occurred_at", "actor_user_id", "actor_username", "organisation_id", "action", "reason",
                 "request_id", "channel", "ip", "target_type", "target_id", "changes", "prev_hash", "hash"],
    AccessEvent: ["occurred_at", "actor_user_id", "actor_username", "organisation_id", "action", "reason",
                  "request_id", "channel", "ip", "target_type", "target_ids", "query", "allowed", "break_glass",
                  "prev_hash", "hash"],
}  # fmt: skip


def _other(value, name):
    if name == "occurred_at":
        return value + timedelta(seconds=1)
    if name in ("actor_user_id", "organisation_id"):
        return uuid.uuid4()
    if name == "ip":
        return "10.9.8.7" if value != "10.9.8.7" else "10.9.8.6"
    if name in ("allowed", "break_glass"):
        return not value
    if name == "changes":
        return {**value, "tampered": [None, 1]}
    if name == "target_ids":
        return [*value, str(uuid.uuid4())]
    if name in ("prev_hash", "hash"):
        return ("f" if value[0] != "f" else "e") + value[1:]
    return (value or "") + "x"


def _mutate(rng):
    """Apply one random single-row mutation; return (model verified, expected table, expected row)."""
    kind = rng.choice(["field", "field", "field", "delete", "append", "target"])
    model = rng.choice([AuditEvent, AccessEvent])
    rows = list(model.objects.order_by("id").values_list("id", flat=True))
    table = model._meta.db_table
    if kind == "field":
        row = model.objects.get(pk=rng.choice(rows))
        name = rng.choice(CONTENT[model])
        model.objects.filter(pk=row.pk).update(**{name: _other(getattr(row, name), name)})
        return model, table, row.pk
    if kind == "delete":
        if model is AccessEvent:
            rows = [pk for pk in rows if not AccessEventTarget.objects.filter(event_id=pk).exists()]
        index = rng.randrange(len(rows))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [rows[index]])  # noqa: S608
        after = [pk for pk in model.objects.order_by("id").values_list("id", flat=True) if pk > rows[index]]
        # The next row no longer follows; if the newest went, the head names it.
        return model, table, after[0] if after else rows[index]
    if kind == "append":
        last = model.objects.order_by("-id").first()
        forged = model.objects.filter(pk=last.pk).values()[0]
        forged.update(id=last.pk + 1, prev_hash=last.hash, hash="0" * 63 + "1")
        forged["hash"] = chain.link(last.hash, model._meta.model_name, forged)  # a "correct" link
        model.objects.bulk_create([model(**forged)])
        return model, table, last.pk + 1
    target = AccessEventTarget.objects.get(
        pk=rng.choice(list(AccessEventTarget.objects.values_list("pk", flat=True)))
    )
    action = rng.choice(["delete", "alter", "insert"])
    if action == "delete":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accesseventtarget WHERE id = %s", [target.pk])
        return AccessEvent, "audit_accessevent", target.event_id
    if action == "alter":
        AccessEventTarget.objects.filter(pk=target.pk).update(target_id=str(uuid.uuid4()))
        return AccessEvent, "audit_accesseventtarget", target.pk
    extra = AccessEventTarget.objects.create(event_id=target.event_id, target_type=target.target_type,
                                             target_id=str(uuid.uuid4()))  # fmt: skip
    return AccessEvent, "audit_accesseventtarget", extra.pk


def test_every_single_row_mutation_is_caught_and_named(world):
    _fill(world)
    assert chain.verify(AuditEvent)[1] is None
    assert chain.verify(AccessEvent)[1] is None
    rng = random.Random(20261121)
    mutations = 400
    caught = named = 0
    for _ in range(mutations):
        sid = transaction.savepoint()
        triggers.remove(connection)  # undone with the savepoint: DDL is transactional on both engines
        model, table, row = _mutate(rng)
        _checked, problem = chain.verify(model)
        if problem is not None:
            caught += 1
            named += (problem.table, problem.row_id) == (table, row)
        transaction.savepoint_rollback(sid)
    assert (caught, named) == (mutations, mutations)
    assert _attempt("DELETE FROM audit_auditevent") is not None  # the triggers came back
    assert chain.verify(AuditEvent)[1] is None


def test_removing_the_newest_row_is_caught_by_the_head(world):
    _fill(world, 5)
    last = AuditEvent.objects.order_by("-id").first()
    with transaction.atomic():
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        _checked, problem = chain.verify(AuditEvent)
        transaction.set_rollback(True)
    assert (problem.table, problem.row_id) == ("audit_auditevent", last.pk)
    assert "newest row is missing" in problem.problem
    assert ChainHead.objects.get(name="auditevent").last_id == last.pk


# --- fail closed -----------------------------------------------------------------------------


def test_when_the_audit_write_fails_no_person_data_is_served(world, person):
    child = person(village="02010101", given="Chenda")
    client = Client(raise_request_exception=False)
    login(client, world.user("dpo"))
    url = reverse("audit:person_access", kwargs={"person_id": child.pk})
    assert "Chenda" in client.get(url).content.decode()
    before = AccessEvent.objects.count()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chain, "link", _broken)
        response = client.get(url)
    assert response.status_code == 500
    assert "Chenda" not in response.content.decode()
    assert AccessEvent.objects.count() == before


def _broken(*args, **kwargs):
    raise DatabaseError("audit storage unavailable")


def test_fail_closed_across_every_read_route(world, person):
    """Every GET of the URL conf, with audit writes failing: no name reaches any response."""
    from ponleu.testing.permissions import object_kwargs, routes
    from ponleu.testing.scopes import PARAMETERS

    child = person(village="02010101", given="Kanitha", owner=world.user("caseworker_a"), team=world.team_a)
    values = {**PARAMETERS, "person_id": child.pk}
    clients = {}
    for key in ("caseworker_a", "supervisor", "dpo"):
        clients[key] = Client(raise_request_exception=False)
        login(clients[key], world.user(key))
    served = 0
    for rm in routes():
        if rm.method != "get" or rm.kind != "view" or not set(object_kwargs(rm)) <= set(values):
            continue
        url = reverse(rm.name, kwargs={k: values[k] for k in rm.kwargs} or None)
        for client in clients.values():
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(chain, "link", _broken)
                body = client.get(url).content.decode("utf-8", "replace")
            assert "Kanitha" not in body, f"{rm.id} served a name while the audit trail was down"
            served += 1
    assert served > 10


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_flush_the_audit_tables(world):
    services.record(actor=world.actor("dpo"), action="test.flush.checked")
    assert _attempt("DELETE FROM audit_auditevent") is not None  # triggers are in place meanwhile


def test_a_transactional_db_test_flushes_without_asking(transactional_db, world):
    services.record_access(
        actor=world.actor("dpo"), action="test.flush.checked", target_type="registry.person", target_ids=["x"]
    )
    assert _attempt("DELETE FROM audit_accesseventtarget") is not None
