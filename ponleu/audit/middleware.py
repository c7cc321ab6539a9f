from __future__ import annotations

import uuid

from ponleu.common.client_address import client_ip

from .context import RequestContext, bound


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = RequestContext(
            request_id=request_id,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            channel=channel,
        )
        request.request_id = request_id
        with bound(ctx):
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response
