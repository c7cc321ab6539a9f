"""Khmer to Latin: the rule-based romaniser, the table of usual spellings, and cutting names."""

import pytest

from ponleu.registry.names import namelist
from ponleu.registry.names.latin import fold_latin, phonetic_key
from ponleu.registry.names.romanise import romanise, romanise_word
from ponleu.registry.names.spellings import SPELLINGS
from ponleu.registry.names.transliterate import (
    canonical_key,
    latin_spellings,
    rules_only,
    split_name,
    split_spelling,
)

ROMANISATIONS = namelist.romanisations()


@pytest.mark.parametrize(
    ("khmer", "latin"),
    [
        ("សុខ", "sok"),
        ("ដារ៉ា", "dara"),
        ("សុភា", "sophea"),
        ("ស្រីនាង", "sreyneang"),
        ("ចាន់", "chan"),
        ("ព្រំ", "prum"),
        ("ប្រាក់", "prak"),
        ("ពៅ", "pov"),
        ("ម៉ៅ", "mao"),
        ("អ៊ុក", "uk"),
        ("នួន", "nuon"),
        ("សុផល", "sophal"),
        ("ចន្ថា", "chantha"),
        ("សម្បត្តិ", "sambat"),
        ("ពិសិដ្ឋ", "piseth"),
        ("វិចិត្រ", "vichet"),
        ("ស្រីល័ក្ខ", "sreyleak"),
        ("សុខលី", "sokli"),
        ("នីមល", "nimol"),
        ("វណ្ណា", "vana"),
        ("រតនា", "ratana"),
        ("ចន្ទ្រា", "chantrea"),
    ],
)
def test_romaniser_spells_names_the_usual_way(khmer, latin):
    assert romanise_word(khmer) == latin


def test_romanise_keeps_words_apart_and_latin_as_is():
    assert romanise("សុខ  ដារ៉ា") == "sok dara"
    assert romanise("សុខ Dara") == "sok dara"


def _phonetics(spellings):
    return {phonetic_key(fold_latin(s).replace(" ", "")) for s in spellings}


def test_romaniser_alone_meets_a_usual_spelling_of_every_demo_name():
    # The romaniser without the table: its phonetic key is that of one of the usual spellings
    # for every demo name, and its folded key is one of them for most.
    with rules_only():
        romanised = {khmer: latin_spellings(khmer)[0] for khmer in ROMANISATIONS}
    phonetic_misses = [
        k for k, r in romanised.items() if _phonetics([r]).isdisjoint(_phonetics(ROMANISATIONS[k]))
    ]
    folded_hits = [
        k
        for k, r in romanised.items()
        if fold_latin(r) in {fold_latin(s).replace(" ", "") for s in ROMANISATIONS[k]}
    ]
    assert phonetic_misses == []
    assert len(folded_hits) >= 0.85 * len(ROMANISATIONS)


def test_table_comes_first():
    assert latin_spellings("សុខ") == ("sok", "sokh")
    assert "dara" in latin_spellings("តារា")
    with rules_only():
        assert latin_spellings("តារា") == (romanise_word("តារា"),)


def test_compounds_are_spelled_from_their_known_parts():
    # ស្រីលីន is not in the table; ស្រី is.
    assert "ស្រីលីន" not in SPELLINGS
    assert latin_spellings("ស្រីលីន")[0] == "sreylin"


def test_a_name_typed_without_a_space_is_cut_into_known_names():
    assert split_name("សុខដារ៉ា") == ["សុខ", "ដារ៉ា"]
    assert split_name("ស្រីពៅ") == ["ស្រីពៅ"]  # a given name of its own
    assert split_spelling("sokdara") == ["sok", "dara"]
    assert split_spelling("lisreymeas") == ["li", "srey", "meas"]
    assert split_spelling("sokha") == ["sokha"]
    assert split_spelling("xyzabc") == ["xyzabc"]


def test_spellings_of_one_name_share_a_key_but_shared_spellings_do_not():
    assert canonical_key("rotana") == canonical_key("ratana")
    assert canonical_key("vichit") == canonical_key("vichet")
    # Dara spells ដារ៉ា and តារា, so it stays itself and Tara stays apart.
    assert canonical_key("dara") == "dara"
    assert canonical_key("tara") != canonical_key("dara")


def test_a_word_outside_the_table_is_also_spelled_with_its_inherent_vowels_as_o():
    assert latin_spellings("នរោត្តម") == ("narotam", "norotom")  # Norodom
    assert latin_spellings("នគរ") == ("nakor", "nokor")
    with rules_only():
        assert latin_spellings("សុភា") == ("sophea",)  # no inherent vowel: one spelling
