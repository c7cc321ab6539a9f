"""Attach the request's Actor: the user's active membership, resolved once per request."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .actors import ANONYMOUS, actor_for_membership

SESSION_MEMBERSHIP_KEY = "ponleu_membership_id"


def actor_for_request(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    verified = bool(getattr(user, "is_verified", lambda: False)())
    memberships = user.memberships.filter(is_active=True, organisation__is_active=True)
    wanted = request.session.get(SESSION_MEMBERSHIP_KEY)
    membership = None
    if wanted:
        membership = memberships.filter(pk=wanted).select_related("user").first()
    if membership is None:
        membership = memberships.select_related("user").order_by("created_at").first()
    if membership is None:
        return ANONYMOUS
    return actor_for_membership(membership, is_verified=verified)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for_request(request))
        return self.get_response(request)
