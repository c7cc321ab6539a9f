"""A person's names and a search query, read into comparable forms.

A *form* is one way of writing a whole name: a tuple of parts in family-then-given order, all in
one script. A person has several: the Latin names as registered, the Khmer names, the Khmer names
in their usual Latin spellings ("romanised"), the nickname with and without the family name, and
each alias. A query has one form as typed, plus Latin forms for its Khmer words.

Each part keeps ``plain`` (what was written, lower case, for "exact") and ``key`` (folded Latin or
normalised Khmer, for scores); neither keeps spaces, so "Srey Neang" and "Sreyneang" compare as one
given name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product

from .khmer import has_khmer, normalise_khmer
from .latin import ascii_tokens, fold_token, latin_words
from .transliterate import canonical_key, latin_spellings, split_name, split_spelling, table_in_use

KHMER = "khmer"
LATIN = "latin"
ROMANISED = "romanised"  # Khmer names in their usual Latin spellings

FAMILY = "family"
GIVEN = "given"
NICKNAME = "nickname"
ALIAS = "alias"
QUERY = "query"

_NOT_KHMER = re.compile(r"[^\u1780-\u17ff]+")

# Caps on the spellings multiplied out per name (a romanised compound can have several).
MAX_ROMANISED_FORMS = 6
MAX_QUERY_TOKENS = 3
# A search box holds names, not paragraphs: longer input is cut before any work is done.
MAX_QUERY_LENGTH = 100
MAX_SPLIT_QUERY_TOKENS = 4


def latin_key(plain: str) -> str:
    """The key a Latin name part is compared by: folded, then the usual spelling if it has one."""
    return canonical_key(fold_token(plain))


@dataclass(frozen=True)
class PersonNames:
    """The names of one person as registered; any field may be empty."""

    family_km: str = ""
    given_km: str = ""
    family_latin: str = ""
    given_latin: str = ""
    nickname: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        # Records may hold None for a blank name, and aliases may come as a list.
        for name in ("family_km", "given_km", "family_latin", "given_latin", "nickname"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, "")
        object.__setattr__(self, "aliases", tuple(a for a in self.aliases or () if a))


@dataclass(frozen=True)
class Part:
    role: str  # family, given, nickname, alias, query
    script: str  # khmer, latin, romanised
    shown: str  # as written, for the explanation
    plain: str  # lower-case letters without spaces (Khmer: normalised)
    key: str  # folded Latin key without spaces (Khmer: normalised)


@dataclass(frozen=True)
class Form:
    script: str
    parts: tuple[Part, ...]
    latin: bool = field(init=False)  # Latin letters, as typed or romanised
    signature: tuple = field(init=False, compare=False, hash=False, repr=False)
    # What the scorer derives from the form, kept with it (forms are shared by namesakes).
    derived: dict = field(init=False, default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "latin", self.script != KHMER)
        object.__setattr__(self, "signature", (self.latin, tuple(p.key for p in self.parts)))


def _latin_part(role: str, text: str) -> Part | None:
    tokens = ascii_tokens(text)
    if not tokens:
        return None
    plain = "".join(tokens)
    return Part(role, LATIN, text.strip(), plain, latin_key(plain))


def _khmer_part(role: str, text: str) -> Part | None:
    normal = _NOT_KHMER.sub("", normalise_khmer(text))
    return Part(role, KHMER, text.strip(), normal, normal) if normal else None


def _romanised_parts(role: str, text: str) -> list[Part]:
    """One part per usual Latin spelling of a Khmer name (words of a name are joined)."""
    words = normalise_khmer(text).split()
    spellings = [latin_spellings(word) for word in words]
    parts = {}
    for combination in islice(product(*spellings), MAX_ROMANISED_FORMS):
        plain = "".join(combination)
        key = latin_key(plain)
        parts.setdefault(key, Part(role, ROMANISED, text.strip(), plain, key))
    return list(parts.values())


def _name_forms(named: Iterable[tuple[str, str]]) -> tuple[Form, ...]:
    """Forms of a name given as (role, text) in order; each text in either script.

    All-Khmer names give a Khmer form and romanised forms; a name with any Latin word gives Latin
    forms, its Khmer words (if any) romanised.
    """
    named = tuple((role, text) for role, text in named if text and text.strip())
    return _cached_name_forms(named, table_in_use())


# Namesakes share their forms: many people are called សុខ ដារ៉ា.
@lru_cache(maxsize=100_000)
def _cached_name_forms(named: tuple[tuple[str, str], ...], table: bool) -> tuple[Form, ...]:
    options = []
    for role, text in named:
        if has_khmer(text):
            options.append(_romanised_parts(role, text))
        elif part := _latin_part(role, text):
            options.append([part])
    options = [o for o in options if o]
    if not options:
        return ()
    forms = []
    all_khmer = all(has_khmer(text) for _, text in named)
    if all_khmer:
        parts = tuple(p for role, text in named if (p := _khmer_part(role, text)))
        if parts:
            forms.append(Form(KHMER, parts))
    script = ROMANISED if all_khmer else LATIN
    forms.extend(Form(script, combination) for combination in islice(product(*options), MAX_ROMANISED_FORMS))
    return tuple(forms)


def person_forms(names: PersonNames) -> tuple[Form, ...]:
    """Every form of a person's names, without duplicates."""
    return _person_forms(names, table_in_use())


