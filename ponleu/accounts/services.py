"""Authentication: password step with lockout and per-IP limit, browser sessions, device tokens.

Every outcome a stranger can observe is the same for an unknown user, a wrong password
and a locked account, so the login page reveals nothing about who has an account.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from ponleu.access import policy
from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock

from .choices import AccountAction
from .models import TOKEN_PREFIX, DeviceToken, LoginAttempt, User, UserSession, token_digest

logger = logging.getLogger("ponleu.security")

# A hash to check against when the user does not exist, so every path costs one verification.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = make_password(secrets.token_urlsafe(24))
    return _DUMMY_HASH


def user_actor(user: User) -> Actor:
    return Actor(user_id=user.pk, username=user.username, organisation_id=None, membership_id=None, role=None)


ANON_LOGIN_ACTOR = Actor(user_id=None, username="", organisation_id=None, membership_id=None, role=None)


# --- the password step ------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None
    throttled: bool = False


def ip_is_throttled(ip: str | None) -> bool:
    """True once an address has used its password verifications for the hour or the day.

    Only verifications count (every failed attempt that reached a hasher): refused attempts
    perform none, so a 10,000-guess attack gets at most the hourly and daily allowance.
    """
    if not ip:
        return False
    now = clock.now()
    counts = LoginAttempt.objects.filter(ip=ip, succeeded=False, at__gt=now - dt.timedelta(days=1)).aggregate(
        day=Count("id"), hour=Count("id", filter=Q(at__gt=now - dt.timedelta(hours=1)))
    )
    return (
        counts["hour"] >= settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR
        or counts["day"] >= settings.PONLEU_LOGIN_IP_LIMIT_PER_DAY
    )


def lockout_duration(previous_lockouts: int) -> dt.timedelta:
    """15 minutes for the first lockout, doubling for each one after, up to a day."""
    seconds = settings.PONLEU_LOGIN_LOCKOUT_SECONDS * (2 ** min(previous_lockouts, 20))
    return dt.timedelta(seconds=min(seconds, settings.PONLEU_LOGIN_LOCKOUT_MAX_SECONDS))


def _find_user(username: str) -> User | None:
    username = username.strip()
    if not username:
        return None
    candidates = list(User.objects.select_for_update().filter(username__iexact=username)[:5])
    # Usernames are unique as typed; prefer the exact spelling when two differ only by case.
    exact = [user for user in candidates if user.username == username]
    return (exact or candidates or [None])[0]


def password_check(*, username: str, password: str, ip: str | None) -> PasswordCheck:
    """The first login step. Returns the user only when the password is right and nothing blocks."""
    if ip_is_throttled(ip):
        # No verification and no write (not even a lock): a guessing attack learns nothing
        # and costs one indexed count.
        logger.warning("login refused without verification: address %s is over its limit", ip)
        return PasswordCheck(user=None, throttled=True)
    return _verify(username=username, password=password, ip=ip)


def _lock_address(ip: str | None) -> None:
    """Serialise verifications from one address, so parallel guesses cannot all pass the
    limit check before any of them is counted. SQLite already serialises writers."""
    if ip and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ponleu.login.{ip}"])


@transaction.atomic
def _verify(*, username: str, password: str, ip: str | None) -> PasswordCheck:
    _lock_address(ip)
    if ip_is_throttled(ip):
        return PasswordCheck(user=None, throttled=True)
    user = _find_user(username)
    if user is None:
        check_password(password, _dummy_hash())
        LoginAttempt.objects.create(ip=ip, succeeded=False)
        return PasswordCheck(user=None)
    if user.is_locked() or not user.is_active:
        # Same cost as a real check; attempts during a lockout do not extend it.
        check_password(password, _dummy_hash())
        LoginAttempt.objects.create(ip=ip, username=user.username, succeeded=False)
        return PasswordCheck(user=None)
    if not user.check_password(password):
        LoginAttempt.objects.create(ip=ip, username=user.username, succeeded=False)
        _register_failure(user)
        return PasswordCheck(user=None)
    LoginAttempt.objects.create(ip=ip, username=user.username, succeeded=True)
    if user.failed_logins:
        User.objects.filter(pk=user.pk).update(failed_logins=0)
    return PasswordCheck(user=user)


def _register_failure(user: User) -> None:
    user.refresh_from_db(fields=["failed_logins", "lockouts"])
    failures = user.failed_logins + 1
    actor = user_actor(user)
    if failures >= settings.PONLEU_LOGIN_MAX_FAILURES:
        until = clock.now() + lockout_duration(user.lockouts)
        User.objects.filter(pk=user.pk).update(
            failed_logins=0, lockouts=F("lockouts") + 1, locked_until=until
        )
        audit.record(
            actor=actor,
            action=AccountAction.LOCKED_OUT,
            target=user,
            changes={"locked_until": [None, until.isoformat()]},
        )
    else:
        User.objects.filter(pk=user.pk).update(failed_logins=failures)
        audit.record(actor=actor, action=AccountAction.LOGIN_FAILED, target=user)


@transaction.atomic
def second_factor_failed(*, user: User) -> bool:
    """A wrong code after a right password counts towards the same lockout. True if now locked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _register_failure(user)
    user.refresh_from_db(fields=["locked_until"])
    return user.is_locked()


# --- browser sessions -------------------------------------------------------------------


