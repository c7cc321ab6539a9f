"""Between the registry's records and the pure names engine (``registry.names``).

The engine knows names, not models: this module turns a ``Person`` (and their aliases) into the
engine's ``PersonNames``, gives the search-key table its keys, and turns the engine's reasons
into sentences a caseworker can read, in their language.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .names import PersonNames, QueryKeys, Reason, index_keys, parse_query
from .names import query_keys as _query_keys
from .names import score as _score
from .names.ranking import LONG_FLOOR, threshold
from .names.scoring import EXACT, PHONETIC

# No name score under this is ever shown; above it, ``show_threshold`` decides per search.
LOWEST_SHOWN = LONG_FLOOR
SHOW_THRESHOLD = LOWEST_SHOWN  # kept for callers that need one number (the benchmarks)


def show_threshold(text: str, scores) -> float:
    """The score a name hit needs to be shown in this search (``names.ranking``)."""
    values = list(scores.values()) if hasattr(scores, "values") else list(scores)
    return threshold(text, max(values, default=0.0))


def names_of(person, aliases: Iterable[str] = ()) -> PersonNames:
    return PersonNames(
        family_km=person.family_name_km,
        given_km=person.given_name_km,
        family_latin=person.family_name_latin,
        given_latin=person.given_name_latin,
        nickname=person.nickname,
        aliases=tuple(aliases),
    )


def person_keys(person, aliases: Iterable[str] = ()) -> frozenset[str]:
    return index_keys(names_of(person, aliases))


NO_KEYS = QueryKeys(exact=(), fuzzy=())


def query_keys(text: str) -> QueryKeys:
    """Keys in two tiers: ``exact`` (same sound, usual spellings, other script), then ``fuzzy``
    (one-edit neighbours), to be looked up only when the exact tier is not enough."""
    text = (text or "").strip()
    return _query_keys(text) if text else NO_KEYS


def parse(text: str):
    """The query parsed once, for scoring many candidates."""
    return parse_query(text)


def _role(role: str) -> str:
    return {
        "family": _("family name"),
        "given": _("given name"),
        "nickname": _("nickname"),
        "alias": _("other name"),
        "whole": _("full name"),
    }.get(role, role)


def explain(reason: Reason, *, reveal: bool = True) -> str:
    """One reason as a sentence; without ``reveal`` the person's own spelling is left out."""
    values = {"word": reason.word, "role": _role(reason.role), "matched": reason.matched}
    if reason.kind == EXACT:
        text = _("“%(word)s” is the %(role)s") % values
    elif reason.kind == PHONETIC:
        text = _("“%(word)s” sounds like the %(role)s") % values
    else:
        text = _("“%(word)s” is close to the %(role)s") % values
    if reveal and reason.matched and reason.matched.casefold() != reason.word.casefold():
        text += f" {reason.matched}"
    if reason.script == "romanised":
        text += " " + _("(the Khmer name in Latin letters)")
    return text


def score(query, person, *, aliases: Iterable[str] = ()) -> tuple[float, tuple[Reason, ...]]:
    """The engine's score for ``person`` and its reasons (``explain`` turns them into words).
    ``query`` is the text or, when scoring many people, ``parse(text)``."""
    if isinstance(query, str) and not query.strip():
        return 0.0, ()
    return score_names(query, names_of(person, aliases))


def score_names(query, names: PersonNames) -> tuple[float, tuple[Reason, ...]]:
    match = _score(query, names)
    return match.score, match.why
