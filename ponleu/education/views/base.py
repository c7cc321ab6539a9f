"""What the education screens share: objects in reach or a 404, dates from the query string."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404

from ponleu.access.views import NOT_FOUND_MESSAGE
from ponleu.common import clock
from ponleu.education import selectors
from ponleu.education.models import SchoolClass


def not_found() -> Http404:
    return Http404(NOT_FOUND_MESSAGE)


def class_or_404(actor, class_id, capability: str = "education.take_attendance") -> SchoolClass:
    try:
        return selectors.class_get(actor=actor, class_id=class_id, capability=capability)
    except (SchoolClass.DoesNotExist, ValidationError, ValueError):
        raise not_found() from None


def day_from(value, default: dt.date | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return default or clock.today()
