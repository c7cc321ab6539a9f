"""Error pages that keep to the content-security policy (Django's own CSRF page has inline CSS)."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    # The reason is for logs only: it can name cookies and headers, which users need not see.
    return render(request, "web/csrf_failure.html", status=403)


csrf_failure.ponleu_capability = None
csrf_failure.ponleu_public = True
