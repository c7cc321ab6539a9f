"""Error pages that keep to the content-security policy (Django's own CSRF page has inline CSS)."""

from __future__ import annotations

from django.shortcuts import render

from ponleu.audit.emergency import break_glass_link


def csrf_failure(request, reason: str = ""):
    # The reason is for logs only: it can name cookies and headers, which users need not see.
    return render(request, "web/csrf_failure.html", status=403)


csrf_failure.ponleu_capability = None
csrf_failure.ponleu_public = True


def not_found(request, exception=None):
    """One 404 for "missing" and "not yours": its text depends on the URL and the user only.

    A holder of ``access.break_glass`` on a person's or a case's page is offered emergency
    access to that record; the offer is the same whether the record exists or not.
    """
    return render(request, "web/not_found.html", {"break_glass_url": break_glass_link(request)}, status=404)


not_found.ponleu_capability = None
not_found.ponleu_public = True
