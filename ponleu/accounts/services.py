"""Authentication: the password step, password change and reset, browser sessions, device tokens.

Every outcome a stranger can observe is the same for an unknown user, a wrong password, a
locked account and an address over its limit, so the login page reveals nothing about who has
an account. How often each may be tried is ``throttle``'s business.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access import policy
from ponleu.access.actors import Actor
from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common import clock

from . import second_factor, selectors, throttle
from .actors import user_actor
from .choices import AccountAction, LoginOutcome
from .models import (
    TOKEN_PREFIX,
    DeviceToken,
    PasswordResetToken,
    User,
    UserSession,
    token_digest,
)

__all__ = ["user_actor"]  # re-exported: other apps audit account events under it

logger = logging.getLogger("ponleu.security")

# A hash to check against when the user does not exist, so every path costs one verification.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = make_password(secrets.token_urlsafe(24))
    return _DUMMY_HASH


ANON_LOGIN_ACTOR = Actor(user_id=None, username="", organisation_id=None, membership_id=None, role=None)


# --- the password step ------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None
    throttled: bool = False


def _find_user(username: str) -> User | None:
    username = username.strip()
    if not username:
        return None
    candidates = list(User.objects.select_for_update().filter(username__iexact=username)[:5])
    # Usernames are unique as typed; prefer the exact spelling when two differ only by case.
    exact = [user for user in candidates if user.username == username]
    return (exact or candidates or [None])[0]


def _address_over_limit(ip: str | None) -> bool:
    if not throttle.ip_is_throttled(ip):
        return False
    # No verification and no write (not even a lock): a guessing attack learns nothing and
    # costs one indexed count.
    logger.warning("password refused without checking: address %s is over its limit", ip)
    return True


def password_check(*, username: str, password: str, ip: str | None) -> PasswordCheck:
    """The first login step. Returns the user only when the password is right and nothing blocks."""
    if _address_over_limit(ip):
        return PasswordCheck(user=None, throttled=True)
    return _verify(username=username, password=password, ip=ip)


@transaction.atomic
def _verify(*, username: str, password: str, ip: str | None) -> PasswordCheck:
    throttle.serialise(ip)
    if throttle.ip_is_throttled(ip):
        return PasswordCheck(user=None, throttled=True)
    user = _find_user(username)
    if user is None:
        check_password(password, _dummy_hash())
        throttle.record(ip=ip, outcome=LoginOutcome.UNKNOWN_USER)
        return PasswordCheck(user=None)
    return PasswordCheck(user=user if _check_known(user, password, ip) else None)


def _check_known(user: User, password: str, ip: str | None) -> bool:
    """The password of a known account, if nothing holds it back. The caller holds its row lock."""
    if (
        not user.is_active
        or user.is_locked()
        or throttle.address_is_locked(user, ip)
        or throttle.account_is_throttled(user)
    ):
        # Same cost as a real check; attempts during a lockout neither extend it nor count
        # towards the account's limit (a guesser locked out of it cannot lock it for others).
        check_password(password, _dummy_hash())
        throttle.record(ip=ip, outcome=LoginOutcome.REFUSED, user=user)
        return False
    if not user.check_password(password):
        throttle.record(ip=ip, outcome=LoginOutcome.WRONG_PASSWORD, user=user)
        throttle.password_failed(user, ip)
        return False
    throttle.record(ip=ip, outcome=LoginOutcome.SUCCEEDED, user=user)
    throttle.password_succeeded(user, ip)
    return True


def password_confirm(*, user: User, password: str, ip: str | None) -> bool:
    """Ask a logged-in user's password again (before a device token or a password change).

    Counted and limited exactly like the login's password step, so a session left open on
    a shared computer gives no way around the lockout.
    """
    if _address_over_limit(ip):
        return False
    return _confirm(user=user, password=password, ip=ip)


@transaction.atomic
def _confirm(*, user: User, password: str, ip: str | None) -> bool:
    throttle.serialise(ip)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if throttle.ip_is_throttled(ip):
        return False
    return _check_known(locked, password, ip)


@transaction.atomic
def second_factor_failed(*, user: User) -> bool:
    """A wrong code after a right password counts towards the account's lock. True if now locked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    return throttle.code_failed(user)


# --- changing and resetting the password ------------------------------------------------


WRONG_PASSWORD_AGAIN = gettext_lazy(
    "The password is not correct, or checks are paused for a while after too many attempts."
)


class PasswordChange(enum.Enum):
    CHANGED = "changed"
    WRONG_PASSWORD = "wrong-password"  # noqa: S105 - an outcome, not a password
    WRONG_CODE = "wrong-code"
    LOCKED = "locked"  # the wrong code locked the account


