from __future__ import annotations

from django.conf import settings

from .navigation import menu_for

# On the phone's one-line header each language is a short button; its full name is read out too.
SHORT_LANGUAGE_NAMES = {"km": "ខ្មែរ", "en": "EN", "fr": "FR"}


def shell(request):
    actor = getattr(request, "actor", None)
    items = menu_for(actor) if actor is not None and actor.is_authenticated else []
    return {
        "nav_items": items,
        "nav_more": any(not item["primary"] for item in items),
        "ui_languages": [
            (code, settings.LANGUAGE_NAMES_LOCAL[code], SHORT_LANGUAGE_NAMES.get(code, code.upper()))
            for code, _ in settings.LANGUAGES
        ],
        "ponleu_demo": settings.DEMO,
    }
