"""How well a search text matches a person's names: a score from 0 to 100 and the reasons.

The score is the best, over every pair of a query form and a person's form in the same script
(Khmer with Khmer; Latin with Latin or romanised Khmer), of the larger of rapidfuzz's token-sort
ratio (names in either order) and Jaro–Winkler similarity (typos, shared beginnings), both on
folded keys. For "Sok Dara": សុខ ដារ៉ា, SOK DARA, Sokh Darah, Dara Sok and សុខ តារា score 100,
Sok Tara 95, Sao Dara 92.5, Chan Sophea about 45.

Folded keys make usual spelling variants equal (Sokh = Sok), and two usual spellings of one name
in the table of usual spellings count as that name (Rotana = Rattana), but not a spelling two names
share (Dara is ដារ៉ា or តារា, so Tara stays 95). Words typed in another order are put back in the
person's order before Jaro–Winkler when the pairing is clear ("Dara Sao" scores as "Sao Dara").

A query with fewer words than the name is compared with the name's parts of that size ("Dara"
finds every Dara at 100), and a one-word query also with the whole name written as one word
("sokdara"). Two or more words that meet only some words of a longer name score a little lower,
and so does a nickname that is only close to the word typed, so neither ties with a person whose
whole name was typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, permutations
from typing import TypeVar

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from .forms import KHMER, NICKNAME, Form, Part, PersonNames, Query, latin_key, parse_query, person_forms
from .khmer import has_khmer
from .latin import phonetic_key

EXACT = "exact"
PHONETIC = "phonetic"  # same folded or phonetic key: a spelling variant of the same sound
FUZZY = "fuzzy"
WHOLE = "whole"  # role of a name compared as one word (family and given run together)

K = TypeVar("K")


@dataclass(frozen=True)
class Reason:
    """One query word and the name part it matched."""

    word: str  # the query word as typed
    role: str  # family, given, nickname, alias or whole
    script: str  # khmer, latin, or romanised (a Khmer name matched through its Latin spellings)
    kind: str  # exact, phonetic or fuzzy
    matched: str  # the person's name part as registered


@dataclass(frozen=True)
class Match:
    score: float
    why: tuple[Reason, ...] = ()


NO_MATCH = Match(0.0)


def _similarity(left: str, right: str) -> float:
    return max(fuzz.token_sort_ratio(left, right), JaroWinkler.normalized_similarity(left, right) * 100)


# Words typed in another order are put back in the person's order for Jaro–Winkler when the
# pairing is clear: one word nearly the same (Seng ~ Seng) and the other at least alike.
ALIGN_ANCHOR = 0.9
# A nickname is short and shared by many (Pov, Oun, Thom): one that is only close to the word typed
# says less than a registered name as close, so it scores this much lower; typed exactly, it is 100.
NICKNAME_SHORTFALL = 6.0
# Two or more words typed that meet only some words of a longer name ("Hun Sen" and Hun Sen Prapey)
# leave a word of it unmatched: it ranks under the person whose whole name was typed.
PARTIAL_SHORTFALL = 3.0
ALIGN_FLOOR = 0.5


def _in_person_order(q_keys: tuple[str, ...], p_keys: tuple[str, ...]) -> tuple[str, ...] | None:
    best, best_total = None, 0.0
    for order in permutations(q_keys):
        pairs = [JaroWinkler.normalized_similarity(q, p) for q, p in zip(order, p_keys, strict=True)]
        if max(pairs) >= ALIGN_ANCHOR and min(pairs) >= ALIGN_FLOOR and sum(pairs) > best_total:
            best, best_total = order, sum(pairs)
    return best if best is not None and best != q_keys else None


@lru_cache(maxsize=200_000)
def _compare(q_keys: tuple[str, ...], p_keys: tuple[str, ...]) -> float:
    """The score of query keys against person keys (both in family-given or typed order)."""
    q_text, p_text = " ".join(q_keys), " ".join(p_keys)
    value = _similarity(q_text, p_text)
    if 1 < len(q_keys) == len(p_keys) and value < 100:
        reordered = _in_person_order(q_keys, p_keys)
        if reordered:
            value = max(value, JaroWinkler.normalized_similarity(" ".join(reordered), p_text) * 100)
    return value


def _merge(parts: tuple[Part, ...], role: str) -> Part:
    plain = "".join(p.plain for p in parts)
    key = plain if parts[0].script == KHMER else latin_key(plain)
    shown = " ".join(p.shown for p in parts)
    return Part(role, parts[0].script, shown, plain, key)


Option = tuple[tuple[str, ...], tuple[Part, ...]]  # keys and the parts they come from


def _option(parts: tuple[Part, ...]) -> Option:
    return tuple(p.key for p in parts), parts


def _query_variants(form: Form) -> tuple[Option, ...]:
    """The query's words as typed, then with two neighbouring words run together."""
    if "variants" not in form.derived:
        parts = form.parts
        variants = [parts]
        for i in range(len(parts) - 1):
            variants.append((*parts[:i], _merge(parts[i : i + 2], parts[i].role), *parts[i + 2 :]))
        form.derived["variants"] = tuple(_option(v) for v in variants)
    return form.derived["variants"]


