"""Each refusal a service or a lookup raises has one status and one body, whichever app raised it."""

from __future__ import annotations

from ponleu.api.errors import error_body, status_of
from ponleu.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionRequired,
)
from ponleu.registry.services import VersionMissing


def test_each_refusal_has_its_status():
    assert status_of(NotFound()) == 404
    assert status_of(PermissionDenied()) == 403
    assert status_of(Conflict()) == 409
    assert status_of(VersionRequired()) == 428
    # The registry's own "which version?" is the same refusal as a missing If-Match.
    assert status_of(VersionMissing(field="version")) == 428
    assert status_of(ValidationFailed(field="summary")) == 422
    assert status_of(DomainError()) == 422


def test_the_body_names_each_field_in_words():
    body = error_body(
        ValidationFailed("Too long.", errors={"summary": ["Too long."], "place": ["Required."]})
    )
    assert body == {"detail": "Too long.", "errors": {"summary": ["Too long."], "place": ["Required."]}}
    assert error_body(NotFound()) == {"detail": "Not found", "errors": {}}
