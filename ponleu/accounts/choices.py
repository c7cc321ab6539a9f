from django.db import models
from django.utils.translation import gettext_lazy as _


class UserLanguage(models.TextChoices):
    KHMER = "km", "ខ្មែរ"
    ENGLISH = "en", "English"
    FRENCH = "fr", "Français"


class AccountAction(models.TextChoices):
    LOGGED_IN = "accounts.user.logged_in", _("Logged in")
    LOGIN_FAILED = "accounts.user.login_failed", _("Login failed")
    LOCKED_OUT = "accounts.user.locked_out", _("Locked out")
    LOGGED_OUT = "accounts.user.logged_out", _("Logged out")
    LANGUAGE_CHANGED = "accounts.user.language_changed", _("Language changed")
    CREATED = "accounts.user.created", _("User created")
    DEACTIVATED = "accounts.user.deactivated", _("User deactivated")
    MFA_ENROLLED = "accounts.user.mfa_enrolled", _("Two-step verification set up")
    RECOVERY_CODE_USED = "accounts.user.recovery_code_used", _("Recovery code used")
    TOKEN_ISSUED = "accounts.token.issued", _("Device token issued")
    TOKEN_REVOKED = "accounts.token.revoked", _("Device token revoked")
    PASSWORD_CHANGED = "accounts.user.password_changed", _("Password changed")
    PASSWORD_RESET_ISSUED = "accounts.user.password_reset_issued", _("Password reset link issued")
    PASSWORD_RESET = "accounts.user.password_reset", _("Password reset with a link")
    LOGIN_ATTEMPTS_PRUNED = "accounts.login_attempts.pruned", _("Old login attempts deleted")


class LoginOutcome(models.TextChoices):
    SUCCEEDED = "ok", _("right password")
    WRONG_PASSWORD = "wrong", _("wrong password")
    UNKNOWN_USER = "unknown", _("no such user")
    # Locked, paused or over a limit: the account's password was not checked at all.
    REFUSED = "refused", _("refused without checking")
