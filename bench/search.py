"""Registry name search at scale: latency and recall on real Khmer–Latin pairs and generated variants.

    .venv/bin/python bench/search.py                                   # SQLite, 20,000 people
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/ponleu_bench_names
                                                                       # PostgreSQL, 1,000,000 people
    .venv/bin/python bench/search.py --people 50000 --queries 300

Besides the generated people, the held-out part of the real-sources set (``bench/real_names.py``)
is registered in three disjoint thirds: in Khmer only (searched in Latin: K→L), in Latin only
(searched in Khmer: L→K, and in another Latin spelling in use: L→L), and in both (searched
given name first in lower case: swapped, and with one typing mistake: typos), one person per
Khmer spelling (a place name's gazetteer and UNGEGN spellings are both searched for it). Recall@1
and recall@10 by direction with 95% Wilson intervals, a tie counting against the person unless
the other hit has the very same names; then the generated variants as before. ``--part tuning``
registers the tuning part instead and ``--misses N`` lists its misses (never the held-out part's).

Builds N synthetic people in one organisation (names drawn from the demo name lists with
realistic frequencies by ``bench/name_recall.py``'s ``population``: some registered in Khmer only,
some in Latin only, most in both, Latin names in any usual spelling), their search keys, then
times ``person_search`` (the selector behind the search box and ``GET /api/v1/people?q=``: key
lookup scoped to the actor, re-ranking by the names engine, and the access event it writes) for
spelling variants made by the names engine's generator (other romanisations, doubled or dropped
letters, final h, names swapped, case, no space, typos, Khmer typing orders, zero-width spaces).

Recall@10: a query is found when fewer than 10 returned hits score strictly higher than the true
person (ties count for the person, as in ``bench/name_recall.py``: a name cannot tell apart
the dozens of children called Sok Dara in a million); "strict" counts only the true person
among the 10 returned. The database is reused when it already holds N bench people.

Targets: p95 <= 50 ms on PostgreSQL at 1,000,000 people; on the held-out real names recall@10
>= 0.98 in both cross-script directions and recall@1 >= 0.90.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT_NAME = "bench-search"
TOP = 10
REAL_THIRDS = ("khmer", "latin", "both")


def _configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PONLEU_MODE", "development")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
    os.environ.setdefault("PONLEU_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()


def _keys(names) -> list[str]:
    from ponleu.registry.names import index_keys

    return sorted(index_keys(names))


def _world():
    """The bench organisation, a village list and an actor who sees the whole organisation."""
    from django.core.management import call_command

    from ponleu.access.actors import actor_for_membership
    from ponleu.accounts.models import User
    from ponleu.geography.models import AdminUnit
    from ponleu.organisations.choices import Role
    from ponleu.organisations.models import Membership, Organisation

    if not AdminUnit.objects.filter(level="village").exists():
        call_command("gazetteer", "load", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(
        short_name=SHORT_NAME, defaults={"name_km": "អង្គការសាកល្បង", "name_en": "Search bench (synthetic)"}
    )
    user, _ = User.objects.get_or_create(username="bench-dpo", defaults={"full_name": "Bench"})
    # The data protection officer sees every record of the organisation: the widest search.
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Role.DPO}
    )
    villages = list(
        AdminUnit.objects.filter(level="village", code__startswith="02")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return organisation, actor_for_membership(membership, is_verified=True), villages


def person_id(index: int) -> uuid.UUID:
    """The id of the crowd's person number ``index`` (deterministic, so a run can reuse a build)."""
    return uuid.UUID(int=(0xBE9C << 96) | index, version=4)


def _person_rows(crowd, first: int, organisation, villages, rng, now):
    from ponleu.registry.models import Person

    today = now.date()
    rows = []
    for offset, entry in enumerate(crowd):
        n = entry.names
        village = rng.choice(villages)
        rows.append(
            Person(
                id=person_id(first + offset),
                created_at=now,
                updated_at=now,
                organisation_id=organisation.pk,
                village_id=village,
                area_code=village,
                kind="child",
                family_name_km=n.family_km,
                given_name_km=n.given_km,
                family_name_latin=n.family_latin,
                given_name_latin=n.given_latin,
                nickname=n.nickname,
                sex=rng.choice("FM"),
                date_of_birth=today - dt.timedelta(days=rng.randint(0, 17 * 365)),
                languages=["km"],
            )
        )
    return rows


