"""Authentication for the REST API: a device token, or the browser session (verified, live).

    @router.get("/people", auth=api_auth)
    @capability("registry.view")
    def person_list(request): ...

Either way ``request.actor`` is the acting Actor. A device token acts with the capabilities
of the member's role that the token also lists (the intersection), so a phone that only
takes attendance cannot read case notes even when its owner could.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from ponleu.access.actors import actor_for_membership
from ponleu.access.middleware import actor_for_request

from . import selectors, services


class DeviceTokenAuth(HttpBearer):
    """``Authorization: Bearer pnl_…``: a per-device token issued on the devices page."""

    def authenticate(self, request, token):
        device = selectors.token_for_plaintext(token or "")
        if device is None or not device.is_usable():
            return None
        membership = device.membership
        if membership.user_id != device.user_id or not membership.organisation.is_active:
            return None
        actor = actor_for_membership(membership, is_verified=True)
        if not actor.is_authenticated:
            return None  # membership or user no longer active
        allowed = set(device.capabilities)
        actor = dataclasses.replace(
            actor, capabilities={cap: scope for cap, scope in actor.capabilities.items() if cap in allowed}
        )
        services.token_used(token=device)
        request.actor = actor
        request.device_token = device
        return actor


class SessionActorAuth(APIKeyCookie):
    """The logged-in, second-factor-verified browser session (CSRF-checked on unsafe methods).

    SessionLifetimeMiddleware has already ended a session past its idle or absolute limit,
    of an old generation, or beyond the concurrent-session cap.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None  # a request that names a credential is judged by that credential alone
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_verified():
            return None
        actor = actor_for_request(request)
        if not actor.is_authenticated or not actor.is_verified:
            return None
        request.actor = actor
        return actor


api_auth = [DeviceTokenAuth(), SessionActorAuth()]
