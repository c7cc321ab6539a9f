from __future__ import annotations

from django.shortcuts import redirect, render

from ponleu.access.views import AppView

from . import selectors, services


class InboxView(AppView):
    """The user's in-app messages (emergency access opened, and later others)."""

    capability = "web.use"

    def get(self, request):
        items = selectors.inbox(actor=self.actor)
        return render(request, "notifications/inbox.html", {"items": items})

    def post(self, request):
        services.notifications_mark_read(actor=self.actor)
        return redirect("notifications:inbox")
