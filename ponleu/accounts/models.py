"""People who log in. Who they work for and what they may do lives in organisations/access."""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.models import UUIDModel

from .choices import LoginOutcome, UserLanguage


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=UserLanguage.choices, default=UserLanguage.KHMER
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Bumped on logout-everywhere, deactivation and password change: every session and
    # token minted under an older generation stops working at once.
    session_generation = models.PositiveIntegerField(default=1, editable=False)
    # Bumped whenever anything an Actor is built from changes (membership role, areas, teams,
    # organisation, break-the-glass grants): an Actor kept in a session under an older value
    # is rebuilt on the next request (ponleu/access/actor_cache.py, decision 0010).
    actor_version = models.PositiveIntegerField(default=0, editable=False)
    # The whole account's lock, for wrong second-factor codes (whoever typed them already had
    # the password). Only a completed login clears the count; a right password does not.
    # Wrong passwords lock one address out of the account instead (AddressLockout).
    failed_codes = models.PositiveIntegerField(default=0, editable=False)
    lockouts = models.PositiveIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()


class LoginAttempt(models.Model):
    """One password step (a login, or the password asked again before a sensitive change).

    The throttle counts these rows: failed ones per address, wrong passwords per account.
    Attempts refused by the per-address limit perform no verification and leave no row, so
    one address cannot fill this table; ``ponleu accounts prune`` deletes rows older than the
    throttle looks back. The username is kept only when it names a real account: people
    sometimes type their password into the username box.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=clock.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    outcome = models.CharField(max_length=10, choices=LoginOutcome.choices)

    class Meta:
        indexes = [
            models.Index(fields=["ip", "at"], name="loginattempt_ip_at"),
            models.Index(fields=["username", "outcome", "at"], name="loginattempt_user_outcome_at"),
        ]

    @property
    def succeeded(self) -> bool:
        return self.outcome == LoginOutcome.SUCCEEDED


class AddressLockout(models.Model):
    """Wrong passwords for one account from one address, and that pair's lockout.

    Five wrong passwords lock the address out of the account (not the account itself, so a
    stranger guessing cannot lock its owner out everywhere); each further lockout doubles.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="address_lockouts")
    address = models.CharField(max_length=45, blank=True)  # "" when the address is unknown
    failures = models.PositiveIntegerField(default=0)
    lockouts = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="addresslockout_one_per_user_address")
        ]

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or clock.now())


class UserSession(models.Model):
    """One logged-in browser. The session stores this row's key; an ended row ends the session.

    Rows let Ponleu cap concurrent sessions (the oldest ends) and end them all at once.
    """

    id = models.BigAutoField(primary_key=True)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("browser session")
        verbose_name_plural = _("browser sessions")
        indexes = [models.Index(fields=["user", "ended_at", "created_at"], name="usersession_user_active")]

    def is_active(self) -> bool:
        return self.ended_at is None


TOKEN_PREFIX = "pnl_"  # noqa: S105 - a label every token starts with, not a secret


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


class DeviceToken(UUIDModel):
    """An API credential for one device (a phone or tablet that syncs), scoped and revocable.

    Only a SHA-256 hash of the token is stored; the holder sees the plaintext once, at issue.
    It works while unrevoked, unexpired and of the user's current session generation, with at
    most the capabilities listed here that the member's role still has.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    membership = models.ForeignKey(
        "organisations.Membership", on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(_("device name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    capabilities = models.JSONField(_("capabilities"), default=list)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    session_generation = models.PositiveIntegerField(editable=False)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or clock.now()
        return (
            self.revoked_at is None
            and self.expires_at > now
            and self.session_generation == self.user.session_generation
            and self.user.is_active
        )


class PasswordResetToken(UUIDModel):
    """A one-time link an organisation's administrator issues for a user who forgot their
    password. Only a SHA-256 hash is stored; it works once, for 30 minutes, and sets the
    password only: the user still needs their second factor to log in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_resets")
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("password reset link")
        verbose_name_plural = _("password reset links")

    def is_usable(self, now=None) -> bool:
        return self.used_at is None and self.expires_at > (now or clock.now()) and self.user.is_active
