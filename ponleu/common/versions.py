"""The one optimistic-locking check: a writer names the version it read, and a stale one loses."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, ValidationFailed


class VersionMissing(ValidationFailed):
    """No version, or one that is not a number: the client must say what it read (HTTP 428)."""

    default_message = _("The record's version is missing; reload the page.")


def claim_version(obj, expected_version) -> None:
    """Take ``obj`` for this write, or refuse if someone wrote since ``expected_version``.

    The conditional UPDATE is atomic on SQLite and PostgreSQL alike: of two writers holding the
    same version, exactly one moves it on and the other gets a Conflict, with or without a row
    lock. Call it inside the service's transaction, so a refused write rolls the claim back too.
    ``obj.version`` is the new version afterwards; saving it again writes the same value.
    """
    if expected_version is None or expected_version == "":
        raise VersionMissing(field="version")
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise VersionMissing(field="version") from None
    model = type(obj)
    if not model._default_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1):
        raise Conflict()
    obj.version = expected + 1
