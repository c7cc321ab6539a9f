"""Common Khmer personal names with their usual romanisations, for synthetic people.

Drawn from the names engine's one list (``ponleu/registry/names/data/khmer_names.txt``, read by
``registry.names.namelist``): the demo reads it and never adds to it. Family name first, as in
Khmer. Every combination is fictional: these are common names, not individuals.

``FAMILY_NAMES``, ``GIVEN_NAMES_FEMALE``, ``GIVEN_NAMES_MALE`` and ``NICKNAMES`` are lists of
(Khmer, usual Latin) pairs; ``ROMANISATIONS`` maps each Khmer spelling to all its Latin spellings.
"""

from __future__ import annotations

from ponleu.registry.names import namelist

FAMILY_NAMES = [(khmer, latin[0]) for khmer, latin in namelist.entries(namelist.FAMILY)]
GIVEN_NAMES_FEMALE = [(khmer, latin[0]) for khmer, latin in namelist.entries(namelist.FEMALE)]
GIVEN_NAMES_MALE = [(khmer, latin[0]) for khmer, latin in namelist.entries(namelist.MALE)]
NICKNAMES = [(khmer, latin[0]) for khmer, latin in namelist.entries(namelist.NICKNAME)]

ROMANISATIONS: dict[str, tuple[str, ...]] = {}
for _khmer, _latin in namelist.entries(namelist.FAMILY, namelist.FEMALE, namelist.MALE, namelist.NICKNAME):
    ROMANISATIONS.setdefault(_khmer, _latin)
