"""The three ways a true match used to be missed: never fetched, cut by a fixed threshold, and
outranked. Names from the tuning part of the real-sources set (bench/data/names)."""

from ponleu.registry.names import PersonNames, index_keys, query_keys, score
from ponleu.registry.names.fetch import EXACT_PATH, FUZZY_PATH, SKELETON_PATH, fetch_plan
from ponleu.registry.names.ranking import LONG_FLOOR, SHORT_FLOOR, floor, shown, threshold
from ponleu.registry.names.romanise import romanise

# Syllables cut another way in Latin than in Khmer (គង-នយ written "Kong Noy"), and an older
# spelling of a long given name: no exact or one-edit key meets, the consonant skeletons do.
SPLIT_DIFFERENTLY = [
    ("Ouk Kong Noy", PersonNames(family_km="ឱក", given_km="គងនយ")),
    ("Ieng Odongk Maechay", PersonNames(family_km="អៀង", given_km="ឧដុង្គម៉ែជ័យ")),
    ("ឱក គងនយ", PersonNames(family_latin="Ouk", given_latin="Kong Noy")),
]


def test_the_skeleton_path_fetches_what_the_key_tiers_miss():
    for text, person in SPLIT_DIFFERENTLY:
        keys, stored = query_keys(text), index_keys(person)
        assert not set(keys.exact) & stored, text
        assert not set(keys.fuzzy) & stored, text
        assert set(keys.skeleton) & stored, text
        assert score(text, person).score >= 85, text  # the scorer would rank it first


def test_later_paths_are_skipped_once_a_page_of_perfect_matches_is_in_hand():
    few = [path for path, _keys in fetch_plan("Ouk Kong Noy", lambda: {}, 10)]
    assert few == [EXACT_PATH, SKELETON_PATH, FUZZY_PATH]
    perfect = {n: 100.0 for n in range(10)}
    assert [path for path, _keys in fetch_plan("Ouk Kong Noy", lambda: perfect, 10)] == [EXACT_PATH]


def test_the_romaniser_reads_the_syllables_that_hid_place_like_names():
    # ាំង is "ang"/"eang", not "amnga"; a pair heard together after a written vowel starts
    # the next syllable; ហ over a sonorant is silent.
    assert romanise("ត្រពាំងពពេល") == "trapeangpapel"
    assert romanise("ទួលក្រសាំង") == "tuolkrasang"
    assert romanise("ដីឆ្នាំង") == "deychhnang"
    assert romanise("ហ្មសែត") == "masaet"


def test_a_long_query_keeps_a_true_match_the_fixed_70_cut_would_have_lost():
    # The King's name typed in Khmer against a Latin-only record scored just under 70 while the
    # romaniser wrote the inherent vowel only as "a" (narotam); written "o" too (norotom), it
    # meets Norodom, and it is shown whatever the floor.
    text, person = "នរោត្តម សីហមុនី", PersonNames(family_latin="Norodom", given_latin="Sihamoni")
    value = score(text, person).score
    assert value >= 85
    assert LONG_FLOOR < 70
    assert shown(text, {"king": value}, limit=10) == [("king", value)]


def test_a_short_query_still_needs_a_close_match():
    assert floor("Sok") == SHORT_FLOOR
    assert shown("Sok", {"noise": 65.0}, limit=10) == []
    assert floor("Norodom Sihamoni") < floor("Sok Dara") < SHORT_FLOOR


def test_the_bar_rises_with_the_best_hit():
    assert threshold("Norodom Sihamoni", 100.0) == 70.0
    assert shown("Norodom Sihamoni", {"a": 100.0, "b": 69.0, "c": 71.0}, limit=10) == [
        ("a", 100.0),
        ("c", 71.0),
    ]
