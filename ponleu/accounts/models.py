"""People who log in. Who they work for and what they may do lives in organisations/access."""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.models import UUIDModel

from .choices import UserLanguage


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
    failed_logins = models.PositiveIntegerField(default=0, editable=False)
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
    """One password verification (failed or not), for the per-IP limit and for review.

    Attempts refused by the per-IP limit perform no verification and leave no row, so an
    attack cannot fill this table. The username is kept only when it names a real account:
    people sometimes type their password into the username box.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=clock.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="loginattempt_ip_at")]


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
