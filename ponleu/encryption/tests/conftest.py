"""A test-only model with encrypted fields, registered for these tests and created in their transaction.

No app uses the field yet, and a test model must not reach the real app's migrations, so the model is
defined here at session start, removed from the app registry at the end, and its table is created inside
each test's transaction (rolled back with it).
"""

from __future__ import annotations

import secrets

import pytest
from django.apps import apps
from django.db import connection, models

from ponleu.common.models import UUIDModel
from ponleu.encryption.fields import EncryptedTextField
from ponleu.encryption.storage import encrypted_storage

TEST_KEY = "test1:dGVzdC1rZXktZm9yLXBvbmxldS10ZXN0cy0xMjM0NTY="


@pytest.fixture(scope="session")
def note_models():
    class CanaryNote(UUIDModel):
        title = models.CharField(max_length=100, default="")
        body = EncryptedTextField()
        summary = EncryptedTextField(null=True, blank=True)
        attachment = models.FileField(storage=encrypted_storage, upload_to="attachments/", blank=True)

        class Meta:
            app_label = "encryption"
            db_table = "encryption_test_canarynote"

    class CanaryNoteProxy(CanaryNote):
        class Meta:
            app_label = "encryption"
            proxy = True

    yield CanaryNote, CanaryNoteProxy
    for model in (CanaryNote, CanaryNoteProxy):
        apps.all_models["encryption"].pop(model._meta.model_name, None)
    apps.clear_cache()


@pytest.fixture
def note_model(db, note_models, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PONLEU_ENCRYPTION_KEYS = TEST_KEY
    model = note_models[0]
    sql, params = connection.schema_editor().table_sql(model)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return model


@pytest.fixture
def canary():
    return f"CANARY-{secrets.token_hex(12)}"
