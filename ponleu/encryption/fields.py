"""A text field that is plaintext in Python and AES-GCM ciphertext in the database.

    from ponleu.encryption.fields import EncryptedTextField

    class CaseNote(VersionedModel):
        body = EncryptedTextField()

Reading ``note.body`` decrypts on first access; assigning sets plaintext; ``save()`` and
``bulk_create()`` encrypt, bound to (table, column, primary key). The model's primary key must exist
before the insert (``UUIDModel``'s default), which a system check enforces.

What the field refuses, because it could not keep the promise:

- lookups other than ``isnull`` (ciphertext has a random nonce; search needs a separate scoped index);
- ``QuerySet.update()`` and ``bulk_update()`` with plaintext (no row to bind the value to): load the
  objects and ``save()`` them;
- ``loaddata`` of these columns; and ``dumpdata`` writes them in plaintext, so it is no backup format.

``values()`` and ``values_list()`` return :class:`Sealed` objects (no row to decrypt them for). The empty
string is stored as the empty string (its ciphertext would show its length, zero, anyway).
"""

from __future__ import annotations

from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import class_prepared, post_init

from .crypto import field_aad, open_text, seal_text, text_key_id


class Sealed:
    """A ciphertext as read from the database, with the place (row) it was read from.

    It never holds plaintext, and its repr names only the key id, so a stray log line shows nothing.
    """

    __slots__ = ("aad", "envelope")

    def __init__(self, envelope: str, aad: bytes | None = None):
        self.envelope = envelope
        self.aad = aad

    def __repr__(self) -> str:
        try:
            return f"<Sealed by key {text_key_id(self.envelope)}>"
        except Exception:  # noqa: BLE001 - a repr must never fail
            return "<Sealed>"


class Envelope(str):
    """Ciphertext produced by this package for a known place: the only value written to the column."""

    __slots__ = ()


class EncryptedTextDescriptor(DeferredAttribute):
    """Decrypts on first read; a data descriptor, so every read of the attribute passes through it."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = open_text(value.envelope, aad=value.aad or self.field.aad_for(instance))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest (AES-256-GCM)"
    descriptor_class = EncryptedTextDescriptor

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            post_init.connect(self._bind_loaded, sender=cls)

    # -- place -----------------------------------------------------------------------------------

    def aad_for(self, instance) -> bytes:
        """(table, column, primary key) of this field's value on ``instance``.

        ``self.model`` is the model whose table holds the column (a parent, under multi-table
        inheritance), so the key is read from that model's primary key.
        """
        meta = self.model._meta
        pk = getattr(instance, meta.pk.attname)
        if pk is None:
            raise ValueError(
                f"{meta.label}.{self.name} is encrypted with its row's primary key, which is not set yet; "
                "use a primary key with a default (UUIDModel)."
            )
        return self.aad_for_pk(pk)

    def aad_for_pk(self, pk) -> bytes:
        meta = self.model._meta
        return field_aad(meta.db_table, self.column, meta.pk.to_python(pk))

    def _bind_loaded(self, sender, instance, **kwargs):
        # Remember which row a loaded ciphertext belongs to, so that a copy saved under a new primary
        # key is re-encrypted for its new place rather than carrying a value that no longer opens.
        value = instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) and value.aad is None:
            value.aad = self.aad_for(instance)

    # -- database round trip ---------------------------------------------------------------------

    def from_db_value(self, value, expression, connection):
        # The empty string is stored as such: its ciphertext would reveal its length (zero) anyway, and
        # it lets a blank column be added to a table that already has rows.
        if value is None or value == "":
            return value
        return Sealed(value)

    def pre_save(self, model_instance, add):
        if self.attname in model_instance.__dict__:
            value = model_instance.__dict__[self.attname]
        else:
            value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        aad = self.aad_for(model_instance)
        if isinstance(value, Sealed):
            if value.aad == aad:
                return Envelope(value.envelope)
            value = open_text(value.envelope, aad=value.aad or aad)
        return Envelope(seal_text(self.to_python(value), aad=aad))

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Envelope):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted: it is written only by save() or "
            "bulk_create(), and cannot be compared or updated in a query."
        )

    # -- what the field refuses ------------------------------------------------------------------

    def get_lookup(self, lookup_name):
        # "exact" stays for Envelope comparisons (rotation); plaintext values raise in get_prep_value.
        if lookup_name not in ("isnull", "exact"):
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if pk is not None and not pk.has_default() and not getattr(pk.remote_field, "parent_link", False):
            errors.append(
                checks.Error(
                    "An encrypted field needs a primary key that exists before the row is inserted.",
                    hint="Derive the model from ponleu.common.models.UUIDModel.",
                    obj=self,
                    id="encryption.E001",
                )
            )
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key (its ciphertext is random).",
                    obj=self,
                    id="encryption.E002",
                )
            )
        return errors


def encrypted_fields(model) -> list[EncryptedTextField]:
    """The encrypted fields whose column lives in ``model``'s own table."""
    return [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedTextField)]


def encrypted_field_names(model) -> list[str]:
    """Names to pass as ``secret_fields`` to audit diffs, so plaintext never enters the audit log."""
    return [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


def _bind_proxies(sender, **kwargs):
    # post_init is sent with the proxy class as sender, so proxies of models with encrypted fields
    # need the same binding as their concrete model.
    if sender._meta.proxy:
        for field in sender._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                post_init.connect(field._bind_loaded, sender=sender)


class_prepared.connect(_bind_proxies)
