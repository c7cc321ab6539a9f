"""Every refusal of the API, mapped once to a status code and the one error body (``ErrorOut``).

An operation does not catch: it looks up through the scope, calls the service and returns.
What it raises is answered here:

| raised | status |
|---|---|
| ``NotFound``, any ``DoesNotExist``, Django's ``ValidationError`` (a malformed id) | 404 |
| ``PermissionDenied`` | 403 |
| ``Conflict`` (a stale version) | 409 |
| ``VersionRequired`` (no ``If-Match``) | 428 |
| any other ``DomainError`` | 422 |
| Ninja's ``ValidationError`` (the schema refused a value) | 422 |
| Ninja's ``HttpError`` (401, 403 of the capability check; 400 of a malformed body) | its own |
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from ponleu.common.api_parser import TextWithNul, nul_message
from ponleu.common.errors import Conflict, DomainError, NotFound, PermissionDenied, VersionRequired
from ponleu.common.schemas import validation_error_body

# The first class an error is an instance of gives its status (subclasses before their bases).
STATUS_OF = (
    (VersionRequired, 428),
    (NotFound, 404),
    (PermissionDenied, 403),
    (Conflict, 409),
    (DomainError, 422),
)


def error_body(error: DomainError) -> dict:
    return {
        "detail": str(error.message),
        "errors": {name: [str(m) for m in messages] for name, messages in error.errors.items()},
    }


def status_of(error: DomainError) -> int:
    return next(status for kind, status in STATUS_OF if isinstance(error, kind))


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, error_body(exc), status=status_of(exc))

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        # Missing and outside the scope look the same: visible_to raised DoesNotExist for both.
        return api.create_response(request, error_body(NotFound()), status=404)

    @api.exception_handler(DjangoValidationError)
    def malformed_id(request, exc):
        # Input schemas validate every value; what Django refuses after them is an id it could
        # not read (a UUID field given "x"), and a malformed id names no record.
        return api.create_response(request, error_body(NotFound()), status=404)

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc: ValidationError):
        """Every validation error answers with the one error body, in the user's language."""
        return api.create_response(request, validation_error_body(exc.errors), status=422)

    @api.exception_handler(HttpError)
    def refused(request, exc: HttpError):
        """Ninja's refusals keep their status and message; a body holding a NUL character names
        its field, like any other invalid value."""
        if isinstance(exc.__cause__, TextWithNul):
            body = {
                "detail": validation_error_body([])["detail"],
                "errors": {exc.__cause__.field: [nul_message()]},
            }
            return api.create_response(request, body, status=422)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
