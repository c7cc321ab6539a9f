"""Directory search by service and commune: p50 and p95 of the real selector over 20,000
providers and the gazetteer's communes (1,652), against a plain indexed lookup timed in the
same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ponleu_bench .venv/bin/python bench/directory_search.py
    .venv/bin/python bench/directory_search.py --providers 5000          # SQLite, smaller

Builds a synthetic directory (bench providers are replaced on each run; nothing else is
touched): most providers serve one to three communes (health centres, schools, commune
committees), some a whole district (district offices, police), a few a whole province
(referral hospitals, shelters, legal aid); each offers one to three services, mostly free,
and one in twenty is no longer active. Then asks ``referrals.selectors.provider_search`` what
a caseworker asks ("a free health service in this child's commune"): a random service and
commune, a third of the queries for free services only, the results read as the directory page
reads them (the first 50, nearest first). The reference is a primary-key lookup of one
provider, timed between the same queries. Target (issue 12): p95 at most 50 ms on PostgreSQL.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from bench_database import open_bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_PREFIX = "bench-directory-"
TARGET_P95_MS = 50.0
BATCH = 2000

# (share of providers, level of the units served, how many units, kinds)
SHAPES = (
    (0.70, "commune", (1, 3), ("health_centre", "school", "ccwc", "ngo_programme")),
    (0.22, "district", (1, 1), ("dosvy", "police", "ngo_programme", "vocational")),
    (0.08, "province", (1, 1), ("referral_hospital", "shelter", "legal_aid", "court")),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pick_shape(draw: float):
    """The shape a draw in [0, 1) falls in, by the shares of ``SHAPES``."""
    for weight, level, counts, kinds in SHAPES:
        if draw < weight:
            return level, counts, kinds
        draw -= weight
    return SHAPES[-1][1:]


def build_directory(count: int, *, seed: int) -> dict:
    """Replace the bench providers with ``count`` new ones; returns the sizes."""
    from django.db import transaction

    from ponleu.geography.models import AdminUnit
    from ponleu.referrals.choices import Cost, ProviderKind, ServiceType
    from ponleu.referrals.models import Provider, ProviderArea, ProviderService

    rng = random.Random(seed)
    units = {
        level: list(AdminUnit.objects.filter(level=level).values_list("code", flat=True))
        for level in ("commune", "district", "province")
    }
    kinds = set(ProviderKind.values)
    services = ServiceType.values
    with transaction.atomic():
        stale = Provider.objects.filter(name_en__startswith=BENCH_PREFIX)
        ProviderService.objects.filter(provider__in=stale).delete()
        ProviderArea.objects.filter(provider__in=stale).delete()
        stale.delete()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        providers, offered, served = [], [], []
        for n in range(made, made + size):
            level, (low, high), shape_kinds = pick_shape(rng.random())
            kind = rng.choice([k for k in shape_kinds if k in kinds] or ["other"])
            area = rng.sample(units[level], rng.randint(low, high))
            provider = Provider(
                kind=kind,
                name_km=f"អ្នកផ្តល់សេវា {n}",
                name_en=f"{BENCH_PREFIX}{n}",
                location_id=area[0] if level == "commune" else None,
                is_active=rng.random() > 0.05,
            )
            providers.append(provider)
            for service in rng.sample(services, rng.randint(1, 3)):
                cost = rng.choices([Cost.FREE, Cost.LOW, Cost.PAID], weights=[6, 3, 1])[0]
                offered.append(ProviderService(provider=provider, service=service, cost=cost))
            served += [ProviderArea(provider=provider, unit_id=code) for code in area]
        with transaction.atomic():
            Provider.objects.bulk_create(providers, batch_size=1000)
            ProviderService.objects.bulk_create(offered, batch_size=2000)
            ProviderArea.objects.bulk_create(served, batch_size=2000)
        made += size
    return {
        "providers": Provider.objects.count(),
        "provider_services": ProviderService.objects.count(),
        "provider_areas": ProviderArea.objects.count(),
        "communes": len(units["commune"]),
        "districts": len(units["district"]),
        "provinces": len(units["province"]),
    }


def analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_provider, referrals_providerservice, referrals_providerarea")


def run_queries(count: int, *, seed: int, explain: bool) -> dict:
    from ponleu.geography.models import AdminUnit
    from ponleu.referrals import selectors
    from ponleu.referrals.choices import Cost, ServiceType
    from ponleu.referrals.models import Provider

    rng = random.Random(seed + 1)
    communes = list(AdminUnit.objects.filter(level="commune").values_list("code", flat=True))
    ids = list(Provider.objects.values_list("pk", flat=True))
    queries = [
        {
            "service": rng.choice(ServiceType.values),
            "commune": rng.choice(communes),
            "cost": Cost.FREE if rng.random() < 1 / 3 else "",
        }
        for _ in range(count)
    ]
    for query in queries[:20]:  # warm the caches and the connection
        selectors.provider_search(**query)
    search_ms, search_cpu_ms, reference_ms, found = [], [], [], []
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        rows = selectors.provider_search(**query)
        search_ms.append((time.perf_counter() - started) * 1000)
        search_cpu_ms.append((time.process_time() - cpu) * 1000)
        found.append(len(rows))
        pk = rng.choice(ids)
        started = time.perf_counter()
        Provider.objects.select_related("location").get(pk=pk)
        reference_ms.append((time.perf_counter() - started) * 1000)
    if explain:
        print_plan(queries[0])
    return {
        "search_ms": search_ms,
        "search_cpu_ms": search_cpu_ms,
        "reference_ms": reference_ms,
        "found": found,
    }


def print_plan(query: dict) -> None:
    """The database's plan of one search (PostgreSQL: EXPLAIN ANALYZE), to see why it is slow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ponleu.referrals import selectors

    with CaptureQueriesContext(connection) as captured:
        selectors.provider_search(**query)
    sql = captured.captured_queries[0]["sql"]
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        print(f"plan of {query}:", file=sys.stderr)
        for row in cursor.fetchall():
            print("  " + " ".join(str(c) for c in row), file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--providers", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--explain", action="store_true", help="print the plan of one search")
    args = parser.parse_args()
    open_bench_database(
        args.database_url or os.environ.get("DATABASE_URL", ""), "ponleu-bench-directory.sqlite3"
    )

    from django.db import connection

    started = time.perf_counter()
    sizes = build_directory(args.providers, seed=args.seed)
    analyse()
    built = time.perf_counter() - started
    timed = run_queries(args.queries, seed=args.seed, explain=args.explain)
    search, reference = timed["search_ms"], timed["reference_ms"]
    p50, p95 = percentile(search, 0.50), percentile(search, 0.95)
    ref50, ref95 = percentile(reference, 0.50), percentile(reference, 0.95)
    # CPU of this process (building the query, reading the rows): the part the database does not
    # do, and what the wall time comes to on a machine nobody else is loading.
    cpu50 = percentile(timed["search_cpu_ms"], 0.50)
    with open("/proc/loadavg") as handle:
        load = float(handle.read().split()[0])
    print(
        f"directory search on {connection.vendor}: {sizes['providers']:,} providers "
        f"({sizes['provider_services']:,} services, {sizes['provider_areas']:,} areas served), "
        f"{sizes['communes']:,} communes; {len(search):,} searches"
    )
    print(
        f"  search     p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (results: median {statistics.median(timed['found']):.0f})"
    )
    print(f"  search CPU p50 {cpu50:7.2f} ms   (this process: building the query, reading the rows)")
    print(f"  reference  p50 {ref50:7.2f} ms   p95 {ref95:7.2f} ms   (a provider by primary key)")
    print(f"  ratio      p50 {p50 / ref50:6.1f} x    p95 {p95 / ref95:6.1f} x")
    print(f"  target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}")
    print(
        json.dumps(
            {
                "bench": "directory-search",
                "database": connection.vendor,
                **sizes,
                "searches": len(search),
                "build_seconds": round(built, 1),
                "search_p50_ms": round(p50, 2),
                "search_p95_ms": round(p95, 2),
                "search_cpu_p50_ms": round(cpu50, 2),
                "reference_p50_ms": round(ref50, 3),
                "reference_p95_ms": round(ref95, 3),
                "ratio_p50": round(p50 / ref50, 1),
                "ratio_p95": round(p95 / ref95, 1),
                "median_results": statistics.median(timed["found"]),
                "target_p95_ms": TARGET_P95_MS,
                "load_average": load,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
