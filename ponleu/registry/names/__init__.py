"""Matching Khmer personal names typed in Khmer script or any usual romanisation (no database).

Registry search, search-before-create and duplicate detection all use the same three steps:

1. **Store keys.** For every person, ``index_keys(PersonNames(...))`` gives about ten short
   strings (up to ~40 with a nickname and aliases; each at most ``KEY_MAX_LENGTH`` = 64
   characters). Keep them in a table of (person, key) rows with
   a plain B-tree index on ``key``; rewrite a person's rows whenever their names change. Nothing
   PostgreSQL-specific is needed; ``search_text`` gives an optional column for ``pg_trgm``.
2. **Fetch candidates.** ``query_keys(text)`` gives the keys to look up in two tiers:
   ``.exact`` (same-sounding names, other usual spellings, the other script) and ``.fuzzy``
   (one-edit neighbours: a typo, a dropped or doubled letter). Select the distinct people holding
   any of them (``WHERE key IN (...)``, within the user's scope).
3. **Rank.** ``rank(text, [(id, PersonNames), ...])`` or ``score(text, names)`` re-ranks the
   candidates: a score from 0 to 100 and ``why`` (each query word, the name part it matched,
   the script, and whether exactly, by sound or by a similar spelling), which the screens put
   into words.

Example::

    from ponleu.registry.names import PersonNames, index_keys, query_keys, rank

    dara = PersonNames(family_km="សុខ", given_km="ដារ៉ា")      # registered in Khmer only
    stored = index_keys(dara)                                   # {"p:s*k.t*r*", "t:s*k", ...}
    keys = query_keys("Sokh Darah")                             # Latin query
    assert set(keys.exact) & stored                             # → candidate
    [(person_id, match)] = rank("Sokh Darah", [(42, dara)])
    match.score                                                 # 100.0
    match.why[0]                                                # Reason(word="Sokh", role="family",
                                                                #   script="romanised", kind="phonetic", ...)

"Sok Dara", "sokh darah", "Dara Sok", "សុខ ដារ៉ា", "សុខដារ៉ា" and "សុខ​ ដារ៉ា" (zero-width
space) all find and score that person at 100.

How many candidates to expect: ``bench/name_recall.py`` draws synthetic
people from the demo name lists (~60 family and ~150 given names, so namesakes are many) and
searches for generated spelling variants. Per two-word query, mean (p95):

=========  ===========  ==========  ==========================================
people     exact tier   all keys    fuzzy tier only if < 10 perfect matches
=========  ===========  ==========  ==========================================
20,000     21 (80)      70 (210)    58 (190)
100,000    94 (320)     320 (940)   150 (510)
=========  ===========  ==========  ==========================================

Candidates grow with the number of people sharing a name, so at 1,000,000 people drawn from the
same names expect about ten times the 100,000 figures. Fetch the exact tier first, the fuzzy tier
only when the exact one gives fewer than a page of perfect matches (people it adds cannot outrank
those), and cap each fetch at a few thousand. A one-word query ("Dara") matches everyone with
that name and needs such a cap too. Ranking costs roughly 10–40 µs per candidate in Python
(namesakes are scored once).

Modules: ``khmer`` (Khmer normalisation), ``latin`` (Latin folding and phonetic keys),
``romanise`` (rule-based Khmer→Latin), ``spellings`` (usual spellings of frequent names),
``transliterate`` (table first, then rules), ``forms`` (names and queries as comparable forms),
``scoring`` (score, rank, reasons), ``keys`` (index and query keys), ``variants`` (spelling
variants for tests and benchmarks).
"""

from .forms import PersonNames, Query, parse_query
from .keys import KEY_MAX_LENGTH, QueryKeys, index_keys, query_keys, search_text
from .khmer import has_khmer, khmer_compact, normalise_khmer
from .latin import fold_latin, phonetic_key
from .romanise import romanise
from .scoring import Match, Reason, as_person, rank, score
from .transliterate import latin_spellings

__all__ = [
    "KEY_MAX_LENGTH",
    "Match",
    "PersonNames",
    "Query",
    "QueryKeys",
    "Reason",
    "as_person",
    "fold_latin",
    "has_khmer",
    "index_keys",
    "khmer_compact",
    "latin_spellings",
    "normalise_khmer",
    "parse_query",
    "phonetic_key",
    "query_keys",
    "rank",
    "romanise",
    "score",
    "search_text",
]
