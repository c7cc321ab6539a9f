"""Helpers shared by the education services: checks and problem lists."""

from __future__ import annotations

from django.utils.translation import ngettext

from ponleu.common.errors import PermissionDenied, ValidationFailed


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


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
