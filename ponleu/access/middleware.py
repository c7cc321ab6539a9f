"""Attach the request's Actor: the user's active membership, resolved once per request and
kept in the session until something it was built from changes (``actor_cache``)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from . import actor_cache
from .actors import ANONYMOUS, actor_for_membership

SESSION_MEMBERSHIP_KEY = "ponleu_membership_id"


def _build(user, *, wanted, verified: bool):
    memberships = user.memberships.filter(is_active=True, organisation__is_active=True).select_related(
        "user", "organisation"
    )
    membership = None
    if wanted:
        membership = memberships.filter(pk=wanted).first()
    if membership is None:
        membership = memberships.order_by("created_at").first()
    if membership is None:
        return ANONYMOUS
    return actor_for_membership(membership, is_verified=verified)


def actor_for_request(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    verified = bool(getattr(user, "is_verified", lambda: False)())
    session = request.session
    wanted = session.get(SESSION_MEMBERSHIP_KEY)
    actor = actor_cache.recall(session, user=user, wanted=wanted, is_verified=verified)
    if actor is None:
        actor = _build(user, wanted=wanted, verified=verified)
        actor_cache.remember(session, actor, user=user, wanted=wanted)
    return actor


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for_request(request))
        return self.get_response(request)
