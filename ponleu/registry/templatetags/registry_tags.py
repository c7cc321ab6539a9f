"""Template helpers that need the actor: masked names and per-record permissions."""

from __future__ import annotations

from django import template
from django.utils import translation

from ponleu.registry import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def person_name(context, person) -> str:
    actor = context["request"].actor
    return policies.shown_name(actor, person, translation.get_language())


@register.simple_tag(takes_context=True)
def unmasked(context, person) -> bool:
    return policies.can_see_unmasked(context["request"].actor, person)


@register.simple_tag
def place_label(unit) -> str:
    """'Thmei, Kantueu Muoy' (village and commune) in the current language."""
    if unit is None:
        return ""
    language = translation.get_language()
    parts = [unit.name(language)]
    if unit.parent_id and unit.parent is not None:
        parts.append(unit.parent.name(language))
    return ", ".join(parts)


@register.filter
def domain_labels(codes) -> str:
    from ponleu.registry.functioning import DOMAINS

    return ", ".join(str(DOMAINS.get(code, code)) for code in codes or ())


@register.simple_tag(takes_context=True)
def hit_why(context, hit) -> str:
    """Why a search hit matched, without the spelling of a name the reader may not see."""
    reveal = policies.can_see_unmasked(context["request"].actor, hit.person)
    return "; ".join(hit.why(reveal=reveal))


@register.filter
def language_labels(codes) -> str:
    from ponleu.registry.choices import Language

    labels = dict(Language.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ())


@register.filter
def income_labels(codes) -> str:
    from ponleu.registry.choices import IncomeSource

    labels = dict(IncomeSource.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ())
