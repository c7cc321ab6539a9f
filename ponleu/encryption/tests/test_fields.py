import logging
import uuid

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext, isolate_apps

from ponleu.encryption.crypto import DecryptionError, field_aad, open_text, seal_text
from ponleu.encryption.fields import EncryptedTextField, Sealed, encrypted_field_names

TABLE = "encryption_test_canarynote"


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title, body, summary FROM {TABLE} ORDER BY id")  # noqa: S608 - constant
        return cursor.fetchall()


def raw_database_bytes() -> bytes:
    """Everything the database holds for the test table, as stored."""
    if connection.vendor == "sqlite":
        # The whole database image (tests use an in-memory SQLite): pages, free space, indexes.
        return connection.connection.serialize()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {TABLE} t")  # noqa: S608 - constant
        return "\n".join(row[0] for row in cursor.fetchall()).encode()


def set_raw(pk, column, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {column} = %s WHERE id = %s",  # noqa: S608 - test constants
            [value, pk.hex if connection.vendor == "sqlite" else pk],
        )


def test_canary_never_reaches_the_database_or_the_sql_log(note_model, canary, caplog):
    control = canary.replace("CANARY", "CONTROL")  # a plain column, to prove the scans can see text
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with CaptureQueriesContext(connection) as queries:
        note = note_model.objects.create(title=control, body=f"note {canary}", summary=canary)
    stored = raw_database_bytes()
    assert control.encode() in stored
    assert canary.encode() not in stored
    for _, _, body, summary in raw_rows():
        assert canary not in body + summary
        assert body.startswith("pe1:test1:")
        assert summary.startswith("pe1:test1:")
    logged = "\n".join(q["sql"] for q in queries.captured_queries) + caplog.text
    assert control in logged
    assert canary not in logged
    assert canary not in repr(note) + repr(note_model.objects.get(pk=note.pk).__dict__)


def test_values_round_trip_and_decrypt_only_when_read(note_model, canary):
    note = note_model.objects.create(body=f"ខ្ញុំ {canary}", summary=None)
    loaded = note_model.objects.get(pk=note.pk)
    assert isinstance(loaded.__dict__["body"], Sealed)
    assert loaded.body == f"ខ្ញុំ {canary}"
    assert loaded.summary is None
    assert note_model.objects.filter(summary__isnull=True).count() == 1


def test_saving_an_unread_value_keeps_its_ciphertext(note_model):
    note = note_model.objects.create(body="first")
    before = raw_rows()[0][2]
    loaded = note_model.objects.get(pk=note.pk)
    loaded.title = "renamed"
    loaded.save()
    assert raw_rows()[0][2] == before
    loaded.body = "second"
    loaded.save()
    assert raw_rows()[0][2] != before
    assert note_model.objects.get(pk=note.pk).body == "second"


def test_bulk_create_with_uuid_keys(note_model, canary):
    note_model.objects.bulk_create([note_model(body=f"{canary}-{i}") for i in range(3)])
    assert sorted(n.body for n in note_model.objects.all()) == [f"{canary}-{i}" for i in range(3)]
    assert all(canary not in row[2] for row in raw_rows())


def test_a_copy_under_a_new_primary_key_is_sealed_for_its_new_row(note_model):
    original = note_model.objects.create(body="copied")
    copy = note_model.objects.get(pk=original.pk)
    copy.pk = uuid.uuid4()
    copy._state.adding = True
    copy.save()
    assert note_model.objects.get(pk=copy.pk).body == "copied"
    assert note_model.objects.get(pk=original.pk).body == "copied"


def test_proxy_models_and_deferred_loading(note_model, note_models):
    note = note_model.objects.create(body="via proxy")
    proxy = note_models[1].objects.get(pk=note.pk)
    proxy.pk = uuid.uuid4()
    proxy._state.adding = True
    proxy.save()
    assert note_model.objects.get(pk=proxy.pk).body == "via proxy"
    assert note_model.objects.only("title").get(pk=note.pk).body == "via proxy"


def test_the_empty_string_is_stored_as_such(note_model):
    note_model.objects.create(body="")
    assert raw_rows()[0][2] == ""
    assert note_model.objects.get().body == ""
    assert note_model.objects.filter(body="").count() == 1


def test_a_value_moved_to_another_row_or_column_does_not_open(note_model):
    first = note_model.objects.create(body="first body", summary="first summary")
    second = note_model.objects.create(body="second body")
    rows = {row[0]: row for row in raw_rows()}
    first_body = rows[first.pk.hex if connection.vendor == "sqlite" else first.pk][2]
    set_raw(second.pk, "body", first_body)
    with pytest.raises(DecryptionError):
        _ = note_model.objects.get(pk=second.pk).body
    set_raw(first.pk, "summary", first_body)
    with pytest.raises(DecryptionError):
        _ = note_model.objects.get(pk=first.pk).summary
    assert note_model.objects.get(pk=first.pk).body == "first body"


def test_tampered_ciphertext_does_not_open(note_model):
    note = note_model.objects.create(body="untouched")
    envelope = raw_rows()[0][2]
    position = len(envelope) - 5
    flipped = envelope[:position] + ("A" if envelope[position] != "A" else "B") + envelope[position + 1 :]
    set_raw(note.pk, "body", flipped)
    with pytest.raises(DecryptionError):
        _ = note_model.objects.get(pk=note.pk).body


def test_wrong_associated_data_and_unknown_keys_raise():
    aad = field_aad("t", "c", "1")
    envelope = seal_text("secret", aad=aad)
    assert open_text(envelope, aad=aad) == "secret"
    for wrong in (field_aad("t", "c", "2"), field_aad("t", "d", "1"), field_aad("u", "c", "1")):
        with pytest.raises(DecryptionError):
            open_text(envelope, aad=wrong)
    with pytest.raises(DecryptionError, match="not in the key ring"):
        open_text(envelope.replace("pe1:test1:", "pe1:other:"), aad=aad)
    with pytest.raises(DecryptionError, match="envelope"):
        open_text("secret in clear", aad=aad)


def test_queries_that_would_write_or_compare_plaintext_are_refused(note_model):
    note_model.objects.create(body="x")
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        note_model.objects.update(body="plaintext")
    with pytest.raises(TypeError, match="encrypted"):
        list(note_model.objects.filter(body="x"))
    with pytest.raises(FieldError):
        list(note_model.objects.filter(body__icontains="x"))
    note = note_model.objects.get()
    note.body = "y"
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        note_model.objects.bulk_update([note], ["body"])
    assert note_model.objects.get().body == "x"


def test_secret_field_names_for_audit_diffs(note_model):
    assert encrypted_field_names(note_model) == ["body", "summary"]


@isolate_apps("ponleu.encryption")
def test_checks_require_a_primary_key_known_before_insert():
    class Sequential(models.Model):
        body = EncryptedTextField(unique=True)

        class Meta:
            app_label = "encryption"

    ids = {error.id for error in Sequential._meta.get_field("body").check()}
    assert ids == {"encryption.E001", "encryption.E002"}
