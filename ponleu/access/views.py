"""Deny-by-default building blocks for views.

Every view declares the capability it needs (or ``public = True``); a class that does
neither cannot even be defined, and ``tests/security/test_routes.py`` walks the URL conf to
make sure no route slipped around these bases.

A view may also declare the least ``scope`` it needs that capability at (default: any).
The organisation-wide audit trail, for example, needs ``audit.view`` across the whole
organisation; a supervisor who holds it for their areas uses the per-record pages instead.
The authorization matrix reads both declarations, with the policy table, as its oracle.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponseForbidden
from django.views import View

from .capabilities import CAPABILITIES
from .scopes import Scope

NOT_FOUND_MESSAGE = "Not found"


def _check_capability(name: str | None, public: bool, where: str) -> None:
    if public and name:
        raise ImproperlyConfigured(f"{where} is public and also declares capability {name!r}")
    if not public and not name:
        raise ImproperlyConfigured(f"{where} declares no capability (set `capability` or `public = True`)")
    if name and name not in CAPABILITIES:
        raise ImproperlyConfigured(f"{where} declares unknown capability {name!r}")


def enforce(request, capability: str | None, scope: Scope = Scope.OWN):
    """None when the request may proceed, otherwise the response refusing it."""
    if capability is None:
        return None
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if actor.scope_for(capability) >= scope:
        return None
    if not actor.is_verified and CAPABILITIES[capability].touches_person_data:
        # Password given, second factor not yet: back to the login steps, not a dead end.
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden()


class AppView(View):
    capability: str | None = None
    scope: Scope = Scope.OWN  # the least reach of ``capability`` this view needs
    public: bool = False
    # True for a page about an optional part of a record (a photo) that answers 404 when the
    # record has none: the authorization matrix then accepts a 404 where the policy allows.
    may_be_empty: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract", False):
            _check_capability(cls.capability, cls.public, cls.__qualname__)

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.ponleu_capability = cls.capability
        view.ponleu_scope = cls.scope
        view.ponleu_public = cls.public
        view.ponleu_may_be_empty = cls.may_be_empty
        return view

    def dispatch(self, request, *args, **kwargs):
        self.actor = request.actor
        refusal = enforce(request, self.capability, self.scope)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)


AppView.abstract = True


def requires(capability: str, scope: Scope = Scope.OWN):
    """Decorator for function views: the capability, checked before the view runs."""
    _check_capability(capability, False, f"view requiring {capability!r}")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = enforce(request, capability, scope)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        wrapped.ponleu_capability = capability
        wrapped.ponleu_scope = scope
        wrapped.ponleu_public = False
        return wrapped

    return decorate


def public(view):
    """Mark a function view as reachable without logging in (login page, health check)."""
    view.ponleu_capability = None
    view.ponleu_public = True
    return view


def get_visible_or_404(queryset, **lookup):
    """Forbidden, missing and malformed look the same: a 404 with the same body."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(NOT_FOUND_MESSAGE) from None
