"""Where a 404 on a person's or a case's page sends a holder of ``access.break_glass``.

The link is built from the requested URL alone, never from the database: a record outside
the user's scope and a record that does not exist get the same link and the same page, so
the 404 still says nothing about whether the record exists. The break-the-glass page itself
answers 404 for a record of another organisation or none.
"""

from __future__ import annotations

from django.urls import reverse

# URL keyword of a record page → the break-the-glass page for that kind of record.
BREAK_GLASS_ROUTES = {"person_id": "audit:break_glass", "case_id": "audit:break_glass_case"}
# The apps whose pages are a person's or a case's pages.
RECORD_NAMESPACES = ("registry", "cases")


def break_glass_link(request) -> str:
    """The emergency-access URL for the record of this (404) request, or ""."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can("access.break_glass"):
        return ""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in RECORD_NAMESPACES:
        return ""
    for kwarg, route in BREAK_GLASS_ROUTES.items():
        value = match.kwargs.get(kwarg)
        if value is not None:
            return reverse(route, kwargs={kwarg: value})
    return ""
