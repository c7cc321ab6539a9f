"""Reads for the accounts app: a user's own device tokens and browser sessions, token lookup."""

from __future__ import annotations

from .models import TOKEN_PREFIX, DeviceToken, UserSession, token_digest

TOKEN_MAX_LENGTH = 100


def tokens_visible_to(actor):
    """The tokens an actor may see on their devices page: their own, nobody else's."""
    if actor.user_id is None:
        return DeviceToken.objects.none()
    return DeviceToken.objects.filter(user_id=actor.user_id).select_related("membership")


def token_for_plaintext(plaintext: str) -> DeviceToken | None:
    """The token with this plaintext, or None. Looked up by hash: the plaintext is never stored."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > TOKEN_MAX_LENGTH:
        return None
    digest = token_digest(plaintext)
    return (
        DeviceToken.objects.select_related(
            "user", "membership", "membership__user", "membership__organisation"
        )
        .filter(token_hash=digest)
        .first()
    )


def open_sessions(user):
    """Browser sessions of this user that have not ended (newest first)."""
    return UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-created_at", "-id")


def browser_session_is_open(*, user, key) -> bool:
    if not key:
        return False
    return UserSession.objects.filter(user=user, key=key, ended_at__isnull=True).exists()