@lru_cache(maxsize=100_000)
def _person_forms(names: PersonNames, table: bool) -> tuple[Form, ...]:
    groups = [
        ((FAMILY, names.family_latin), (GIVEN, names.given_latin)),
        ((FAMILY, names.family_km), (GIVEN, names.given_km)),
    ]
    # Family name in one script and given name only in the other.
    family, given = names.family_latin or names.family_km, names.given_latin or names.given_km
    if (
        family
        and given
        and not (names.family_latin and names.given_latin or names.family_km and names.given_km)
    ):
        groups.append(((FAMILY, family), (GIVEN, given)))
    # A given name of several words also as separate words ("Srey Neang" → Srey, Neang).
    for family, given in ((names.family_latin, names.given_latin), (names.family_km, names.given_km)):
        words = given.split()
        if len(words) > 1:
            groups.append(((FAMILY, family), *((GIVEN, word) for word in words)))
    if names.nickname:
        groups.append(((NICKNAME, names.nickname),))
        for family in (names.family_latin, names.family_km):
            if family and has_khmer(family) == has_khmer(names.nickname):
                groups.append(((FAMILY, family), (NICKNAME, names.nickname)))
    groups.extend(tuple((ALIAS, word) for word in alias.split()) for alias in names.aliases)
    forms: dict[tuple, Form] = {}
    for group in groups:
        for form in _name_forms(group):
            forms.setdefault(form.signature, form)
    return tuple(forms.values())


@dataclass(frozen=True)
class Query:
    text: str
    forms: tuple[Form, ...]

    @property
    def size(self) -> int:
        return max((len(f.parts) for f in self.forms), default=0)


def _query_words(text: str) -> list[str]:
    raw = normalise_khmer(text).split()
    words = []
    for word in raw:
        if has_khmer(word):
            # A lone Khmer word may be a whole name typed without a space (សុខដារ៉ា).
            words.extend(split_name(word) if len(raw) == 1 else [word])
        else:
            words.extend(latin_words(word))
    return words[:MAX_QUERY_TOKENS]


def parse_query(text: str) -> Query:
    """The forms of a search text: 1–3 words, names in any order, Khmer or Latin or both.

    Latin words that are usual spellings run together ("LiSrey Meas") also give a form with
    them apart (li, srey, meas), which the person's forms meet with neighbours joined again.
    """
    return _parse_query((text or "")[:MAX_QUERY_LENGTH], table_in_use())


@lru_cache(maxsize=4096)
def _parse_query(text: str, table: bool) -> Query:
    words = _query_words(text)
    forms = list(_name_forms([(QUERY, w) for w in words]))
    apart = [piece for w in words for piece in (split_spelling(w.lower()) if not has_khmer(w) else [w])]
    if len(apart) > len(words):
        forms.extend(_name_forms([(QUERY, w) for w in apart[:MAX_SPLIT_QUERY_TOKENS]]))
    return Query(text=text, forms=tuple(forms))