def _person_options(form: Form, size: int) -> tuple[Option, ...]:
    """The parts of a person's form a query of ``size`` words is compared with."""
    options = form.derived.get(size)
    if options is None:
        parts = form.parts
        if size >= len(parts):
            chosen = [parts]
        else:
            chosen = list(combinations(parts, size))
            if size == 1:
                chosen.extend((_merge(order, WHOLE),) for order in permutations(parts))
        options = form.derived[size] = tuple(_option(o) for o in chosen)
    return options


def _best_pair(query: Query, forms: tuple[Form, ...]) -> tuple[float, tuple[Part, ...], tuple[Part, ...]]:
    best = (0.0, (), ())
    for q_form in query.forms:
        for i, (q_keys, q_parts) in enumerate(_query_variants(q_form)):
            for p_form in forms:
                # Same script only; merged query words only meet forms of the same length.
                if q_form.latin != p_form.latin or (i and len(q_keys) != len(p_form.parts)):
                    continue
                for p_keys, p_parts in _person_options(p_form, len(q_keys)):
                    value = _compare(q_keys, p_keys)
                    if value < 100 and any(p.role == NICKNAME for p in p_parts):
                        value -= NICKNAME_SHORTFALL
                    if len(q_keys) > 1 and len(p_keys) < len(p_form.parts):
                        value -= PARTIAL_SHORTFALL
                    if value > best[0]:
                        best = (value, q_parts, p_parts)
                        if value >= 100:
                            return best
    return best


def _kind(q: Part, p: Part) -> str:
    if q.plain == p.plain:
        return EXACT
    if q.key == p.key or (p.script != KHMER and phonetic_key(q.key) == phonetic_key(p.key)):
        return PHONETIC
    return FUZZY


def _reasons(q_parts: tuple[Part, ...], p_parts: tuple[Part, ...]) -> tuple[Reason, ...]:
    """Pair each query word with the person's part it resembles most (each part used once)."""
    reasons, free = [], list(p_parts)
    for q in q_parts:
        if not free:
            break
        p = max(free, key=lambda part: _similarity(q.key, part.key))
        free.remove(p)
        reasons.append(Reason(q.shown, p.role, p.script, _kind(q, p), p.shown))
    return tuple(reasons)


def as_person(name: str) -> PersonNames:
    """A name written as one string, family name first ("Sok Dara", "សុខ ដារ៉ា")."""
    family, _, given = name.strip().partition(" ")
    if has_khmer(name):
        return PersonNames(family_km=family, given_km=given)
    return PersonNames(family_latin=family, given_latin=given)


def score(query: str | Query, person: PersonNames | str) -> Match:
    """How well ``query`` matches ``person``: the score (0–100, one decimal) and why."""
    query = parse_query(query) if isinstance(query, str) else query
    person = as_person(person) if isinstance(person, str) else person
    value, q_parts, p_parts = _best_pair(query, person_forms(person))
    if not q_parts:
        return NO_MATCH
    return Match(round(value, 1), _reasons(q_parts, p_parts))


def rank(
    query: str | Query, people: Iterable[tuple[K, PersonNames]], *, limit: int = 10, minimum: float = 0.0
) -> list[tuple[K, Match]]:
    """The ``limit`` best-matching people, best first (ties keep the input order).

    People with identical names are scored once, and reasons are worked out only for the people
    returned, so ranking a few thousand candidates stays quick.
    """
    query = parse_query(query) if isinstance(query, str) else query
    seen: dict[PersonNames, tuple[float, tuple[Part, ...], tuple[Part, ...]]] = {}
    scored = []
    for key, names in people:
        best = seen.get(names)
        if best is None:
            best = seen[names] = _best_pair(query, person_forms(names))
        if best[1] and round(best[0], 1) >= minimum:
            scored.append((key, best))
    scored.sort(key=lambda item: -round(item[1][0], 1))
    return [(key, Match(round(value, 1), _reasons(q, p))) for key, (value, q, p) in scored[:limit]]
