"""Headers every dynamic response carries, beyond what Django's SecurityMiddleware and
django-csp set (nosniff, Referrer-Policy, COOP, HSTS, the CSP itself).

Static files never reach this middleware: WhiteNoise answers them earlier, with long-lived
caching of hashed names, which is right for files that hold no personal data.
"""

from __future__ import annotations

# Only what Ponleu uses is allowed: the camera (photos of documents) and location (home
# visits), both for this origin alone. Everything else is off.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=(self)",
        "display-capture=()",
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "publickey-credentials-get=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)
NO_STORE = "no-store"


def _is_authenticated(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # API calls with a device token have no session user; the header alone says so.
    return bool(request.headers.get("Authorization"))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if _is_authenticated(request) or request.path.startswith(("/accounts/", "/api/")):
            # Child data must never sit in a shared phone's or a proxy's cache, whatever the
            # view asked for.
            response["Cache-Control"] = NO_STORE
        else:
            response.setdefault("Cache-Control", NO_STORE)
        return response
