"""The audit trail: append-only on both engines, hash-chained, verified, and failing closed."""

import base64
import hashlib
import importlib
import io
import json
import random
import uuid
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from ponleu.access.actors import system_actor
from ponleu.audit import chain, services, triggers
from ponleu.audit.models import AccessEvent, AccessEventTarget, AuditEvent, ChainHead
from ponleu.common import clock
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
    AuditEvent: [
        "occurred_at",
        "actor_user_id",
        "actor_username",
        "organisation_id",
        "action",
        "reason",
        "request_id",
        "channel",
        "ip",
        "key_id",
        "target_type",
        "target_id",
        "changes",
        "prev_hash",
        "hash",
    ],
    AccessEvent: [
        "occurred_at",
        "actor_user_id",
        "actor_username",
        "organisation_id",
        "action",
        "reason",
        "request_id",
        "channel",
        "ip",
        "key_id",
        "target_type",
        "target_ids",
        "query",
        "allowed",
        "break_glass",
        "prev_hash",
        "hash",
    ],
}
MUTATIONS = 1000


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


def unkeyed_link(prev_hash, model_name, row):
    """What a forger without the key can compute: the chain's own rule, minus the key."""
    return hashlib.sha256(
        f"{model_name}\n{prev_hash}\n{chain.canonical(model_name, row)}".encode()
    ).hexdigest()


def _relink_from(model, first_id, link):
    """Rewrite every hash from ``first_id`` on with ``link``, and point the head at the end."""
    name = model._meta.model_name
    before = model.objects.filter(pk__lt=first_id).order_by("-id").values_list("hash", flat=True).first()
    prev = before or chain.GENESIS
    for row in model.objects.filter(pk__gte=first_id).order_by("id").values():
        row["prev_hash"] = prev
        row["hash"] = link(prev, name, row)
        model.objects.filter(pk=row["id"]).update(prev_hash=row["prev_hash"], hash=row["hash"])
        prev = row["hash"]
    last = model.objects.order_by("-id").first()
    ChainHead.objects.filter(name=name).update(last_id=last.pk, last_hash=last.hash)


def _mutate(rng):
    """Apply one random single-row mutation; return (model verified, expected table, expected row)."""
    kind = rng.choice(["field", "field", "field", "delete", "append", "target", "forge", "head"])
    model = rng.choice([AuditEvent, AccessEvent])
    rows = list(model.objects.order_by("id").values_list("id", flat=True))
    table = model._meta.db_table
    if kind == "field":
        row = model.objects.get(pk=rng.choice(rows))
        name = rng.choice(CONTENT[model])
        model.objects.filter(pk=row.pk).update(**{name: _other(getattr(row, name), name)})
        return model, table, row.pk
    if kind == "forge":
        # Change one row's content and recompute the chain after it without the key.
        row = model.objects.get(pk=rng.choice(rows))
        name = rng.choice([n for n in CONTENT[model] if n not in ("prev_hash", "hash", "key_id")])
        model.objects.filter(pk=row.pk).update(**{name: _other(getattr(row, name), name)})
        _relink_from(model, row.pk, unkeyed_link)
        return model, table, row.pk
    if kind == "head":
        # Point the head at an earlier row, as if the newest rows had never been written.
        earlier = model.objects.get(pk=rng.choice(rows[:-1]))
        ChainHead.objects.filter(name=model._meta.model_name).update(
            last_id=earlier.pk, last_hash=earlier.hash
        )
        return model, table, rows[-1]
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
        forged.update(id=last.pk + 1, prev_hash=last.hash)
        forged["hash"] = unkeyed_link(last.hash, model._meta.model_name, forged)
        model.objects.bulk_create([model(**forged)])
        ChainHead.objects.filter(name=model._meta.model_name).update(
            last_id=last.pk + 1, last_hash=forged["hash"]
        )
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
    extra = AccessEventTarget.objects.create(
        event_id=target.event_id, target_type=target.target_type, target_id=str(uuid.uuid4())
    )
    return AccessEvent, "audit_accesseventtarget", extra.pk


