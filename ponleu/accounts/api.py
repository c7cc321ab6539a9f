"""The accounts API: who the caller is, for devices that sync with a token."""

from __future__ import annotations

from ninja import Router

from ponleu.access.endpoints import capability

from .api_auth import api_auth
from .schemas import MeOut

router = Router(tags=["accounts"])


@router.get("/me", auth=api_auth, response=MeOut, summary="The caller's identity and capabilities")
@capability("web.use")
def me(request):
    actor = request.actor
    device = getattr(request, "device_token", None)
    return {
        "username": actor.username,
        "organisation_id": actor.organisation_id,
        "role": actor.role,
        "capabilities": sorted(actor.capabilities),
        "via": "device-token" if device is not None else "session",
        "token_prefix": device.prefix if device is not None else None,
        "token_expires_at": device.expires_at if device is not None else None,
    }
