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
    return request.actor
