"""Ids as requests carry them: a malformed id is a missing record, never an error."""

from __future__ import annotations

import uuid


def parse_uuid(value) -> uuid.UUID | None:
    """The UUID in ``value`` (a UUID, or its text in any case, with or without hyphens), or None."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError, AttributeError):
        return None
