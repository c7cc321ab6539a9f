"""Deny-by-default for API operations: each declares the capability it needs.

    @router.get("/people", auth=api_auth, response=...)
    @capability("registry.view")
    def person_list(request, ...):
        actor = request.actor

The route-inventory test walks every operation of the API and fails on one that has neither
a declared capability nor ``public``.
"""

from __future__ import annotations

from functools import wraps

from ninja.errors import HttpError

from .views import _check_capability


def capability(name: str):
    _check_capability(name, False, f"API operation requiring {name!r}")

    def decorate(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            actor = getattr(request, "actor", None)
            # A password alone never reaches an operation: the actor must have passed the
            # second factor (browser session) or hold a device token issued after it.
            if actor is None or not actor.is_authenticated or not actor.is_verified:
                raise HttpError(401, "Authentication required")
            if not actor.can(name):
                raise HttpError(403, "Not allowed")
            return func(request, *args, **kwargs)

        wrapped.ponleu_capability = name
        wrapped.ponleu_public = False
        return wrapped

    return decorate


def public(func):
    func.ponleu_capability = None
    func.ponleu_public = True
    return func