def _copy(connection, model, objects, fields) -> None:
    """PostgreSQL COPY of model instances (much faster than INSERT for millions of rows)."""
    columns = [model._meta.get_field(name) for name in fields]
    table = model._meta.db_table
    names = ", ".join(f'"{c.column}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for obj in objects:
            values = []
            for column in columns:
                value = getattr(obj, column.attname)
                if column.get_internal_type() == "JSONField":
                    value = json.dumps(value)
                else:
                    value = column.get_db_prep_save(value, connection)
                values.append(value)
            copy.write_row(values)


PERSON_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "version",
    "organisation",
    "village",
    "area_code",
    "kind",
    "family_name_km",
    "given_name_km",
    "family_name_latin",
    "given_name_latin",
    "nickname",
    "sex",
    "date_of_birth",
    "date_of_birth_precision",
    "languages",
    "photo",
    "is_sensitive",
)
KEY_FIELDS = ("person", "organisation", "area_code", "key")


class _Entry:
    """A crowd member as ``_person_rows`` reads it."""

    def __init__(self, names, sample=None):
        self.names, self.sample = names, sample


PART = "held-out"  # or "tuning" (--part), to look at misses without touching the held-out part


def real_people() -> list[tuple[str, tuple, object]]:
    """(third, real names, names as registered) for the held-out part, in three disjoint thirds.

    One person per Khmer spelling: the set lists a place name once with the gazetteer's
    romanisation and again with its UNGEGN one; both are spellings in use of one name, so they
    are searched for the same person instead of registering the name twice."""
    sys.path.insert(0, str(ROOT / "bench"))
    import real_names

    from ponleu.registry.names import PersonNames

    tuning, held_out = real_names.split(real_names.load())
    groups: dict[str, list] = {}
    for name in held_out if PART == "held-out" else tuning:
        groups.setdefault(name.khmer, []).append(name)
    people = []
    for number, group in enumerate(groups.values()):
        name = group[0]
        third = REAL_THIRDS[number % 3]
        if third == "khmer":
            names = PersonNames(family_km=name.family_km, given_km=name.given_km)
        elif third == "latin":
            names = PersonNames(family_latin=name.family_latin[0], given_latin=name.given_latin[0])
        else:
            names = PersonNames(name.family_km, name.given_km, name.family_latin[0], name.given_latin[0])
        people.append((third, tuple(group), names))
    return people


def _real_queries(third: str, group: tuple, rng: random.Random) -> list[tuple[str, str]]:
    """The searches for one real person, by direction (the module docstring)."""
    from ponleu.registry.names.variants import _typo

    name = group[0]
    queries = []
    if third == "khmer":
        for entry in group:  # each spelling in use
            queries.append(("K→L", f"{rng.choice(entry.family_latin)} {rng.choice(entry.given_latin)}"))
    elif third == "latin":
        queries.append(("L→K", name.khmer))
        registered = name.latin.casefold()
        others = [
            f"{(name.family_latin[1:] or name.family_latin)[0]} {given}" for given in name.given_latin[1:]
        ]
        if len(name.family_latin) > 1 and not others:
            others.append(f"{name.family_latin[1]} {name.given_latin[0]}")
        others += [entry.latin for entry in group[1:]]
        for text in dict.fromkeys(o for o in others if o.casefold() != registered):
            queries.append(("L→L", text))
    else:
        queries.append(("swapped", f"{name.given_latin[0]} {name.family_latin[0]}".lower()))
        words = name.latin.split()
        i = rng.randrange(len(words))
        words[i] = _typo(rng, words[i])
        queries.append(("typos", " ".join(words)))
    return list(dict.fromkeys(queries))