def test_every_single_row_mutation_is_caught_and_named(world, capsys):
    """Security goal D: the verifier catches 100 % of 1,000 random single-row mutations,
    including rows re-chained without the key and a chain head pointed at an older row."""
    _fill(world, 100)
    assert chain.verify(AuditEvent).intact
    assert chain.verify(AccessEvent).intact
    rng = random.Random(20261121)
    caught = named = 0
    for _ in range(MUTATIONS):
        sid = transaction.savepoint()
        triggers.remove(connection)  # undone with the savepoint: DDL is transactional on both engines
        model, table, row = _mutate(rng)
        problem = chain.verify(model).problem
        if problem is not None:
            caught += 1
            named += (problem.table, problem.row_id) == (table, row)
        transaction.savepoint_rollback(sid)
    with capsys.disabled():
        print(f"\naudit chain: {MUTATIONS} single-row mutations, {caught} caught, {named} named")  # noqa: T201
    assert (caught, named) == (MUTATIONS, MUTATIONS)
    assert _attempt("DELETE FROM audit_auditevent") is not None  # the triggers came back
    assert chain.verify(AuditEvent).intact


def test_removing_the_newest_row_is_caught_by_the_head(world):
    _fill(world, 5)
    last = AuditEvent.objects.order_by("-id").first()
    with transaction.atomic():
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        problem = chain.verify(AuditEvent).problem
        transaction.set_rollback(True)
    assert (problem.table, problem.row_id) == ("audit_auditevent", last.pk)
    assert "newest row is missing" in problem.problem
    assert ChainHead.objects.get(name="auditevent").last_id == last.pk


# --- the key ---------------------------------------------------------------------------------


