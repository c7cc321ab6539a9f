"""API shapes every app shares: the error body, page bounds, and what a PATCH may set to null."""

from __future__ import annotations

import types
import typing

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


class ErrorOut(Schema):
    """Every refusal: a sentence for people, and messages by field (``summary``, ``page``) if any."""

    detail: str
    errors: dict[str, list[str]] = {}


def reader(context):
    """The actor an output schema is serialised for, in a resolver that takes ``context``:
    what a field shows may depend on who reads it (a masked name, the next steps allowed)."""
    return context["request"].actor


def refusals(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The refusals an operation gives beyond those every one can (401, 403, 404, 422, 400),
    for its ``response=``: ``{200: CaseDetailOut, **refusals(409, 428)}``."""
    return dict.fromkeys(statuses, ErrorOut)


# Every string an input schema takes has a bound (tests/test_api_input.py checks the OpenAPI
# schema): PostgreSQL refuses a value longer than its column, which would be a server error.
Code = typing.Annotated[str, Field(max_length=40)]  # a choice's code, an identifier
Line = typing.Annotated[str, Field(max_length=200)]  # a name, a place, a short answer
Text = typing.Annotated[str, Field(max_length=10_000)]  # observations, summaries, plans

# A page number past this is refused (422) before it reaches an OFFSET the database cannot hold.
MAX_PAGE = 100_000
# Where Ninja says a value was found; the rest of the location names the field.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_field(loc) -> str:
    """``("body", "payload", "phones", 0, "number")`` → ``"phones.0.number"``;
    ``("query", "page")`` → ``"page"``; the whole body → ``"body"``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        where, parts = parts[0], parts[1:]
        if where == "body" and len(parts) > 1:
            parts = parts[1:]  # the operation's parameter name ("payload") is no field
        return ".".join(parts) or where
    return ".".join(parts) or "body"


def _message(error: dict) -> str:
    if error.get("type") == "missing":
        return _("This field is required.")
    return str(error.get("msg", ""))


def validation_error_body(errors: list[dict]) -> dict:
    """Pydantic's errors as the one error body (``ErrorOut``), messages grouped by field."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error_field(error.get("loc", ())), []).append(_message(error))
    return {"detail": _("Some values are not valid."), "errors": by_field}


def accepts_null(annotation) -> bool:
    if annotation is None or annotation is type(None) or annotation is typing.Any:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return accepts_null(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(accepts_null(arg) for arg in typing.get_args(annotation))
    return False


def _no_null_defaults(schema: dict, model) -> None:
    # The None default only marks "left out"; the documented type must not offer null.
    for name, field in model.model_fields.items():
        prop = schema.get("properties", {}).get(field.alias or name)
        if prop is not None and prop.get("default", ...) is None and not accepts_null(field.annotation):
            del prop["default"]


class PatchIn(Schema):
    """Input of a partial update. A field left out keeps its value; ``null`` is a value only
    where the field's type says so (``review_on: dt.date | None``), so declare the others with
    their real type and a ``None`` default (``summary: str = None``): a null there is refused
    with a message naming the field, instead of reaching a column that cannot hold it."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value, info: ValidationInfo):
        if value is None and not accepts_null(cls.model_fields[info.field_name].annotation):
            raise PydanticCustomError(
                "null_not_allowed", _("This field cannot be null: leave it out to keep its current value.")
            )
        return value
