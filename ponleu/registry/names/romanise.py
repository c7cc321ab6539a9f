"""Rule-based romanisation of Khmer names, the way Cambodians usually spell them in Latin letters.

Not a scholarly transliteration (no diacritics, no one-to-one mapping): the aim is that a name
typed only in Khmer gets the Latin spelling a caseworker would type for it, close enough that the
Latin keys meet (សុខ → sok, ដារ៉ា → dara, សុភា → sophea, ស្រីនាង → sreyneang, សម្បត្តិ → sambat).

How it reads a word:

1. Split it into written clusters: a base letter with its subscripts (coeng), register shifter,
   vowel and signs.
2. Decide which clusters begin a syllable and which close the previous one. A cluster with a vowel
   begins a syllable. A bare consonant at the end of the word closes the previous syllable; so does
   the upper letter of a subscript pair in the middle of a word (ចន្ថា: chan-tha, សម្បត្តិ: sam-bat).
   A word-final pair with no vowel or a silent short vowel is a Pali/Sanskrit ending (ពិសិដ្ឋ →
   piseth, សុវត្ថិ → sovat).
3. Spell each syllable from its onset, the vowel for the onset's series (1st "a" series or 2nd "o"
   series: ា is "a" after ដ but "ea" after ភ), and its final consonant.

Letters outside Khmer are passed through anyascii.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from .khmer import normalise_khmer

COENG = "\u17d2"
MUUSIKATOAN = "\u17c9"  # ៉ moves a 2nd-series consonant to the 1st series
TRIISAP = "\u17ca"  # ៊ moves a 1st-series consonant to the 2nd series
NIKAHIT = "\u17c6"  # ំ
REAHMUK = "\u17c7"  # ះ
YUUKALEAPINTU = "\u17c8"  # ៈ
BANTOC = "\u17cb"  # ់ shortens the vowel and marks a final
TOANDAKHIAT = "\u17cd"  # ៍ silences its letter
SAMYOK_SANNYA = "\u17d0"  # ័

# consonant: (initial spelling, final spelling, series)
CONSONANTS = {
    "ក": ("k", "k", 1),
    "ខ": ("kh", "k", 1),
    "គ": ("k", "k", 2),
    "ឃ": ("kh", "k", 2),
    "ង": ("ng", "ng", 2),
    "ច": ("ch", "ch", 1),
    "ឆ": ("chh", "ch", 1),
    "ជ": ("ch", "ch", 2),
    "ឈ": ("chh", "ch", 2),
    "ញ": ("nh", "nh", 2),
    "ដ": ("d", "t", 1),
    "ឋ": ("th", "th", 1),
    "ឌ": ("d", "t", 2),
    "ឍ": ("th", "th", 2),
    "ណ": ("n", "n", 1),
    "ត": ("t", "t", 1),
    "ថ": ("th", "th", 1),
    "ទ": ("t", "t", 2),
    "ធ": ("th", "th", 2),
    "ន": ("n", "n", 2),
    "ប": ("b", "p", 1),
    "ផ": ("ph", "p", 1),
    "ព": ("p", "p", 2),
    "ភ": ("ph", "p", 2),
    "ម": ("m", "m", 2),
    "យ": ("y", "y", 2),
    "រ": ("r", "r", 2),
    "ល": ("l", "l", 2),
    "វ": ("v", "v", 2),
    "ឝ": ("s", "s", 1),
    "ឞ": ("s", "s", 1),
    "ស": ("s", "s", 1),
    "ហ": ("h", "h", 1),
    "ឡ": ("l", "l", 1),
    "អ": ("", "", 1),
}
# Subscripts that keep the series of the letter above them (sonorants); others impose their own.
SONORANTS = set("ងញនមយរលវ")
# Word-final subscript pairs whose usual spelling is not just the upper letter's final.
FINAL_PAIRS = {"ដ្ឋ": "th", "ត្ថ": "th", "ទ្ធ": "th", "ឌ្ឍ": "th"}

INDEPENDENT_VOWELS = {
    "ឣ": "a",
    "ឤ": "a",
    "ឥ": "i",
    "ឦ": "ey",
    "ឧ": "ou",
    "ឨ": "ou",
    "ឩ": "ou",
    "ឪ": "ov",
    "ឫ": "reu",
    "ឬ": "reu",
    "ឭ": "leu",
    "ឮ": "leu",
    "ឯ": "ae",
    "ឰ": "ai",
    "ឱ": "ao",
    "ឲ": "ao",
    "ឳ": "au",
}

# dependent vowel (with the signs that change it): (1st series, 2nd series)
VOWELS = {
    "ា": ("a", "ea"),
    "ិ": ("e", "i"),
    "ី": ("ey", "i"),
    "ឹ": ("e", "i"),
    "ឺ": ("eu", "eu"),
    "ុ": ("o", "u"),
    "ូ": ("ou", "ou"),
    "ួ": ("uo", "uo"),
    "ើ": ("aeu", "eu"),
    "ឿ": ("oeu", "oeu"),
    "ៀ": ("ie", "ie"),
    "េ": ("e", "e"),
    "ែ": ("ae", "ae"),
    "ៃ": ("ai", "ey"),
    "ោ": ("o", "o"),
    "ៅ": ("ao", "ov"),
    "ំ": ("am", "um"),
    "ុំ": ("om", "um"),
    "ាំ": ("am", "eam"),
    "ិំ": ("em", "im"),
    "ះ": ("ah", "eah"),
    "ៈ": ("ak", "eak"),
    "័": ("a", "ea"),
}
# The inherent vowel: open syllables are unstressed presyllables in names (ra-ta-na, ma-ka-ra);
# closed ones follow the series (Sam-bath, Chan-tha; Rot-ha, Kon-thea).
INHERENT_OPEN = ("a", "a")
INHERENT_CLOSED = ("a", "o")
# A short vowel after a final pair at the end of a word is not pronounced (សម្បត្តិ, សុវត្ថិ).
SILENT_FINAL_VOWELS = {"ិ", "ុ", ""}


@dataclass
class Cluster:
    """One written cluster: base letter, subscripts, shifter, vowel and signs."""

    base: str
    subs: list[str] = field(default_factory=list)
    shift: str = ""
    vowel: str = ""
    signs: str = ""
    other: str = ""  # anything we do not read, romanised with anyascii

    @property
    def independent(self) -> bool:
        return self.base in INDEPENDENT_VOWELS

    @property
    def nucleus(self) -> str:
        """The vowel together with the signs that change it (ំ, ះ, ៈ, ័)."""
        return self.vowel + "".join(
            s for s in self.signs if s in (NIKAHIT, REAHMUK, YUUKALEAPINTU, SAMYOK_SANNYA)
        )

    @property
    def bare(self) -> bool:
        return not self.nucleus and not self.independent

    @property
    def silent(self) -> bool:
        return TOANDAKHIAT in self.signs


@dataclass
class Syllable:
    onset: str
    series: int
    nucleus: str = ""  # dependent vowel + signs; "" is the inherent vowel
    independent: str = ""  # spelling of an independent vowel
    final: str | None = None  # None: still open

    @property
    def closed(self) -> bool:
        return self.final is not None or any(s in self.nucleus for s in (NIKAHIT, REAHMUK, YUUKALEAPINTU))

    def spell(self, *, first: bool, last: bool, inherent_o: bool = False) -> str:
        if self.final == "ng" and NIKAHIT in self.nucleus:
            # ាំង, ុំង: the nikahit is the nasal the final ង spells (ក្រាំង krang, ពាំង peang).
            plain = Syllable(self.onset, self.series, self.nucleus.replace(NIKAHIT, ""), final="ng")
            return plain.spell(first=first, last=last, inherent_o=inherent_o)
        if self.independent:
            vowel = self.independent
        elif self.series == 2 and self.final == "k" and self.nucleus in ("", SAMYOK_SANNYA):
            vowel = "ea"  # ល័ក្ខ leak, ភក្តី pheak-dey, លក្ខិណា leak-hena
        elif self.nucleus == SAMYOK_SANNYA and self.final == "y":
            return self.onset + "ey"  # ជ័យ chey, ភ័យ phey
        elif self.nucleus == SAMYOK_SANNYA and self.series == 2:
            vowel = "o"  # ស្រីរ័ត្ន srey-roth, សោភ័ណ so-phorn
        elif self.nucleus == "ា" and self.series == 2 and self._plain_final_a(first=first, last=last):
            vowel = "a"
        elif self.nucleus:
            vowel = _vowel(self.nucleus, self.series)
        elif inherent_o:
            vowel = "o"
        else:
            vowel = (INHERENT_CLOSED if self.final else INHERENT_OPEN)[self.series - 1]
        return self.onset + vowel + (self.final or "")

    def _plain_final_a(self, *, first: bool, last: bool) -> bool:
        # ា after a 2nd-series letter is "ea" (សុភា sophea, ជា chea, នាង neang) except after
        # a sonorant at the open end of a longer name (រតនា ratana, មករា makara, តុលា tola)
        # and after យ (ចរិយា chariya, កល្យាណ kalyan).
        if self.onset.endswith("y"):
            return True
        return (
            last and not first and self.final is None and self.onset in ("n", "r", "l", "m", "v", "nh", "ng")
        )


def _vowel(nucleus: str, series: int) -> str:
    if nucleus in VOWELS:
        return VOWELS[nucleus][series - 1]
    # An unusual combination: spell each vowel, then the sound each sign adds.
    vowels = [ch for ch in nucleus if "\u17b6" <= ch <= "\u17c5"]
    spelled = "".join(VOWELS[ch][series - 1] for ch in vowels) or INHERENT_CLOSED[series - 1]
    if NIKAHIT in nucleus:
        spelled += "m"
    if REAHMUK in nucleus:
        spelled += "h"
    return spelled


def parse(word: str) -> list[Cluster]:
    """Written clusters of a normalised Khmer word."""
    clusters: list[Cluster] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in CONSONANTS or ch in INDEPENDENT_VOWELS:
            clusters.append(Cluster(base=ch))
        elif not clusters:
            clusters.append(Cluster(base="", other=ch))
        elif ch == COENG and i + 1 < len(word) and word[i + 1] in CONSONANTS:
            clusters[-1].subs.append(word[i + 1])
            i += 1
        elif ch in (MUUSIKATOAN, TRIISAP):
            clusters[-1].shift = ch
        elif "\u17b6" <= ch <= "\u17c5":
            clusters[-1].vowel += ch
        elif "\u17c6" <= ch <= "\u17dd":
            clusters[-1].signs += ch
        else:
            clusters[-1].other += ch
        i += 1
    return clusters


def _series(letters: list[str], shift: str) -> int:
    if shift == MUUSIKATOAN:
        return 1
    if shift == TRIISAP:
        return 2
    series = CONSONANTS[letters[0]][2] if letters and letters[0] in CONSONANTS else 1
    for sub in letters[1:]:
        if sub not in SONORANTS and sub in CONSONANTS:
            series = CONSONANTS[sub][2]
    return series


def _onset(letters: list[str], shift: str) -> str:
    if letters[0] == "ហ" and len(letters) > 1 and letters[1] in SONORANTS:
        letters = letters[1:]  # ហ្ម, ហ្វ: the ហ only sets the series (ហ្មសែត → masaet)
    spelled = "".join(CONSONANTS[letter][0] for letter in letters)
    # ប is "p" at the head of a cluster (ប្រាក់ → prak) and with the shifter (ប៉ែន → paen).
    if letters[0] == "ប" and (len(letters) > 1 or shift == MUUSIKATOAN):
        return "p" + spelled[1:]
    return spelled


def _begin(syllables: list[Syllable], letters: list[str], cluster: Cluster) -> None:
    syllables.append(
        Syllable(
            onset=_onset(letters, cluster.shift),
            series=_series(letters, cluster.shift),
            nucleus=cluster.nucleus,
        )
    )


def _close(syllable: Syllable, cluster: Cluster, *, word_end: bool = False) -> None:
    pair = cluster.base + "".join(COENG + sub for sub in cluster.subs[:1])
    final = CONSONANTS[cluster.base][1]
    syllable.final = FINAL_PAIRS.get(pair, final) if word_end else final


NASALS = set("ងញណនម")
# A stop written over its own aspirate is one consonant heard at the end of a syllable (ក្ខ, ត្ថ).
ASPIRATE_PAIRS = {"កខ", "គឃ", "ចឆ", "ជឈ", "ដឋ", "ឌឍ", "តថ", "ទធ", "បផ", "ពភ"}


def _initial_cluster(cluster: Cluster) -> bool:
    """True for a pair heard together at the start of a syllable (ក្រ, ខ្វ, ស្ព), false for a
    doubled letter or a nasal or stop that ends the syllable before it (ណ្ណ, ន្ធ, ត្ថ)."""
    upper, lower = cluster.base, cluster.subs[0]
    return not (upper == lower or upper in NASALS or upper + lower in ASPIRATE_PAIRS)


def _nasal_open(syllables: list[Syllable]) -> bool:
    last = syllables[-1] if syllables else None
    return (
        last is not None and last.final is None and last.nucleus.endswith(NIKAHIT) and len(last.nucleus) > 1
    )


def _read(clusters: list[Cluster]) -> list[Syllable]:
    syllables: list[Syllable] = []
    last = len(clusters) - 1
    for i, cluster in enumerate(clusters):
        if cluster.silent or not cluster.base:
            continue
        if cluster.independent:
            syllables.append(Syllable(onset="", series=1, independent=INDEPENDENT_VOWELS[cluster.base]))
            continue
        previous = syllables[-1] if syllables and not syllables[-1].closed else None
        if cluster.base == "ង" and cluster.bare and not cluster.subs and _nasal_open(syllables):
            syllables[-1].final = "ng"  # ាំង: the ង ends the syllable its nikahit began
            continue
        following = clusters[i + 1] if i < last else None
        if cluster.subs:
            ro_onset = cluster.subs == ["រ"] and not (i == last and cluster.bare)
            written_vowel = previous is not None and bool(previous.nucleus or previous.independent)
            if (
                previous is None
                or ro_onset
                or (written_vowel and _initial_cluster(cluster) and cluster.nucleus)
            ):
                # After a written vowel a pair heard together starts the next syllable (ដី-ឆ្នាំង).
                _begin(syllables, [cluster.base, *cluster.subs], cluster)
            elif i == last and cluster.bare and cluster.subs == ["រ"] and not written_vowel:
                _close(previous, cluster)  # after the inherent vowel a final ro is heard: ពង្រ pong-ro
                _begin(syllables, cluster.subs, cluster)
            elif i == last and cluster.nucleus in SILENT_FINAL_VOWELS:
                _close(previous, cluster, word_end=True)  # Pali/Sanskrit ending: ពិសិដ្ឋ, សម្បត្តិ
            else:
                # The upper letter closes the previous syllable, the lower ones start the next;
                # a doubled letter (វណ្ណា, កញ្ញា) is written twice but heard once.
                if cluster.subs[0] != cluster.base:
                    _close(previous, cluster)
                _begin(syllables, cluster.subs, cluster)
        elif not cluster.bare:
            _begin(syllables, [cluster.base], cluster)
        elif previous is not None and (BANTOC in cluster.signs or i == last):
            _close(previous, cluster)
        elif previous is None or following is None:
            _begin(syllables, [cluster.base], cluster)
        elif following.subs and (previous.nucleus or previous.independent) and _initial_cluster(following):
            _close(previous, cluster)  # the next cluster starts a syllable of its own: ទួល-ក្រ, ពាម-ខ្វា
        elif (following.bare and not following.subs and i + 1 == last) or following.subs:
            _begin(syllables, [cluster.base], cluster)  # closed by the next letter: សុ-ផល, ស-ម្ប
        elif previous.nucleus or previous.independent:
            _close(previous, cluster)  # a bare letter after a written vowel ends it: សុខ-លី
        else:
            _begin(syllables, [cluster.base], cluster)  # ra-ta-na, ma-ka-ra
    return syllables


@lru_cache(maxsize=65536)
def romanise_word(word: str, *, inherent_o: bool = False) -> str:
    """One Khmer word (no spaces) in Latin letters, lower case.

    With ``inherent_o`` every inherent vowel is written "o", the other usual way of writing it
    (នរោត្តម narotam and Norodom, នគរ nakar and Nokor, សម Sam and Som)."""
    clusters = parse(normalise_khmer(word).replace(" ", ""))
    syllables = _read(clusters)
    end = len(syllables) - 1
    spelled = "".join(
        s.spell(first=i == 0, last=i == end, inherent_o=inherent_o) for i, s in enumerate(syllables)
    )
    extra = "".join(c.other for c in clusters if c.other)
    return (spelled + anyascii(extra)).lower() if extra else spelled


def romanise_spellings(word: str) -> tuple[str, ...]:
    """The word as ``romanise_word`` spells it, then with its inherent vowels written "o"."""
    return tuple(dict.fromkeys((romanise_word(word), romanise_word(word, inherent_o=True))))


def romanise(text: str) -> str:
    """Khmer text in Latin letters, word by word; Latin words are kept (lower case)."""
    return " ".join(romanise_word(word) for word in normalise_khmer(text).split())