def _wipe():
    """Delete every audit row and both chain heads (call inside a transaction to roll back)."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        for table in ("audit_accesseventtarget", "audit_accessevent", "audit_auditevent", "audit_chainhead"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def _rebuild(rows, name, link, seal):
    """Write ``rows`` (dicts) as a fresh chain with ``link`` and a head sealed with ``seal``."""
    model = {"auditevent": AuditEvent, "accessevent": AccessEvent}[name]
    prev = chain.GENESIS
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = link(prev, name, row)
        model.objects.bulk_create([model(**row)])
        prev = row["hash"]
    last = rows[-1]
    ChainHead.objects.create(
        name=name, last_id=last["id"], last_hash=last["hash"], key_id=last["key_id"], mac=seal(name, last)
    )


def test_a_chain_forged_without_the_key_is_caught(world):
    """Wipe the trail and write a doctored history, chained and headed by the rule minus the key."""
    _fill(world, 10)
    rows = list(AuditEvent.objects.order_by("id").values())
    rows[3]["reason"] = "routine check"  # the doctored entry
    with transaction.atomic():
        _wipe()

        def unkeyed_seal(name, last):
            return hashlib.sha256(f"head\n{name}\n{last['id']}\n{last['hash']}".encode()).hexdigest()

        _rebuild([dict(row) for row in rows], "auditevent", unkeyed_link, unkeyed_seal)
        problem = chain.verify(AuditEvent).problem
        transaction.set_rollback(True)
    assert (problem.table, problem.row_id) == ("audit_auditevent", rows[0]["id"])
    assert "does not match its hash" in problem.problem


def test_a_chain_forged_with_a_guessed_key_of_the_same_id_is_caught(world, settings):
    _fill(world, 10)
    rows = list(AuditEvent.objects.order_by("id").values())
    key_id = rows[0]["key_id"]
    real = settings.PONLEU_ENCRYPTION_KEYS
    with transaction.atomic():
        _wipe()
        settings.PONLEU_ENCRYPTION_KEYS = f"{key_id}:{base64.b64encode(b'g' * 32).decode()}"
        _rebuild(
            [dict(row) for row in rows],
            "auditevent",
            chain.link,
            lambda name, last: chain.head_mac(name, last["id"], last["hash"], last["key_id"]),
        )
        assert chain.verify(AuditEvent).intact  # under the guessed key it is a perfect chain
        settings.PONLEU_ENCRYPTION_KEYS = real
        problem = chain.verify(AuditEvent).problem
        transaction.set_rollback(True)
    assert (problem.table, problem.row_id) == ("audit_auditevent", rows[0]["id"])


def test_a_head_pointed_at_an_older_row_is_caught_by_its_seal(world):
    _fill(world, 6)
    rows = list(AuditEvent.objects.order_by("id"))
    with transaction.atomic():
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [rows[3].pk])
        ChainHead.objects.filter(name="auditevent").update(last_id=rows[3].pk, last_hash=rows[3].hash)
        problem = chain.verify(AuditEvent).problem
        transaction.set_rollback(True)
    assert (problem.table, problem.row_id) == ("audit_auditevent", rows[3].pk)
    assert "chain head was rewritten" in problem.problem


def test_rows_sealed_before_a_key_rotation_still_verify(world, settings):
    _fill(world, 3)
    old = settings.PONLEU_ENCRYPTION_KEYS
    old_id = old.split(":")[0]
    settings.PONLEU_ENCRYPTION_KEYS = f"k2027:{base64.b64encode(b'n' * 32).decode()},{old}"
    services.record(actor=world.actor("dpo"), action="test.after.rotation")
    report = chain.verify(AuditEvent)
    assert report.intact
    assert report.key_ids == (old_id, "k2027")
    assert AuditEvent.objects.order_by("-id").first().key_id == "k2027"
    settings.PONLEU_ENCRYPTION_KEYS = f"k2027:{base64.b64encode(b'n' * 32).decode()}"
    problem = chain.verify(AuditEvent).problem
    first = AuditEvent.objects.order_by("id").first()
    assert (problem.table, problem.row_id) == ("audit_auditevent", first.pk)
    assert f"names the key {old_id!r}, which is not in the key ring" in problem.problem


# --- the external anchor ---------------------------------------------------------------------


@pytest.fixture
def anchor_file(settings, tmp_path):
    settings.PONLEU_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"
    return settings.PONLEU_AUDIT_ANCHOR_FILE


def _verify_fails():
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", stdout=io.StringIO())
    assert failed.value.returncode == 1
    return str(failed.value)


def test_verify_prints_each_chains_count_and_newest_hash(world, anchor_file, capsys):
    _fill(world, 4)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    head = ChainHead.objects.get(name="auditevent")
    assert f"audit_auditevent: 4 rows, chain intact; newest row {head.last_id}, hash {head.last_hash}" in out
    assert "no anchor recorded" in out


def test_wiping_every_row_and_the_head_is_caught_against_the_anchor(world, anchor_file, capsys):
    _fill(world, 8)
    call_command("audit", "anchor")
    out = capsys.readouterr().out
    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 2
    anchored = json.loads(lines[0])
    assert anchored["table"] == "audit_auditevent"
    assert anchored["rows"] == 8
    assert anchored["last_hash"] == ChainHead.objects.get(name="auditevent").last_hash
    assert f"anchored: {lines[0]}" in out
    with transaction.atomic():
        _wipe()
        assert chain.verify(AuditEvent).intact  # an empty trail, like a new installation
        assert chain.verify(AccessEvent).intact
        message = _verify_fails()
        transaction.set_rollback(True)
    assert f"audit_auditevent row {anchored['last_id']}: is missing" in message
    assert "the trail holds 0 rows where 8 were anchored" in message
    call_command("audit", "verify", stdout=io.StringIO())  # the rollback restored the trail


def test_history_rewritten_with_the_key_is_caught_against_the_anchor(world, anchor_file):
    """Even someone holding the key cannot rewrite what an anchor has pinned."""
    _fill(world, 8)
    call_command("audit", "anchor", stdout=io.StringIO())
    anchored = json.loads(anchor_file.read_text().splitlines()[0])
    victim = AuditEvent.objects.order_by("id")[2]
    with transaction.atomic():
        triggers.remove(connection)
        AuditEvent.objects.filter(pk=victim.pk).update(reason="nothing happened")
        _relink_from(AuditEvent, victim.pk, chain.link)
        last = AuditEvent.objects.order_by("-id").first()
        ChainHead.objects.filter(name="auditevent").update(
            mac=chain.head_mac("auditevent", last.pk, last.hash, last.key_id)
        )
        assert chain.verify(AuditEvent).intact
        message = _verify_fails()
        transaction.set_rollback(True)
    assert f"audit_auditevent row {anchored['last_id']}: does not have the hash" in message


def test_a_chain_cut_short_with_the_key_is_caught_against_the_anchor(world, anchor_file):
    _fill(world, 8)
    call_command("audit", "anchor", stdout=io.StringIO())
    services.record(actor=world.actor("dpo"), action="test.after.anchor")
    rows = list(AuditEvent.objects.order_by("id"))
    with transaction.atomic():
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [rows[4].pk])
        ChainHead.objects.filter(name="auditevent").update(
            last_id=rows[4].pk,
            last_hash=rows[4].hash,
            mac=chain.head_mac("auditevent", rows[4].pk, rows[4].hash, rows[4].key_id),
        )
        assert chain.verify(AuditEvent).intact
        message = _verify_fails()
        transaction.set_rollback(True)
    assert "the trail holds 5 rows where 8 were anchored" in message
    call_command("audit", "verify", stdout=io.StringIO())  # 9 rows now, the anchored 8 among them


def test_a_broken_chain_is_never_anchored(world, anchor_file):
    _fill(world, 4)
    victim = AuditEvent.objects.order_by("id")[1]
    with transaction.atomic():
        triggers.remove(connection)
        AuditEvent.objects.filter(pk=victim.pk).update(reason="altered")
        triggers.install(connection)
        with pytest.raises(CommandError) as failed:
            call_command("audit", "anchor", stdout=io.StringIO())
        transaction.set_rollback(True)
    assert f"audit_auditevent row {victim.pk}" in str(failed.value)
    assert not anchor_file.exists()


def test_an_unreadable_anchor_line_is_named(world, anchor_file):
    anchor_file.write_text('{"table": "audit_auditevent"}\n')
    assert f"{anchor_file} line 1 is not an anchor line" in _verify_fails()


def test_anchoring_into_a_missing_directory_fails_clearly(world, settings, tmp_path):
    settings.PONLEU_AUDIT_ANCHOR_FILE = tmp_path / "nowhere" / "anchors.jsonl"
    with pytest.raises(CommandError) as failed:
        call_command("audit", "anchor", stdout=io.StringIO())
    assert "does not exist (set PONLEU_AUDIT_ANCHOR_FILE)" in str(failed.value)


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


# --- upgrading a trail chained before the key ------------------------------------------------

keyed_chain = importlib.import_module("ponleu.audit.migrations.0005_keyed_chain")


def _legacy_trail(world, n):
    """Rows as the unkeyed chain wrote them: SHA-256 of the previous hash and the old content."""
    _wipe()
    actor = world.actor("dpo")
    for name, model in (("auditevent", AuditEvent), ("accessevent", AccessEvent)):
        prev = chain.GENESIS
        for i in range(n):
            row = model(
                id=i + 1,
                occurred_at=clock.now(),
                actor_user_id=actor.user_id,
                actor_username=actor.username,
                organisation_id=actor.organisation_id,
                action=f"test.legacy.{i}",
                reason="typo" if i % 2 else "",
                request_id=f"r{i}",
                channel="web",
                key_id="",
                target_type="registry.person",
                prev_hash=prev,
            )
            if model is AuditEvent:
                row.target_id, row.changes = str(i), {"given_name_latin": [f"A{i}", f"B{i}"]}
            row.hash = keyed_chain._old_link(prev, name, row)
            row.save(force_insert=True)
            prev = row.hash
        ChainHead.objects.create(name=name, last_id=n, last_hash=prev, key_id="", mac="")


class _Editor:
    connection = connection


def test_the_upgrade_seals_an_intact_unkeyed_trail_under_the_key(world):
    with transaction.atomic():
        _legacy_trail(world, 6)
        assert not chain.verify(AuditEvent).intact  # the keyed rule does not accept unkeyed rows
        keyed_chain.reseal(django_apps, _Editor())
        audit_report, access_report = chain.verify(AuditEvent), chain.verify(AccessEvent)
        reasons = list(AuditEvent.objects.order_by("id").values_list("reason", flat=True))
        refused = _attempt("DELETE FROM audit_auditevent")
        transaction.set_rollback(True)
    assert audit_report.intact
    assert access_report.intact
    assert (audit_report.rows, audit_report.key_ids) == (6, ("test1",))
    assert reasons == ["", "typo"] * 3  # content untouched
    assert refused is not None  # the triggers are back


def test_the_upgrade_refuses_to_seal_a_tampered_trail(world):
    with transaction.atomic():
        _legacy_trail(world, 6)
        triggers.remove(connection)
        AuditEvent.objects.filter(pk=4).update(reason="rewritten")
        with pytest.raises(RuntimeError) as refused:
            keyed_chain.reseal(django_apps, _Editor())
        transaction.set_rollback(True)
    assert "audit_auditevent row 4 does not verify under the unkeyed chain" in str(refused.value)
