"""Khmer keys: one key for every way of typing the same visible name."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ponleu.registry.names import namelist
from ponleu.registry.names.khmer import has_khmer, khmer_compact, normalise_khmer
from ponleu.registry.names.variants import _KHMER_ENCODINGS

ROMANISATIONS = namelist.romanisations()

KHMER_TEXT = st.text(
    alphabet=[chr(c) for c in range(0x1780, 0x17DE)]
    + [" ", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
    max_size=16,
)
INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])


def test_equivalent_typing_orders_give_one_key():
    assert normalise_khmer("ខ្ញំុ") == normalise_khmer("ខ្ញុំ")
    assert normalise_khmer("ស្រ្តី") == normalise_khmer("ស្ត្រី")
    assert normalise_khmer("កណ្ដាល") == normalise_khmer("កណ្តាល")
    assert normalise_khmer("ឲ្យ") == normalise_khmer("ឱ្យ")
    assert normalise_khmer("រា៉") == normalise_khmer("រ៉ា")


def test_invisible_characters_spaces_and_digits():
    assert normalise_khmer("សុខ\u200b  ដារ៉ា\ufeff ") == "សុខ ដារ៉ា"
    assert normalise_khmer("ភូមិ ១២") == "ភូមិ 12"
    assert khmer_compact(" សុខ \u200bដារ៉ា") == "សុខដារ៉ា"


def test_latin_text_is_kept_as_written():
    assert normalise_khmer("Sok  Dara") == "Sok Dara"
    assert not has_khmer("Sok Dara 12")
    assert has_khmer("Sok ដារ៉ា")


@settings(max_examples=300, deadline=None)
@given(KHMER_TEXT)
def test_normalising_is_idempotent(text):
    once = normalise_khmer(text)
    assert normalise_khmer(once) == once


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(ROMANISATIONS)), st.data())
def test_invisible_characters_anywhere_do_not_change_the_key(name, data):
    at = data.draw(st.integers(min_value=0, max_value=len(name)))
    typed = name[:at] + data.draw(INVISIBLE) + name[at:]
    assert normalise_khmer(typed) == normalise_khmer(name)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(ROMANISATIONS)), st.sampled_from(_KHMER_ENCODINGS))
def test_other_typing_orders_of_the_demo_names_give_their_key(name, encoding):
    canonical, other = encoding
    normal = normalise_khmer(name)
    assert normalise_khmer(normal.replace(canonical, other)) == normal


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=[chr(c) for c in range(0x1780, 0x17A3)], max_size=8))
def test_sign_order_inside_a_syllable_does_not_matter(text):
    # After any consonants, a consonant with vowel sign u and nikahit in either order (ុំ / ំុ).
    assert normalise_khmer(text + "ក\u17bb\u17c6") == normalise_khmer(text + "ក\u17c6\u17bb")


CONSONANT = st.sampled_from([chr(c) for c in range(0x1780, 0x17A3) if chr(c) != "រ"])
VOWEL = st.sampled_from(["", *(chr(c) for c in range(0x17B6, 0x17C6))])


@settings(max_examples=300, deadline=None)
@given(CONSONANT, CONSONANT, VOWEL)
def test_coeng_ro_typed_first_or_last_gives_one_key(head, sub, vowel):
    assert normalise_khmer(f"{head}្{sub}្រ{vowel}") == normalise_khmer(f"{head}្រ្{sub}{vowel}")


@settings(max_examples=300, deadline=None)
@given(CONSONANT, VOWEL)
def test_coeng_da_and_coeng_ta_give_one_key(head, vowel):
    assert normalise_khmer(f"{head}្ដ{vowel}") == normalise_khmer(f"{head}្ត{vowel}")
