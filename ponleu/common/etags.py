"""Optimistic concurrency over HTTP: a read sends the record's version as its ETag, a write
sends it back in ``If-Match`` (``VersionRequired``, 428, without it; the service's
``Conflict``, 409, when someone wrote since)."""

from __future__ import annotations

from .errors import VersionRequired


def if_match(request) -> str:
    """The version the client read, from ``If-Match: "7"`` (weak or strong)."""
    version = (request.headers.get("If-Match") or "").strip().removeprefix("W/").strip('"')
    if not version:
        raise VersionRequired()
    return version


def tag(response, version) -> None:
    response["ETag"] = f'"{version}"'