def password_change(
    *, user: User, current_password: str, code: str, new_password: str, ip: str | None, keep_session=None
) -> PasswordChange:
    """A logged-in user changes their password, proving both factors again.

    Raises ValidationError (before checking anything) when the new password breaks a rule.
    On success every session but ``keep_session`` (the browser session key of the one making
    the change) ends, and so does every device token.
    """
    validate_password(new_password, user)
    if not password_confirm(user=user, password=current_password, ip=ip):
        return PasswordChange.WRONG_PASSWORD
    if second_factor.verify(user, code) is None:
        return PasswordChange.LOCKED if second_factor_failed(user=user) else PasswordChange.WRONG_CODE
    _password_replace(
        user=user,
        password=new_password,
        keep_session=keep_session,
        actor=user_actor(user),
        action=AccountAction.PASSWORD_CHANGED,
    )
    user.refresh_from_db(fields=["password", "session_generation"])
    return PasswordChange.CHANGED


@transaction.atomic
def _password_replace(
    *, user: User, password: str, keep_session, actor: Actor, action: str, reason: str = ""
) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    generation = locked.session_generation
    locked.set_password(password)
    locked.session_generation = generation + 1
    locked.save(update_fields=["password", "session_generation"])
    sessions = UserSession.objects.filter(user=locked, ended_at__isnull=True)
    if keep_session:
        sessions = sessions.exclude(key=keep_session)
    ended = sessions.update(ended_at=clock.now())
    _sessions_ended([locked.pk])
    throttle.password_replaced(locked)
    audit.record(
        actor=actor,
        action=action,
        target=locked,
        changes={"session_generation": [generation, generation + 1], "sessions_ended": [None, ended]},
        reason=reason,
    )


RESET_LIFETIME = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


@dataclass(frozen=True)
class IssuedReset:
    reset: PasswordResetToken
    plaintext: str  # shown once, to the administrator who hands it over; only its hash is stored


def _holds_system_rights(user: User, membership) -> bool:
    return (
        user.is_superuser or user.is_staff or policy.scope_of(membership.role, "system.manage") > Scope.NONE
    )


@transaction.atomic
def password_reset_issue(*, actor: Actor, membership) -> IssuedReset:
    """An organisation's user manager issues a one-time link for a member who forgot their
    password. Any older unused link of that user stops working."""
    if not actor.is_verified or actor.scope_for("users.manage") < Scope.ORG:
        raise PermissionDenied
    if not selectors.managed_members(actor).filter(pk=membership.pk).exists():
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.pk == actor.user_id:
        raise ValidationError(_("You cannot reset your own password here: change it on your password page."))
    if _holds_system_rights(user, membership) and not actor.can("system.manage"):
        raise ValidationError(
            _("Only a system administrator can reset the password of a system administrator.")
        )
    PasswordResetToken.objects.filter(user=user, used_at__isnull=True).delete()
    now = clock.now()
    plaintext = secrets.token_urlsafe(32)
    reset = PasswordResetToken.objects.create(
        user=user,
        issued_by_id=actor.user_id,
        token_hash=token_digest(plaintext),
        created_at=now,
        expires_at=now + RESET_LIFETIME,
    )
    audit.record(
        actor=actor,
        action=AccountAction.PASSWORD_RESET_ISSUED,
        target=user,
        changes={"expires_at": [None, reset.expires_at.isoformat()]},
    )
    return IssuedReset(reset=reset, plaintext=plaintext)


@transaction.atomic
def password_reset_complete(*, digest: str, new_password: str) -> User | None:
    """Set a new password with a reset link (by its hash). None if the link does not work.

    Raises ValidationError, leaving the link usable, when the password breaks a rule. The
    link works once; every session and device token of the user ends. The second factor is
    untouched: logging in afterwards still needs it, and so does a locked account's wait.
    """
    reset = (
        PasswordResetToken.objects.select_for_update(of=("self",))
        .select_related("user", "issued_by")
        .filter(token_hash=digest)
        .first()
    )
    if reset is None or not reset.is_usable():
        return None
    user = reset.user
    validate_password(new_password, user)
    PasswordResetToken.objects.filter(pk=reset.pk).update(used_at=clock.now())
    issued_by = reset.issued_by.username if reset.issued_by else "?"
    _password_replace(
        user=user,
        password=new_password,
        keep_session=None,
        actor=user_actor(user),
        action=AccountAction.PASSWORD_RESET,
        reason=f"reset link issued by {issued_by}",
    )
    return user


@dataclass(frozen=True)
class Pruned:
    attempts: int
    address_lockouts: int
    reset_links: int
    before: dt.datetime


