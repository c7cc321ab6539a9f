"""Recall of name search on generated spelling variants, in pure Python (no database).

Builds a synthetic population from the demo name lists (some people registered in Khmer only,
some in Latin only, most in both, Latin names in any usual spelling, some nicknames), indexes it
with ``index_keys`` in a dictionary, then searches for generated variants of randomly chosen
people: candidates are the people holding any of ``query_keys``, ranked with ``score``. A query
counts as found when the true person is in the top 10.

Ties are common and unavoidable (a population of 20,000 drawn from ~60 family and ~150 given
names has dozens of people called Sok Dara), so a person's rank is 1 + the number of candidates
scoring strictly higher; the figure with ties broken against the true person is printed as well.

    .venv/bin/python bench/name_recall.py [--people 20000] [--queries 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ponleu.demo import names as demo_names  # noqa: E402
from ponleu.registry.names.forms import PersonNames  # noqa: E402
from ponleu.registry.names.keys import index_keys, query_keys  # noqa: E402
from ponleu.registry.names.scoring import rank  # noqa: E402
from ponleu.registry.names.transliterate import rules_only  # noqa: E402
from ponleu.registry.names.variants import SampleName, spelling_variant  # noqa: E402

TOP = 10


@dataclass
class Person:
    names: PersonNames
    sample: SampleName


@dataclass
class Report:
    people: int
    queries: int
    found: int = 0
    found_ties_against: int = 0
    candidates: list[int] = field(default_factory=list)
    exact_candidates: list[int] = field(default_factory=list)
    tiered_candidates: list[int] = field(default_factory=list)
    query_key_counts: list[int] = field(default_factory=list)
    keys_per_person: float = 0.0
    seconds_per_query: float = 0.0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.queries if self.queries else 0.0

    @property
    def recall_ties_against(self) -> float:
        return self.found_ties_against / self.queries if self.queries else 0.0


def _weights(count: int, flatness: int) -> list[float]:
    # A few names are much commoner than the rest, as in any population.
    return [1 / (rank + flatness) for rank in range(count)]


def _latin(rng: random.Random, spellings: tuple[str, ...]) -> str:
    return rng.choices(spellings, weights=[4, 2, 1][: len(spellings)])[0]


def _tiered(keys, index: dict[str, list[int]], scores: dict[int, float]) -> int:
    """Candidates fetched when the fuzzy tier is looked up only if the exact tier gives fewer
    than ``TOP`` perfect matches (people it would add cannot outrank those)."""
    exact = {number for key in keys.exact for number in index.get(key, ())}
    perfect = sum(1 for number in exact if scores[number] >= 100)
    return len(exact) if perfect >= TOP else len(scores)


def population(count: int, *, seed: int) -> list[Person]:
    """``count`` synthetic people drawn from the demo name lists (deterministic for a seed)."""
    rng = random.Random(seed)
    spellings = demo_names.ROMANISATIONS
    families = [km for km, _ in demo_names.FAMILY_NAMES]
    female = [km for km, _ in demo_names.GIVEN_NAMES_FEMALE]
    male = [km for km, _ in demo_names.GIVEN_NAMES_MALE]
    family_weights, given_weights = _weights(len(families), 8), _weights(len(female), 15)
    people = []
    for _ in range(count):
        family = rng.choices(families, family_weights)[0]
        given = rng.choices(rng.choice((female, male)), given_weights)[0]
        sample = SampleName(family, given, spellings[family], spellings[given])
        script = rng.random()
        khmer = script < 0.85
        latin = script < 0.55 or script >= 0.85
        nickname = ""
        if rng.random() < 0.15:
            nick_km, nick_latin = rng.choice(demo_names.NICKNAMES)
            nickname = nick_km if khmer and rng.random() < 0.5 else nick_latin
        names = PersonNames(
            family_km=family if khmer else "",
            given_km=given if khmer else "",
            family_latin=_latin(rng, spellings[family]) if latin else "",
            given_latin=_latin(rng, spellings[given]) if latin else "",
            nickname=nickname,
        )
        people.append(Person(names, sample))
    return people


@contextmanager
def _mode(table: bool) -> Iterator[None]:
    """With or without the table of usual spellings."""
    if table:
        yield
    else:
        with rules_only():
            yield


def evaluate(*, people: int = 20_000, queries: int = 2_000, seed: int = 7, table: bool = True) -> Report:
    """Search for ``queries`` generated variants among ``people`` synthetic people."""
    with _mode(table):
        crowd = population(people, seed=seed)
        index: dict[str, list[int]] = defaultdict(list)
        key_count = 0
        for number, person in enumerate(crowd):
            keys = index_keys(person.names)
            key_count += len(keys)
            for key in keys:
                index[key].append(number)
        report = Report(people=people, queries=queries, keys_per_person=key_count / max(people, 1))
        rng = random.Random(seed + 1)
        started = time.perf_counter()
        for _ in range(queries):
            target = rng.randrange(people)
            variant = spelling_variant(crowd[target].sample, rng)
            keys = query_keys(variant.text)
            found = set()
            for key in keys.exact:
                found.update(index.get(key, ()))
            report.exact_candidates.append(len(found))
            for key in keys.fuzzy:
                found.update(index.get(key, ()))
            report.candidates.append(len(found))
            report.query_key_counts.append(len(keys))
            ranked = rank(variant.text, [(number, crowd[number].names) for number in found], limit=len(found))
            scores = {number: match.score for number, match in ranked}
            report.tiered_candidates.append(_tiered(keys, index, scores))
            mine = scores.get(target)
            higher = sum(1 for value in scores.values() if mine is None or value > mine)
            tied = sum(1 for number, value in scores.items() if value == mine and number != target)
            hit = mine is not None and higher < TOP
            report.found += hit
            report.found_ties_against += mine is not None and higher + tied < TOP
            for kind in variant.kinds or ("plain",):
                report.by_kind[kind][0] += hit
                report.by_kind[kind][1] += 1
            if not hit and len(report.misses) < 25:
                report.misses.append((variant.text, str(crowd[target].names), higher if mine else -1))
        report.seconds_per_query = (time.perf_counter() - started) / max(queries, 1)
    return report


def namesakes(crowd: list[Person]) -> float:
    """Average number of other people with the same family and given name as a person."""
    counts = Counter((p.sample.family_km, p.sample.given_km) for p in crowd)
    return sum(c * (c - 1) for c in counts.values()) / max(len(crowd), 1)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _spread(values: list[int]) -> str:
    values = sorted(values) or [0]
    p95 = values[int(0.95 * (len(values) - 1))]
    return f"mean {statistics.mean(values):.0f}, median {statistics.median(values):.0f}, p95 {p95}, max {values[-1]}"


def print_report(title: str, report: Report) -> None:
    _say(f"\n{title}")
    _say(
        f"  people {report.people:,}, queries {report.queries:,}, index keys per person {report.keys_per_person:.1f}"
    )
    _say(
        f"  recall@{TOP}: {report.recall:.3f} (ties broken against the true person: {report.recall_ties_against:.3f})"
    )
    _say(f"  keys per query: {_spread(report.query_key_counts)}")
    _say(f"  candidates per query, exact keys: {_spread(report.exact_candidates)}")
    _say(f"  candidates per query, all keys:   {_spread(report.candidates)}")
    _say(f"  candidates per query, fuzzy tier only when needed: {_spread(report.tiered_candidates)}")
    _say(f"  pure-Python keys + ranking per query: {report.seconds_per_query * 1000:.1f} ms")
    for kind, (hit, total) in sorted(report.by_kind.items()):
        _say(f"    {kind:<14} {hit / total:.3f}  ({total})")
    for text, names, higher in report.misses[:10]:
        _say(f"    missed {text!r} for {names} (rank above: {higher})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    crowd = population(args.people, seed=args.seed)
    _say(f"Average namesakes per person (same Khmer family and given name): {namesakes(crowd):.1f}")
    for title, table in (
        ("With the table of usual spellings", True),
        ("Without the table (rule-based romaniser; no known-name cuts or spelling equivalence)", False),
    ):
        print_report(title, evaluate(people=args.people, queries=args.queries, seed=args.seed, table=table))


if __name__ == "__main__":
    main()
