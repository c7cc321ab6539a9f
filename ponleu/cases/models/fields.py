"""The field types of what may name a victim, a perpetrator or a danger: encrypted at rest.

Every such column in this app is declared with these two, so that the choice of storage is
made once, here. Encrypted text cannot be searched or filtered (only ``isnull``), so nothing
a list needs to filter on is declared this way.
"""

from __future__ import annotations

from django.db import models

from ponleu.encryption.fields import EncryptedTextField
from ponleu.encryption.storage import encrypted_storage

ProtectedTextField = EncryptedTextField


class ProtectedFileField(models.FileField):
    """Attachments: sealed with AES-GCM on save, random stored names, no URL (served by a view)."""

    def __init__(self, *args, **kwargs):
        kwargs["storage"] = encrypted_storage
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("storage", None)
        return name, path, args, kwargs
