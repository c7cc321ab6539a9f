"""Password rules beyond Django's defaults: a much longer list of common passwords."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


class CommonPasswordValidator:
    """Rejects any password found, case-insensitively, in the shipped list."""

    def validate(self, password: str, user=None) -> None:
        if password.lower().strip() in common_passwords():
            raise ValidationError(_("This password is too common."), code="password_too_common")

    def get_help_text(self) -> str:
        return _("Your password can’t be a commonly used password.")