def build(count: int, *, seed: int, workers: int) -> dict:
    from django.db import connection, transaction
    from name_recall import population

    from ponleu.common import clock
    from ponleu.registry.models import Person, PersonSearchKey

    organisation, actor, villages = _world()
    existing = Person.objects.filter(organisation=organisation).count()
    crowd = population(count, seed=seed)
    crowd += [_Entry(names) for _third, _name, names in real_people()]
    count = len(crowd)
    if existing == count:
        return {"organisation": organisation, "actor": actor, "crowd": crowd, "built": False, "seconds": 0.0}
    started = time.perf_counter()
    with transaction.atomic():
        PersonSearchKey.objects.filter(organisation=organisation).delete()
        Person.objects.filter(organisation=organisation).delete()
    rng = random.Random(seed)
    now = clock.now()
    postgres = connection.vendor == "postgresql"
    chunk = 50_000
    with Pool(workers) as pool:
        for start in range(0, count, chunk):
            part = crowd[start : start + chunk]
            people = _person_rows(part, start, organisation, villages, rng, now)
            key_lists = pool.map(_keys, [entry.names for entry in part], chunksize=500)
            keys = [
                PersonSearchKey(person_id=p.pk, organisation_id=organisation.pk, area_code=p.area_code, key=k)
                for p, ks in zip(people, key_lists, strict=True)
                for k in ks
            ]
            with transaction.atomic():
                if postgres:
                    _copy(connection, Person, people, PERSON_FIELDS)
                    _copy(connection, PersonSearchKey, keys, KEY_FIELDS)
                else:
                    Person.objects.bulk_create(people, batch_size=2000)
                    PersonSearchKey.objects.bulk_create(keys, batch_size=5000)
            done = min(start + chunk, count)
            print(f"  built {done:,} people ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organisation": organisation,
        "actor": actor,
        "crowd": crowd,
        "built": True,
        "seconds": time.perf_counter() - started,
    }


