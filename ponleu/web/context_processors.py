from __future__ import annotations

from django.conf import settings

from .navigation import menu_for


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "nav_items": menu_for(actor) if actor is not None and actor.is_authenticated else [],
        "ui_languages": [(code, settings.LANGUAGE_NAMES_LOCAL[code]) for code, _ in settings.LANGUAGES],
        "ponleu_demo": settings.DEMO,
    }
