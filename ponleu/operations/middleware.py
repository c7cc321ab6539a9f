"""Counts and times every request, and writes one access-log line without personal data."""

from __future__ import annotations

import logging
import time

from ponleu.audit import context

from . import metrics

access_log = logging.getLogger("ponleu.access")


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "(unmatched)"
    return "/" + (match.route or match.view_name or "")


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_of(request)
        metrics.observe(route, request.method, response.status_code, seconds)
        access_log.info(
            "request",
            extra={
                "route": route,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "request_id": context.current().request_id,
            },
        )
        return response