def session_open(*, user: User, ip: str | None = None, user_agent: str = "") -> UserSession:
    """Start a browser session row, ending the oldest so that at most the allowed number stay open."""
    now = clock.now()
    oldest_alive = now - dt.timedelta(seconds=settings.PONLEU_SESSION_ABSOLUTE_SECONDS)
    open_rows = UserSession.objects.filter(user=user, ended_at__isnull=True)
    open_rows.filter(created_at__lte=oldest_alive).update(ended_at=now)
    keep = settings.PONLEU_MAX_SESSIONS_PER_USER - 1
    surplus = list(
        open_rows.filter(created_at__gt=oldest_alive)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )[keep:]
    if surplus:
        UserSession.objects.filter(pk__in=surplus).update(ended_at=now)
    return UserSession.objects.create(user=user, created_at=now, ip=ip, user_agent=(user_agent or "")[:300])


def session_end(*, key) -> None:
    """End one browser session (expiry): its row stops counting towards the limit."""
    UserSession.objects.filter(key=key, ended_at__isnull=True).update(ended_at=clock.now())


@transaction.atomic
def login_completed(*, user: User, method: str, ip: str | None = None, user_agent: str = "") -> UserSession:
    """Both factors passed: clear the lockout history, open the session row, audit the login."""
    User.objects.select_for_update().filter(pk=user.pk).update(failed_logins=0, lockouts=0, locked_until=None)
    browser = session_open(user=user, ip=ip, user_agent=user_agent)
    audit.record(actor=user_actor(user), action=AccountAction.LOGGED_IN, target=user, reason=method)
    return browser


def _end_everything(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    UserSession.objects.filter(user=user, ended_at__isnull=True).update(ended_at=clock.now())


@transaction.atomic
def sessions_invalidate(*, user: User, action: str = AccountAction.LOGGED_OUT) -> None:
    """End every session and device token of this user at once (logout, deactivation)."""
    _end_everything(user)
    user.refresh_from_db(fields=["session_generation"])
    audit.record(actor=user_actor(user), action=action, target=user)


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User, reason: str = "") -> User:
    User.objects.filter(pk=user.pk).update(is_active=False)
    _end_everything(user)
    user.refresh_from_db()
    audit.record(
        actor=actor,
        action=AccountAction.DEACTIVATED,
        target=user,
        changes={"is_active": [True, False]},
        reason=reason,
    )
    return user


@transaction.atomic
def language_set(*, user: User, language: str) -> None:
    before = user.language
    if before == language:
        return
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    audit.record(
        actor=user_actor(user),
        action=AccountAction.LANGUAGE_CHANGED,
        target=user,
        changes={"language": [before, language]},
    )


# --- device tokens ----------------------------------------------------------------------

TOKEN_SHOWN_CHARS = 12  # "pnl_" and 8 random characters: enough to tell tokens apart
TOKEN_IDLE_LIFETIME = dt.timedelta(hours=72)
# A use refreshes the expiry at most once a minute, so API calls do not all write.
TOKEN_TOUCH_INTERVAL = dt.timedelta(seconds=60)
MAX_ACTIVE_TOKENS = 10
BASIC_CAPABILITY = "web.use"


@dataclass(frozen=True)
class IssuedToken:
    token: DeviceToken
    plaintext: str  # shown once; only its hash is stored


@transaction.atomic
def token_issue(*, actor: Actor, membership, name: str, capabilities) -> IssuedToken:
    """Issue a token for the actor's own membership, limited to ``capabilities``."""
    if not actor.is_verified or actor.membership_id != membership.pk or membership.user_id != actor.user_id:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=actor.user_id)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the device a name, for example “Sokha’s phone”.")})
    wanted = set(capabilities or ())
    allowed = policy.capabilities_of(membership.role)
    if not wanted:
        raise ValidationError({"capabilities": _("Choose at least one thing this device may do.")})
    # Every token may identify itself (GET /api/v1/me), which needs only basic use.
    wanted = sorted(wanted | {BASIC_CAPABILITY})
    outside = [cap for cap in wanted if cap not in allowed]
    if outside:
        raise ValidationError(
            {"capabilities": _("Your role does not allow: %(names)s.") % {"names": ", ".join(outside)}}
        )
    now = clock.now()
    active = DeviceToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)d active device tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = DeviceToken.objects.create(
        user=user,
        membership=membership,
        name=name,
        prefix=plaintext[:TOKEN_SHOWN_CHARS],
        token_hash=token_digest(plaintext),
        capabilities=wanted,
        created_at=now,
        expires_at=now + TOKEN_IDLE_LIFETIME,
        session_generation=user.session_generation,
    )
    audit.record(
        actor=actor,
        action=AccountAction.TOKEN_ISSUED,
        target=token,
        changes={"name": [None, name], "capabilities": [None, wanted]},
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic
def token_revoke(*, actor: Actor, token: DeviceToken, reason: str = "") -> DeviceToken:
    """Revoke a token: its holder's own, or any of the organisation's for a user manager."""
    own = token.user_id == actor.user_id
    manager = actor.can("users.manage") and token.membership.organisation_id == actor.organisation_id
    if not (own or manager):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    now = clock.now()
    DeviceToken.objects.filter(pk=token.pk).update(revoked_at=now)
    token.revoked_at = now
    audit.record(
        actor=actor,
        action=AccountAction.TOKEN_REVOKED,
        target=token,
        changes={"revoked_at": [None, now.isoformat()]},
        reason=reason,
    )
    return token


def token_used(*, token: DeviceToken) -> None:
    """Slide the expiry: a token dies after 72 hours without use, never later."""
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        last_used_at=now, expires_at=now + TOKEN_IDLE_LIFETIME
    )
    token.last_used_at = now
    token.expires_at = now + TOKEN_IDLE_LIFETIME
