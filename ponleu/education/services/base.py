"""Helpers shared by the education services: checks, version claims, problem lists."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def claim_version(model, obj, expected_version) -> None:
    """Take ``obj`` for this write, or refuse if someone wrote since ``expected_version``."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("The record's version is missing; reload the page."), field="version"
        ) from None
    if not model.objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1):
        raise Conflict()
    obj.version = expected + 1


class Problems:
    """Collects every problem of one request, then refuses it all at once (nothing stored)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message) -> None:
        self.errors.setdefault(where, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return sum(len(v) for v in self.errors.values())

    def raise_if_any(self, summary=None) -> None:
        if self.errors:
            count = len(self)
            message = summary or ngettext(
                "Nothing was saved: %(count)d problem to fix.",
                "Nothing was saved: %(count)d problems to fix.",
                count,
            ) % {"count": count}
            raise ValidationFailed(message, errors=self.errors)
