from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


class MeOut(Schema):
    """Who the API sees: lets a device check its token and what it may do."""

    username: str
    organisation_id: uuid.UUID | None
    role: str | None
    capabilities: list[str]
    via: str  # "session" or "device-token"
    token_prefix: str | None = None
    token_expires_at: dt.datetime | None = None
