"""Short search keys for a table indexed with plain B-tree equality (SQLite and PostgreSQL alike).

Every key is a string of at most ``KEY_MAX_LENGTH`` characters with a one-letter kind prefix:

``p:`` a pair of name parts (family and given, family and nickname, two alias words) as their
    phonetic keys in sorted order, so the order they are typed in does not matter: ``p:s*k.t*r*``.
    Pairs are also stored with one letter deleted from one side (a deletion neighbourhood), and the
    query does the same, so one typo or one dropped/doubled letter still meets on some key.
``t:`` one name part's phonetic key (``t:t*r*``), for one-word queries and nicknames.
``s:`` the consonant skeletons of the family name and of the whole given name, sorted
    (``s:c.trpngppl``): vowels, syllable cuts and word breaks left out, so an older French-style
    spelling (Kaoh, Preaek, Tuek), a name whose Latin form splits or merges syllables
    (Chuon Naron, Chuonnaron) or spells a long given name its own way still meets; the given
    name's skeleton also with one consonant left out, for a letter one spelling writes and another
    leaves silent (ចក្រ chakra, Chak). A second fetch path, looked up after the exact tier; it is
    coarse, so the scorer decides.
``k:`` the whole Khmer name with no space, both orders (``k:សុខដារ៉ា``), for Khmer typed without
    a space between family and given name.

Latin keys come from the Latin names and from the usual Latin spellings of the Khmer names, so a
Latin query finds a Khmer-only record and a Khmer query a Latin-only one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from .forms import KHMER, Form, Part, PersonNames, Query, latin_key, parse_query, person_forms
from .khmer import khmer_compact
from .latin import _DOUBLED, phonetic_key

KEY_MAX_LENGTH = 64
# Deleting a letter from a key shorter than this makes it too vague to look up.
MIN_DELETION_LENGTH = 2


def _deletions(key: str) -> set[str]:
    """The key with any one character but the first removed (too-short results are dropped).

    The first letter is kept: people check it, and names that differ there are different names
    (Sam, Um). Removing a consonant between two vowel groups joins them (l*h*g → l*g), so a
    dropped or added consonant inside a vowel ("Lyeng" for "Lyheng") is one edit, as it looks.
    """
    found = {(key[:i] + key[i + 1 :]).replace("**", "*") for i in range(1, len(key))}
    return {k for k in found if len(k) >= MIN_DELETION_LENGTH and k != key}


def _pair(a: str, b: str) -> str:
    return "p:" + ".".join(sorted((a, b)))


def _pairs(a: str, b: str, *, fuzzy: bool) -> set[str]:
    keys = {_pair(a, b)}
    if fuzzy:
        keys.update(_pair(d, b) for d in _deletions(a))
        keys.update(_pair(a, d) for d in _deletions(b))
    return keys


def _phonetic(part: Part) -> str:
    return phonetic_key(part.key)


def _latin_forms(forms: tuple[Form, ...]) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(tuple(_phonetic(p) for p in f.parts) for f in forms if f.latin))


def _fit(keys: set[str]) -> set[str]:
    return {k for k in keys if len(k) <= KEY_MAX_LENGTH}


def skeleton(phonetic: str) -> str:
    """A phonetic key without its vowels: what is left when every vowel spelling is forgiven."""
    return _DOUBLED.sub(r"\1", phonetic.replace("*", "")) or "*"


# A given-name skeleton this long or longer is also kept with one consonant left out.
MIN_SKELETON_DELETION = 3


def _skeleton_deletions(value: str) -> set[str]:
    """The skeleton with any one consonant but the first left out (a doubled one folds)."""
    if len(value) < MIN_SKELETON_DELETION:
        return set()
    found = {_DOUBLED.sub(r"\1", value[:i] + value[i + 1 :]) for i in range(1, len(value))}
    return found - {value}


def _skeleton_keys(phonetics: tuple[str, ...]) -> set[str]:
    """The first parts against the rest run together, also with one consonant of the rest left out.

    The deletions meet a consonant that one spelling writes and the other does not: a final or
    subscript letter read aloud by one romaniser and silent for another (ចក្រ chakra/chak, បរ
    bar/ba, ន្ធ nth/n), or an older spelling's extra letter (Opakma, Chamres). Both sides store
    and look up the deletions, so one letter changed also meets.
    """
    if len(phonetics) < 2:
        return set()
    keys = set()
    for cut in range(1, len(phonetics)):
        head, tail = skeleton("".join(phonetics[:cut])), skeleton("".join(phonetics[cut:]))
        for variant in (tail, *_skeleton_deletions(tail)):
            keys.add("s:" + ".".join(sorted((head, variant))))
    return keys


def index_keys(names: PersonNames) -> frozenset[str]:
    """The keys to store for one person (about 12; up to ~45 with a nickname and aliases)."""
    forms = person_forms(names)
    keys: set[str] = set()
    for phonetics in _latin_forms(forms):
        keys.update("t:" + k for k in phonetics)
        keys |= _skeleton_keys(phonetics)
        for a, b in combinations(phonetics, 2):
            keys |= _pairs(a, b, fuzzy=True)
    family, given = khmer_compact(names.family_km), khmer_compact(names.given_km)
    if family and given:
        keys.update({"k:" + family + given, "k:" + given + family})
    return frozenset(_fit(keys))


def search_text(names: PersonNames) -> str:
    """Every folded Latin key and normalised Khmer name of a person, space-separated.

    For an optional trigram index (PostgreSQL ``pg_trgm``) or a plain ``LIKE`` on a column; the
    key table above does not need it.
    """
    keys = dict.fromkeys(p.key for form in person_forms(names) for p in form.parts)
    return " ".join(keys)


def _query_units(parts: tuple[Part, ...]) -> list[tuple[str, ...]]:
    """Phonetic keys of the query words as typed and with neighbours run together."""
    phonetics = tuple(_phonetic(p) for p in parts)
    units = [phonetics]
    for i in range(len(parts) - 1):
        merged = phonetic_key(latin_key(parts[i].plain + parts[i + 1].plain))
        units.append((*phonetics[:i], merged, *phonetics[i + 2 :]))
    return units


# A word is tried as two names run together only if both halves could be names.
MIN_SPLIT_HALF = 2


def _splits(part: Part) -> set[str]:
    """Pair keys for one word that may be two names run together ("sokdara")."""
    plain = part.plain
    keys: set[str] = set()
    if len(plain) > KEY_MAX_LENGTH // 2:
        return keys  # too long to be two names
    for cut in range(MIN_SPLIT_HALF, len(plain) - MIN_SPLIT_HALF + 1):
        left, right = latin_key(plain[:cut]), latin_key(plain[cut:])
        keys.add(_pair(phonetic_key(left), phonetic_key(right)))
    return keys


@dataclass(frozen=True)
class QueryKeys:
    """The keys to look up for a search text, in two tiers.

    ``exact`` finds people whose names sound like the query (namesakes, other usual spellings,
    the other script); ``fuzzy`` adds one-edit neighbours (a typo, a dropped or added letter).
    Iterating gives ``exact`` then ``fuzzy``.
    """

    exact: tuple[str, ...]
    fuzzy: tuple[str, ...]
    skeleton: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[str]:
        yield from self.exact
        yield from self.skeleton
        yield from self.fuzzy

    def __len__(self) -> int:
        return len(self.exact) + len(self.skeleton) + len(self.fuzzy)


def query_keys(query: str | Query) -> QueryKeys:
    """The keys to look up for a search text (see ``QueryKeys``).

    Fetch the people holding any of them (``key IN (...)``), then rank them with ``score``.
    """
    query = parse_query(query) if isinstance(query, str) else query
    # One typed word that is not two names run together may be a given name or a nickname alone;
    # only then are one-word keys widened with their one-edit neighbours.
    one_word = query.size == 1
    exact: set[str] = set()
    fuzzy: set[str] = set()
    skeletons: set[str] = set()
    for form in query.forms:
        if form.script == KHMER:
            exact.add("k:" + "".join(p.key for p in form.parts))
            continue
        phonetics = tuple(_phonetic(p) for p in form.parts)
        skeletons |= _skeleton_keys(phonetics) | _skeleton_keys(phonetics[::-1])
        for number, unit in enumerate(_query_units(form.parts)):
            if len(unit) == 1:
                exact.add("t:" + unit[0])
                if one_word and number == 0:
                    fuzzy.update("t:" + d for d in _deletions(unit[0]))
                continue
            for a, b in combinations(unit, 2):
                exact.add(_pair(a, b))
                fuzzy |= _pairs(a, b, fuzzy=True)
        if len(form.parts) == 1:
            exact |= _splits(form.parts[0])
    exact = _fit(exact)
    return QueryKeys(
        tuple(sorted(exact)), tuple(sorted(_fit(fuzzy) - exact)), tuple(sorted(_fit(skeletons) - exact))
    )
