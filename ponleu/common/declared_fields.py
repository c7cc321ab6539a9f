"""A record's editable fields, declared once: a tuple of model field names beside the model
(``cases.models.CASE_EDITABLE_FIELDS``). The model field gives the type, the bound, whether it
may be blank and the translated label; from it come the form's fields, the service's editable
set, the API's input and output fields and the page's list of further facts
(``docs/how-to/add-a-field.md``).

Only what the model cannot say is written by hand: a form field with its own widget or choices,
a rule of the service (a date not in the future), a value the API shows differently."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.text import capfirst
from pydantic import Field

# Free text has no column bound; the API still refuses more than this (see schemas.Text).
TEXT_BOUND = 10_000


def form_fields(model, names, **declared: forms.Field) -> dict[str, forms.Field]:
    """Form fields for ``names`` in order: those ``declared`` as given, the others from the model
    (free text as a three-row text area)."""
    fields = {}
    for name in names:
        if name in declared:
            fields[name] = declared[name]
            continue
        field = model._meta.get_field(name)
        if isinstance(field, models.TextField):
            fields[name] = forms.CharField(
                label=capfirst(field.verbose_name),
                required=not field.blank,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        else:
            fields[name] = field.formfield()
    return fields


def api_type(field: models.Field):
    """The API type of a model field, with the column's bound on text."""
    if isinstance(field, models.BooleanField):
        kind = bool
    elif isinstance(field, models.DateTimeField):
        kind = dt.datetime
    elif isinstance(field, models.DateField):
        kind = dt.date
    elif isinstance(field, models.CharField):
        kind = typing.Annotated[str, Field(max_length=field.max_length)]
    elif isinstance(field, models.TextField):
        kind = typing.Annotated[str, Field(max_length=TEXT_BOUND)]
    elif isinstance(field, models.IntegerField):
        kind = int
    elif isinstance(field, models.DecimalField):
        kind = typing.Annotated[
            Decimal, Field(max_digits=field.max_digits, decimal_places=field.decimal_places)
        ]
    else:
        raise TypeError(f"{field.name}: declare its API type by hand")
    return kind | None if field.null else kind


def patch_fields(model, names, **declared) -> dict:
    """Fields of a PATCH schema (``pydantic.create_model``): each optional, left out = unchanged."""
    return {name: declared.get(name, (api_type(model._meta.get_field(name)), None)) for name in names}


def output_fields(model, names, skip=()) -> dict:
    """Fields of an output schema for ``names`` (those in ``skip`` the schema declares itself)."""
    return {name: (api_type(model._meta.get_field(name)), ...) for name in names if name not in skip}


@dataclass(frozen=True)
class Shown:
    label: str
    value: object
    is_text: bool  # free text: shown with its line breaks


def shown_fields(instance, names, *, laid_out=()) -> list[Shown]:
    """The declared fields a page does not lay out itself (``laid_out``) and that hold a value,
    labelled as the form labels them: a new field is on the page without a template change."""
    shown = []
    for name in names:
        value = getattr(instance, name)
        if name in laid_out or value in ("", None):
            continue
        field = instance._meta.get_field(name)
        shown.append(Shown(capfirst(field.verbose_name), value, isinstance(field, models.TextField)))
    return shown
