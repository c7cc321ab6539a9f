"""How often a password and a second-factor code may be tried, counted by the real client
address (``ponleu.common.client_address.client_ip``, which knows about trusted proxies).

- **Per (account, address).** Five wrong passwords for one account from one address lock
  that address out of that account for 15 minutes, doubling with each further lockout (at
  most a day). Someone guessing locks themselves out, not the owner logging in elsewhere.
- **Per account, all addresses together.** At most 20 wrong passwords an hour and 50 a day;
  past that the account's password is not checked at all until the window moves on. This is
  what bounds guessing from many addresses at once.
- **Per address, all accounts together.** A high limit (100 an hour, 500 a day by default,
  ``PONLEU_LOGIN_IP_LIMIT_PER_*``) against spraying one password over many accounts, high
  enough that an office sharing one public address is never locked out by its own typing.
- **Second-factor codes, per account.** Whoever types a code already had the password, so
  the fifth wrong code locks the whole account (15 minutes, doubling). Only a completed login
  clears that count: a right password alone never does.

Every refusal looks like a wrong password to the person trying (``services``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q

from ponleu.audit import services as audit
from ponleu.common import clock

from .actors import user_actor
from .choices import AccountAction, LoginOutcome
from .models import AddressLockout, LoginAttempt, User

logger = logging.getLogger("ponleu.security")


def lockout_duration(previous_lockouts: int) -> dt.timedelta:
    """15 minutes for the first lockout, doubling for each one after, up to a day."""
    seconds = settings.PONLEU_LOGIN_LOCKOUT_SECONDS * (2 ** min(previous_lockouts, 20))
    return dt.timedelta(seconds=min(seconds, settings.PONLEU_LOGIN_LOCKOUT_MAX_SECONDS))


def _over(counts: dict, per_hour: int, per_day: int) -> bool:
    return counts["hour"] >= per_hour or counts["day"] >= per_day


def _counts(rows) -> dict:
    now = clock.now()
    return rows.filter(at__gt=now - dt.timedelta(days=1)).aggregate(
        day=Count("id"), hour=Count("id", filter=Q(at__gt=now - dt.timedelta(hours=1)))
    )


def ip_is_throttled(ip: str | None) -> bool:
    """True once an address has used its failed attempts for the hour or the day.

    Every failed attempt that reached a hasher counts (unknown users and refusals cost a
    stand-in verification); attempts refused here perform none and leave no row.
    """
    if not ip:
        return False
    rows = LoginAttempt.objects.filter(ip=ip).exclude(outcome=LoginOutcome.SUCCEEDED)
    return _over(
        _counts(rows), settings.PONLEU_LOGIN_IP_LIMIT_PER_HOUR, settings.PONLEU_LOGIN_IP_LIMIT_PER_DAY
    )


def account_is_throttled(user: User) -> bool:
    """True once the account's password has been wrong too often for the hour or the day."""
    rows = LoginAttempt.objects.filter(username=user.username, outcome=LoginOutcome.WRONG_PASSWORD)
    return _over(
        _counts(rows),
        settings.PONLEU_LOGIN_ACCOUNT_LIMIT_PER_HOUR,
        settings.PONLEU_LOGIN_ACCOUNT_LIMIT_PER_DAY,
    )


def serialise(ip: str | None) -> None:
    """Serialise checks from one address, so parallel guesses cannot all pass the limit
    before any of them is counted (inside the caller's transaction). SQLite already
    serialises writers; the account's own row lock serialises per account."""
    if ip and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ponleu.login.{ip}"])


def record(*, ip: str | None, outcome: str, user: User | None = None) -> None:
    LoginAttempt.objects.create(ip=ip, username=user.username if user else "", outcome=outcome)


def _address(ip: str | None) -> str:
    return ip or ""


def address_is_locked(user: User, ip: str | None) -> bool:
    return AddressLockout.objects.filter(
        user=user, address=_address(ip), locked_until__gt=clock.now()
    ).exists()


