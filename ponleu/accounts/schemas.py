from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


def _device(context):
    return getattr(context["request"], "device_token", None)


class MeOut(Schema):
    """Who the API sees (an ``Actor``): lets a device check its token and what it may do."""

    username: str
    organisation_id: uuid.UUID | None
    role: str | None
    capabilities: list[str]
    via: str  # "session" or "device-token"
    token_prefix: str | None = None
    token_expires_at: dt.datetime | None = None

    @staticmethod
    def resolve_capabilities(actor) -> list[str]:
        return sorted(actor.capabilities)

    @staticmethod
    def resolve_via(actor, context) -> str:
        return "device-token" if _device(context) is not None else "session"

    @staticmethod
    def resolve_token_prefix(actor, context) -> str | None:
        device = _device(context)
        return device.prefix if device is not None else None

    @staticmethod
    def resolve_token_expires_at(actor, context) -> dt.datetime | None:
        device = _device(context)
        return device.expires_at if device is not None else None