def run_queries(actor, crowd, people_by_index, *, queries: int, seed: int) -> dict:
    from ponleu.registry import matching
    from ponleu.registry.names.variants import spelling_variant
    from ponleu.registry.selectors.search import person_search

    rng = random.Random(seed + 1)
    for _ in range(20):  # warm caches and connections
        target = rng.randrange(len(crowd))
        person_search(actor=actor, query=spelling_variant(crowd[target].sample, rng).text, limit=TOP)
    latencies, found, strict, hits_count = [], 0, 0, []
    by_kind: dict[str, list[int]] = {}
    misses = []
    for _ in range(queries):
        index = rng.randrange(len(crowd))
        variant = spelling_variant(crowd[index].sample, rng)
        started = time.perf_counter()
        hits = person_search(actor=actor, query=variant.text, limit=TOP)
        latencies.append((time.perf_counter() - started) * 1000)
        hits_count.append(len(hits))
        target = people_by_index(index)
        mine, _reasons = matching.score(variant.text, target)
        higher = sum(1 for h in hits if h.score > mine)
        is_found = any(h.person.pk == target.pk for h in hits) or (
            mine >= matching.SHOW_THRESHOLD and higher < TOP and len(hits) >= TOP
        )
        found += is_found
        strict += any(h.person.pk == target.pk for h in hits)
        for kind in variant.kinds or ("plain",):
            by_kind.setdefault(kind, [0, 0])
            by_kind[kind][0] += is_found
            by_kind[kind][1] += 1
        if not is_found and len(misses) < 10:
            misses.append((variant.text, target.display_name(), mine))
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
        "recall_at_10": found / queries,
        "recall_at_10_strict": strict / queries,
        "hits_mean": statistics.mean(hits_count),
        "by_kind": {k: round(v[0] / v[1], 3) for k, v in sorted(by_kind.items())},
        "misses": misses,
    }


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if not total:
        return (0.0, 0.0)
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * (p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5 / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def real_queries(actor, first: int, *, seed: int, misses: int = 0) -> dict:
    """Recall by direction on the held-out real names (see the module docstring)."""
    from ponleu.registry import matching
    from ponleu.registry.selectors.search import person_search

    rng = random.Random(seed)
    by_direction: dict[str, list] = {}
    for offset, (third, group, names) in enumerate(real_people()):
        target = person_id(first + offset)
        for direction, text in _real_queries(third, group, rng):
            started = time.perf_counter()
            hits = person_search(actor=actor, query=text, limit=TOP)
            elapsed = (time.perf_counter() - started) * 1000
            scores = {h.person.pk: h.score for h in hits}
            rank = None
            if target in scores:
                # A namesake with the very same names tied with the person does not count
                # against it (nothing can tell them apart by name); any other tie does.
                mine = scores[target]
                rank = sum(
                    1
                    for h in hits
                    if h.person.pk != target
                    and (h.score > mine or (h.score == mine and matching.names_of(h.person) != names))
                )
            if (rank is None or rank >= 1) and misses and PART == "tuning":
                misses -= 1
                shown = [(h.person.display_name(), h.score) for h in hits[:4]]
                print(f"  {direction} rank {rank}: {text!r} for {names}: {shown}", file=sys.stderr)
            by_direction.setdefault(direction, []).append((rank, elapsed))
    report = {}
    for direction, rows in by_direction.items():
        total = len(rows)
        at1 = sum(1 for rank, _ms in rows if rank is not None and rank < 1)
        at10 = sum(1 for rank, _ms in rows if rank is not None and rank < TOP)
        latencies = sorted(ms for _rank, ms in rows)
        report[direction] = {
            "queries": total,
            "recall_at_1": round(at1 / total, 3),
            "recall_at_1_ci": [round(v, 3) for v in wilson(at1, total)],
            "recall_at_10": round(at10 / total, 3),
            "recall_at_10_ci": [round(v, 3) for v in wilson(at10, total)],
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(0.95 * (total - 1))], 1),
        }
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part", choices=("held-out", "tuning"), default="held-out")
    parser.add_argument("--misses", type=int, default=0, help="list misses (tuning part only)")
    args = parser.parse_args()
    global PART
    PART = args.part
    url = args.database_url or "sqlite:///" + str(Path(tempfile.gettempdir()) / "ponleu-bench-search.sqlite3")
    postgres = url.startswith(("postgres://", "postgresql://"))
    count = args.people or (1_000_000 if postgres else 20_000)
    _configure(url)

    from django.core.management import call_command
    from django.db import connection

    from ponleu.registry.models import Person

    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); people: {count:,}",
        file=sys.stderr,
    )
    built = build(count, seed=args.seed, workers=args.workers)
    organisation = built["organisation"]
    people_cache: dict[int, Person] = {}

    def person_at(index: int) -> Person:
        if index not in people_cache:
            people_cache[index] = Person.objects.get(pk=person_id(index))
        return people_cache[index]

    from ponleu.registry.models import PersonSearchKey

    keys = PersonSearchKey.objects.filter(organisation=organisation).count()
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    real = real_queries(built["actor"], count, seed=args.seed, misses=args.misses)
    for direction, figures in real.items():
        lo1, hi1 = figures["recall_at_1_ci"]
        lo10, hi10 = figures["recall_at_10_ci"]
        print(
            f"  real {direction:<8} n={figures['queries']:>4}  recall@1 {figures['recall_at_1']:.3f} "
            f"[{lo1:.3f}–{hi1:.3f}]  recall@10 {figures['recall_at_10']:.3f} [{lo10:.3f}–{hi10:.3f}]"
            f"  p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms",
            file=sys.stderr,
        )
    crowd = built["crowd"][:count]
    result = run_queries(built["actor"], crowd, person_at, queries=args.queries, seed=args.seed)
    report = {
        "bench": "registry-search",
        "database": connection.vendor,
        "people": count,
        "search_keys": keys,
        "keys_per_person": round(keys / count, 1),
        "queries": args.queries,
        "build_seconds": round(built["seconds"], 1),
        "p50_ms": round(result["p50_ms"], 1),
        "p95_ms": round(result["p95_ms"], 1),
        "max_ms": round(result["max_ms"], 1),
        "recall_at_10": round(result["recall_at_10"], 3),
        "recall_at_10_ci": [
            round(v, 3) for v in wilson(round(result["recall_at_10"] * args.queries), args.queries)
        ],
        "recall_at_10_strict": round(result["recall_at_10_strict"], 3),
        "recall_at_10_strict_ci": [
            round(v, 3) for v in wilson(round(result["recall_at_10_strict"] * args.queries), args.queries)
        ],
        "hits_per_query": round(result["hits_mean"], 1),
        "load_average": float(load),
        "target_p95_ms": 50,
        "target_recall": 0.98,
        "real_held_out": real,
    }
    lo, hi = report["recall_at_10_ci"]
    print(
        f"  generated n={args.queries}  recall@10 {report['recall_at_10']:.3f} [{lo:.3f}–{hi:.3f}]"
        f"  p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms",
        file=sys.stderr,
    )
    print(f"  recall by kind of variant: {result['by_kind']}", file=sys.stderr)
    for text, name, score in result["misses"]:
        print(f"  missed {text!r} for {name} (its score {score})", file=sys.stderr)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