@transaction.atomic
def login_records_prune(*, actor: Actor, keep: dt.timedelta | None = None) -> Pruned:
    """Delete login attempts and lockouts the throttle no longer reads (``throttle.prune``),
    and reset links that expired before the same moment. Run daily (``ponleu accounts prune``)."""
    pruned = throttle.prune(keep=keep)
    links = PasswordResetToken.objects.filter(expires_at__lt=pruned.before).delete()[0]
    result = Pruned(
        attempts=pruned.attempts,
        address_lockouts=pruned.address_lockouts,
        reset_links=links,
        before=pruned.before,
    )
    if result.attempts or result.address_lockouts or result.reset_links:
        audit.record(
            actor=actor,
            action=AccountAction.LOGIN_ATTEMPTS_PRUNED,
            changes={
                "login_attempts": [result.attempts, 0],
                "address_lockouts": [result.address_lockouts, 0],
                "password_reset_links": [result.reset_links, 0],
            },
            reason=f"older than {result.before.isoformat()}",
        )
    return result


# --- browser sessions -------------------------------------------------------------------


def session_open(*, user: User, ip: str | None = None, user_agent: str = "") -> UserSession:
    """Start a browser session row, ending the oldest so that at most the allowed number stay open."""
    now = clock.now()
    oldest_alive = now - dt.timedelta(seconds=settings.PONLEU_SESSION_ABSOLUTE_SECONDS)
    open_rows = UserSession.objects.filter(user=user, ended_at__isnull=True)
    ended = open_rows.filter(created_at__lte=oldest_alive).update(ended_at=now)
    keep = settings.PONLEU_MAX_SESSIONS_PER_USER - 1
    surplus = list(
        open_rows.filter(created_at__gt=oldest_alive)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )[keep:]
    if surplus:
        ended += UserSession.objects.filter(pk__in=surplus).update(ended_at=now)
    if ended:
        _sessions_ended([user.pk])
    return UserSession.objects.create(user=user, created_at=now, ip=ip, user_agent=(user_agent or "")[:300])


def session_end(*, key) -> None:
    """End one browser session (expiry): its row stops counting towards the limit."""
    rows = UserSession.objects.filter(key=key, ended_at__isnull=True)
    users = list(rows.values_list("user_id", flat=True))
    if rows.update(ended_at=clock.now()):
        _sessions_ended(users)


def _sessions_ended(user_ids) -> None:
    """A browser session row ended: the sessions that saw it open check it again
    (``middleware._ended`` trusts its last check while ``actor_version`` stays the same)."""
    User.objects.filter(pk__in=user_ids).update(actor_version=F("actor_version") + 1)


@transaction.atomic
def login_completed(*, user: User, method: str, ip: str | None = None, user_agent: str = "") -> UserSession:
    """Both factors passed: clear the lockout history, open the session row, audit the login."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    throttle.login_completed(user, ip)
    browser = session_open(user=user, ip=ip, user_agent=user_agent)
    audit.record(actor=user_actor(user), action=AccountAction.LOGGED_IN, target=user, reason=method)
    return browser


def _end_everything(user: User) -> None:
    User.objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1, actor_version=F("actor_version") + 1
    )
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


def token_issue(
    *, actor: Actor, membership, name: str, capabilities, password: str, ip: str | None = None
) -> IssuedToken:
    """Issue a token for the actor's own membership, limited to ``capabilities``.

    The password is asked again on the same form: a session left open on a shared computer
    must not be enough to take a lasting credential away. A wrong one counts towards the
    lockout like a wrong login.
    """
    if not actor.is_verified or actor.membership_id != membership.pk or membership.user_id != actor.user_id:
        raise PermissionDenied
    name, wanted = _token_request(membership, name, capabilities)
    user = User.objects.get(pk=actor.user_id)
    if not password_confirm(user=user, password=password or "", ip=ip):
        raise ValidationError({"password": WRONG_PASSWORD_AGAIN})
    return _token_create(actor=actor, membership=membership, name=name, capabilities=wanted)


def _token_request(membership, name: str, capabilities) -> tuple[str, list[str]]:
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
    return name, wanted


@transaction.atomic
def _token_create(*, actor: Actor, membership, name: str, capabilities: list[str]) -> IssuedToken:
    user = User.objects.select_for_update().get(pk=actor.user_id)
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
        capabilities=capabilities,
        created_at=now,
        expires_at=now + TOKEN_IDLE_LIFETIME,
        session_generation=user.session_generation,
    )
    audit.record(
        actor=actor,
        action=AccountAction.TOKEN_ISSUED,
        target=token,
        changes={"name": [None, name], "capabilities": [None, capabilities]},
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
