"""Recall of name search by direction on real Khmer–Latin pairs and on generated variants (no database).

    .venv/bin/python bench/name_recall_real.py                   # held-out part, 20,000 other people
    .venv/bin/python bench/name_recall_real.py --part tuning --misses 20
    .venv/bin/python bench/name_recall_real.py --part generated
    .venv/bin/python bench/name_recall_real.py --mixed     # the part's other names registered too

The people and keys live in a dictionary; candidates are fetched as the registry's selector does
(``registry.names.fetch``: key tiers, a cap per tier, the second path), then ranked by the engine
and cut by its display threshold. Directions:

* ``K→L``: registered in Khmer only, searched in a Latin spelling in use;
* ``L→K``: registered in Latin only, searched in Khmer;
* ``L→L``: registered in one Latin spelling in use, searched in another;
* ``swapped``: registered in both, searched given name first, lower case;
* ``typos``: registered in both, searched in Latin with one typing mistake.

A query is found at k when the true person is shown and fewer than k shown people rank above it;
a namesake with the very same names tied with it does not count against it (nothing can tell
them apart by name), any other tie does. 95% Wilson intervals. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import real_names  # noqa: E402
from name_recall import population  # noqa: E402

from ponleu.registry.names import PersonNames, index_keys  # noqa: E402
from ponleu.registry.names.fetch import PATHS, fetch_plan  # noqa: E402
from ponleu.registry.names.ranking import shown, threshold  # noqa: E402
from ponleu.registry.names.scoring import rank  # noqa: E402
from ponleu.registry.names.variants import _typo, spelling_variant  # noqa: E402

DIRECTIONS = ("K→L", "L→K", "L→L", "swapped", "typos")
CAP = 200  # candidates per fetch, as the selector


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if not total:
        return (0.0, 0.0)
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def stored(name: real_names.RealName, direction: str) -> PersonNames:
    if direction == "K→L":
        return PersonNames(family_km=name.family_km, given_km=name.given_km)
    if direction in ("L→K", "L→L"):
        return PersonNames(family_latin=name.family_latin[0], given_latin=name.given_latin[0])
    return PersonNames(name.family_km, name.given_km, name.family_latin[0], name.given_latin[0])


def query(name: real_names.RealName, direction: str, rng: random.Random) -> str | None:
    if direction == "K→L":
        return f"{rng.choice(name.family_latin)} {rng.choice(name.given_latin)}"
    if direction == "L→K":
        return name.khmer
    if direction == "L→L":
        families, givens = name.family_latin[1:], name.given_latin[1:]
        if not families and not givens:
            return None
        return f"{(families or name.family_latin)[0]} {(givens or name.given_latin)[0]}"
    if direction == "swapped":
        return f"{name.given_latin[0]} {name.family_latin[0]}".lower()
    words = name.latin.split()
    i = rng.randrange(len(words))
    words[i] = _typo(rng, words[i])
    return " ".join(words)


class Index:
    def __init__(self, people: list[PersonNames]):
        self.people = people
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for number, names in enumerate(people):
            for key in index_keys(names):
                self.by_key[key].append(number)

    def lookup(self, keys, cap: int = CAP, exclude=()) -> list[int]:
        """The people sharing most keys, at most ``cap`` (the selector's ``candidate_ids``)."""
        shared: dict[int, int] = defaultdict(int)
        for key in set(keys):
            for number in self.by_key.get(key, ()):
                shared[number] += 1
        for number in exclude:
            shared.pop(number, None)
        return sorted(shared, key=lambda n: (-shared[n], n))[:cap]


def search(index: Index, text: str, limit: int = 10):
    """What the selector does, on the dictionary: (shown hits, candidates fetched by path)."""
    scored: dict[int, float] = {}
    fetched: dict[str, set[int]] = {}

    def score(ids):
        new = [n for n in ids if n not in scored]
        for n, match in rank(text, [(n, index.people[n]) for n in new], limit=len(new)):
            scored[n] = match.score

    for path, keys in fetch_plan(text, lambda: scored, limit):
        ids = index.lookup(keys, exclude=set(scored))
        fetched[path] = set(ids)
        score(ids)
    return shown(text, scored, limit=limit), fetched, scored


MIXED = ("K→L", "L→K", "swapped")  # registered as for these: Khmer only, Latin only, both


def mixed(names, pairs) -> list[PersonNames]:
    """The part's other names, each registered once, a third each in Khmer only, in Latin only
    and in both (as ``bench/search.py`` registers them): a Latin-registered namesake of a place
    name then competes with a Khmer-only person searched in Latin, as in a real registry."""
    taken = {n.khmer for n, _q in pairs}
    others = {n.khmer: n for n in names if n.khmer not in taken}
    return [stored(n, MIXED[i % 3]) for i, n in enumerate(others.values())]


def evaluate(
    names, direction: str, crowd: list[PersonNames], *, queries: int, seed: int, misses: int, crowded=False
):
    rng = random.Random(seed)
    pairs = [(n, q) for n in names if (q := query(n, direction, rng)) is not None]
    rng.shuffle(pairs)
    pairs = pairs[:queries]
    if crowded:
        crowd = crowd + mixed(names, pairs)
    people = crowd + [stored(n, direction) for n, _q in pairs]
    index = Index(people)
    at1 = at10 = 0
    by_path: dict[str, int] = defaultdict(int)
    never_fetched = cut = outranked = 0
    latencies = []
    missed = []
    for offset, (_name, text) in enumerate(pairs):
        target = len(crowd) + offset
        started = time.perf_counter()
        hits, fetched, scored = search(index, text)
        latencies.append(time.perf_counter() - started)
        for path, ids in fetched.items():
            by_path[path] += target in ids
        scores = dict(hits)
        if target not in scores:
            if not any(target in ids for ids in fetched.values()):
                never_fetched += 1
                kind = "never fetched"
            elif scored.get(target, 0.0) < threshold(text, max(scored.values())):
                cut += 1
                kind = "cut"
            else:
                outranked += 1
                kind = "outranked"
            if len(missed) < misses:
                missed.append((kind, text, str(people[target])))
            continue
        mine = scores[target]
        above = sum(
            1 for n, s in hits if n != target and (s > mine or (s == mine and people[n] != people[target]))
        )
        at1 += above < 1
        at10 += above < 10
        if above >= 1:
            outranked += 1
            if len(missed) < misses and above >= 10:
                missed.append(("outranked", text, str(people[target])))
    total = len(pairs)
    latencies.sort()
    return {
        "queries": total,
        "recall_at_1": at1 / total if total else 0.0,
        "recall_at_1_ci": wilson(at1, total),
        "recall_at_10": at10 / total if total else 0.0,
        "recall_at_10_ci": wilson(at10, total),
        "fetched_by_path": {p: by_path[p] for p in PATHS if p in by_path},
        "never_fetched": never_fetched,
        "cut_by_threshold": cut,
        "not_first": outranked,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
        "misses": missed,
    }


def generated(crowd, people_count: int, *, queries: int, seed: int):
    """Recall on the engine's own generated variants, by kind (the figures before this set)."""
    sample = population(people_count, seed=seed)
    index = Index([p.names for p in sample])
    rng = random.Random(seed + 1)
    at1 = at10 = 0
    for _ in range(queries):
        target = rng.randrange(people_count)
        text = spelling_variant(sample[target].sample, rng).text
        hits, _fetched, _scored = search(index, text)
        scores = dict(hits)
        if target not in scores:
            continue
        mine = scores[target]
        names = index.people[target]
        above = sum(
            1 for n, s in hits if n != target and (s > mine or (s == mine and index.people[n] != names))
        )
        at1 += above < 1
        at10 += above < 10
    return {
        "queries": queries,
        "recall_at_1": at1 / queries,
        "recall_at_1_ci": wilson(at1, queries),
        "recall_at_10": at10 / queries,
        "recall_at_10_ci": wilson(at10, queries),
    }


def _line(label: str, result: dict) -> str:
    lo1, hi1 = result["recall_at_1_ci"]
    lo10, hi10 = result["recall_at_10_ci"]
    return (
        f"  {label:<8} n={result['queries']:>5}  recall@1 {result['recall_at_1']:.3f} [{lo1:.3f}–{hi1:.3f}]"
        f"  recall@10 {result['recall_at_10']:.3f} [{lo10:.3f}–{hi10:.3f}]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("held-out", "tuning", "generated"), default="held-out")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--directions", default=",".join(DIRECTIONS))
    parser.add_argument(
        "--mixed", action="store_true", help="also register the part's other names (see ``mixed``)"
    )
    args = parser.parse_args()
    report: dict = {"bench": "names-recall", "part": args.part, "people": args.people}
    if args.part == "generated":
        result = generated(None, args.people, queries=args.queries, seed=args.seed)
        print(_line("generated", result))
        report["generated"] = result
        print(json.dumps(report))
        return 0
    tuning, held_out = real_names.split(real_names.load())
    names = held_out if args.part == "held-out" else tuning
    crowd = [p.names for p in population(args.people, seed=args.seed)]
    for direction in args.directions.split(","):
        result = evaluate(
            names,
            direction,
            crowd,
            queries=args.queries,
            seed=args.seed,
            misses=args.misses,
            crowded=args.mixed,
        )
        print(_line(direction, result))
        print(
            f"           fetched by path {result['fetched_by_path']}; misses: never fetched "
            f"{result['never_fetched']}, cut {result['cut_by_threshold']}; not first {result['not_first']};"
            f" p95 {result['p95_ms']:.1f} ms"
        )
        for kind, text, person in result.pop("misses"):
            print(f"           {kind}: {text!r} for {person}")
        report[direction] = result
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
