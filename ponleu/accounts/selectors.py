"""Reads for the accounts app: a user's own device tokens and browser sessions, token and
reset-link lookup, the members a user manager looks after."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.access.scopes import Scope
from ponleu.common import clock
from ponleu.organisations.models import Membership

from .models import TOKEN_PREFIX, DeviceToken, PasswordResetToken, UserSession, token_digest

TOKEN_MAX_LENGTH = 100
# A token that still works this long after it was issued is one to check: nothing else ends a
# token its device keeps using, and a phone that changed hands keeps syncing.
TOKEN_REVIEW_DAYS = 90


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


def managed_members(actor):
    """Active members of the actor's organisation, for someone who manages its users."""
    if actor.organisation_id is None or actor.scope_for("users.manage") < Scope.ORG:
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def members_with_second_factor(actor, *, to_set_up: bool = False):
    """``managed_members`` marked with whether each has set up a phone (``to_set_up``: only
    those who have not, whose first login still waits)."""
    members = managed_members(actor).annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True))
    )
    return members.filter(has_second_factor=False) if to_set_up else members


def organisation_tokens(actor, *, old: bool = False):
    """The device tokens that still work in the actor's organisation, for whoever manages its
    users (a lost phone is revoked here), oldest first; ``old``: only those issued more than
    ``TOKEN_REVIEW_DAYS`` ago."""
    if actor.organisation_id is None or actor.scope_for("users.manage") < Scope.ORG:
        return DeviceToken.objects.none()
    now = clock.now()
    tokens = DeviceToken.objects.filter(
        membership__organisation_id=actor.organisation_id,
        membership__is_active=True,
        user__is_active=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        session_generation=F("user__session_generation"),
    )
    if old:
        tokens = tokens.filter(created_at__lt=now - dt.timedelta(days=TOKEN_REVIEW_DAYS))
    return tokens.select_related("user", "membership").order_by("created_at", "pk")


RESET_TOKEN_MAX_LENGTH = 100
# A token that still works this long after it was issued is one to check: nothing else ends a
# token its device keeps using, and a phone that changed hands keeps syncing.
TOKEN_REVIEW_DAYS = 90


def reset_digest(plaintext: str) -> str | None:
    """The hash a reset link is stored under, or None for something that cannot be one."""
    if not plaintext or len(plaintext) > RESET_TOKEN_MAX_LENGTH:
        return None
    return token_digest(plaintext)


def usable_reset(digest: str | None) -> PasswordResetToken | None:
    """The reset link with this hash, while it works (unused, unexpired, its user active)."""
    if not digest:
        return None
    return (
        PasswordResetToken.objects.select_related("user")
        .filter(token_hash=digest, used_at__isnull=True, expires_at__gt=clock.now(), user__is_active=True)
        .first()
    )
