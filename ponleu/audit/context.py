"""Request context (request id, IP, user agent) for audit rows, carried in a ContextVar.

Services never see the request; the middleware and the task/command runners set this.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user_agent: str = ""
    channel: str = "web"  # web, api, task, command


_current: ContextVar[RequestContext | None] = ContextVar("ponleu_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, channel="command")
    return ctx


@contextmanager
def bound(ctx: RequestContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
