from __future__ import annotations

from ponleu.registry.models import Household, Person


def home_summary(*, actor) -> dict:
    """Counts for the home page, within the actor's scope (counts reveal no identities)."""
    if not actor.can("registry.view"):
        return {}
    return {
        "people": Person.objects.visible_to(actor).active().count(),
        "households": Household.objects.visible_to(actor).count(),
    }
