"""Domain errors that services raise and interfaces translate into messages or status codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal the user can act on; ``message`` is translatable and names what is wrong."""

    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, field: str | None = None, errors: dict | None = None):
        self.message = message or self.default_message
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    default_message = _("Some values are not valid.")


class Conflict(DomainError):
    default_message = _(
        "Someone else changed this record after you opened it. Reload it, check their changes and try again."
    )


class PermissionDenied(DomainError):
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    """Missing, outside the caller's scope, or named by a malformed id: the same answer."""

    default_message = _("Not found")


class VersionRequired(ValidationFailed):
    """A write to a versioned record that does not say which version it read."""

    default_message = _("Send the version you read (the ETag) in If-Match.")