def password_failed(user: User, ip: str | None) -> None:
    """A wrong password for ``user`` from ``ip``: the fifth in a row locks that pair out.

    The caller holds the user's row lock, so two failures cannot both read the same count.
    """
    now = clock.now()
    pair, _created = AddressLockout.objects.get_or_create(user=user, address=_address(ip))
    failures = pair.failures + 1
    actor = user_actor(user)
    if failures >= settings.PONLEU_LOGIN_MAX_FAILURES:
        until = now + lockout_duration(pair.lockouts)
        AddressLockout.objects.filter(pk=pair.pk).update(
            failures=0, lockouts=F("lockouts") + 1, locked_until=until, last_failure_at=now
        )
        logger.warning("address %s locked out of an account after %d wrong passwords", ip, failures)
        audit.record(
            actor=actor,
            action=AccountAction.LOCKED_OUT,
            target=user,
            changes={"locked_until": [None, until.isoformat()], "address": [None, _address(ip)]},
        )
    else:
        AddressLockout.objects.filter(pk=pair.pk).update(failures=failures, last_failure_at=now)
        audit.record(actor=actor, action=AccountAction.LOGIN_FAILED, target=user)


def password_succeeded(user: User, ip: str | None) -> None:
    """A right password ends the run of wrong ones from that address (not its lockout history,
    and never the count of wrong second-factor codes)."""
    AddressLockout.objects.filter(user=user, address=_address(ip), failures__gt=0).update(failures=0)


def code_failed(user: User) -> bool:
    """A wrong second-factor code; the fifth locks the account. True if it is locked now.

    The caller holds the user's row lock.
    """
    user.refresh_from_db(fields=["failed_codes", "lockouts"])
    failures = user.failed_codes + 1
    actor = user_actor(user)
    if failures >= settings.PONLEU_LOGIN_MAX_FAILURES:
        until = clock.now() + lockout_duration(user.lockouts)
        User.objects.filter(pk=user.pk).update(failed_codes=0, lockouts=F("lockouts") + 1, locked_until=until)
        audit.record(
            actor=actor,
            action=AccountAction.LOCKED_OUT,
            target=user,
            changes={"locked_until": [None, until.isoformat()]},
        )
        return True
    User.objects.filter(pk=user.pk).update(failed_codes=failures)
    audit.record(actor=actor, action=AccountAction.LOGIN_FAILED, target=user, reason="second factor")
    return False


def login_completed(user: User, ip: str | None) -> None:
    """Both factors passed: the account's lock history and this address's are cleared.

    Other addresses keep theirs: the owner logging in must not restart a guesser's doubling.
    """
    User.objects.filter(pk=user.pk).update(failed_codes=0, lockouts=0, locked_until=None)
    AddressLockout.objects.filter(user=user, address=_address(ip)).delete()


def password_replaced(user: User) -> None:
    """Wrong guesses at the old password say nothing about the new one."""
    AddressLockout.objects.filter(user=user).delete()


# --- pruning ----------------------------------------------------------------------------


def retention() -> dt.timedelta:
    """How far back the throttle looks: the daily windows and the longest lockout."""
    return max(dt.timedelta(days=1), dt.timedelta(seconds=settings.PONLEU_LOGIN_LOCKOUT_MAX_SECONDS))


@dataclass(frozen=True)
class Pruned:
    attempts: int
    address_lockouts: int
    before: dt.datetime


def prune(*, keep: dt.timedelta | None = None) -> Pruned:
    """Delete login attempts the throttle no longer reads, and pair lockouts long over.

    ``keep`` may be longer than ``retention()`` (to keep rows for review), never shorter:
    deleting rows inside a window would hand an attacker a fresh allowance.
    """
    keep = max(keep or retention(), retention())
    before = clock.now() - keep
    attempts = LoginAttempt.objects.filter(at__lt=before).delete()[0]
    # A pair's doubling is forgotten once it has been quiet, and unlocked, for as long again.
    lockouts = (
        AddressLockout.objects.filter(last_failure_at__lt=before)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=before))
        .delete()[0]
    )
    return Pruned(attempts=attempts, address_lockouts=lockouts, before=before)
