"""Health, readiness and metrics, for the proxy, the load balancer and a monitoring tool.

``/healthz`` says the process answers (no database: a load balancer must not take every
server out when the database blinks). ``/readyz`` says this server can serve: the database
answers and every migration is applied. ``/metrics`` is Prometheus's text format behind a
bearer token (``PONLEU_METRICS_TOKEN``); without one set it does not exist (404).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ponleu.access.views import public

from . import checks, metrics, readings


@public
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@public
@never_cache
@require_GET
def readyz(request):
    for check in (checks.database, checks.migrations):
        result = check()
        if not result.ok:
            return JsonResponse({"status": "unavailable", "check": result.name}, status=503)
    return JsonResponse({"status": "ready"})


@public
@never_cache
@require_GET
def prometheus(request):
    token = settings.PONLEU_METRICS_TOKEN
    if not token:
        raise Http404
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        response = HttpResponse("a bearer token is required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(
        metrics.exposition(readings.gauges()), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
