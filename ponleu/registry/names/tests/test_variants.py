"""The spelling-variant generator: deterministic, and each kind does what it says."""

import random

from ponleu.registry.names import variants as v
from ponleu.registry.names.forms import PersonNames
from ponleu.registry.names.keys import index_keys, query_keys
from ponleu.registry.names.khmer import normalise_khmer

SOK_DARA = v.SampleName("សុខ", "ដារ៉ា", ("Sok", "Sokh"), ("Dara", "Darah"))
STREY = v.SampleName("ស្រី", "ស្ត្រី", ("Srey",), ("Strey",))


def test_same_seed_same_variants():
    assert v.spelling_variants(SOK_DARA, seed=3, count=20) == v.spelling_variants(SOK_DARA, seed=3, count=20)
    assert v.spelling_variants(SOK_DARA, seed=3, count=20) != v.spelling_variants(SOK_DARA, seed=4, count=20)


def test_each_kind_changes_what_it_names():
    rng = random.Random(1)
    assert v.latin_variant(SOK_DARA, rng, (v.SWAPPED,)).text.split()[0] in ("Dara", "Darah")
    assert "\u200b" in v.latin_variant(SOK_DARA, rng, (v.ZERO_WIDTH,)).text
    assert " " not in v.latin_variant(SOK_DARA, rng, (v.NO_SPACE,)).text
    assert v.latin_variant(SOK_DARA, rng, (v.CASE,)).text in (
        "SOK DARA",
        "sok dara",
        "SOKH DARA",
        "sok darah",
        "SOK DARAH",
        "sokh dara",
        "SOKH DARAH",
        "sokh darah",
    )
    typo = v.latin_variant(SOK_DARA, rng, (v.TYPO,)).text
    assert typo.lower() not in ("sok dara", "sokh dara", "sok darah", "sokh darah")


def test_khmer_typing_order_variants_differ_in_code_points_but_not_in_key():
    rng = random.Random(2)
    variant = v.khmer_variant(STREY, rng, (v.TYPING_ORDER,))
    assert variant.text != "ស្រី ស្ត្រី"
    assert normalise_khmer(variant.text) == normalise_khmer("ស្រី ស្ត្រី")
    assert v.KHMER in variant.kinds


def test_variants_other_than_typos_all_meet_the_exact_keys():
    stored = index_keys(PersonNames(family_km="សុខ", given_km="ដារ៉ា"))
    for variant in v.spelling_variants(SOK_DARA, seed=11, count=200):
        if v.TYPO not in variant.kinds:
            assert set(query_keys(variant.text).exact) & stored, variant
