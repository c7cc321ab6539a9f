"""Spreadsheet import of people: time for a 10,000-row file, dry run and commit.

    .venv/bin/python bench/registry_import.py                      # SQLite, 10,000 rows
    .venv/bin/python bench/registry_import.py --rows 20000 --database-url postgres://...

Fills the downloadable template with synthetic households (2–6 people each, Khmer and Latin
names from the demo lists, dates of birth as dd/mm/yyyy, village codes, phones, birth
certificate numbers, IDPoor status), then runs what a supervisor's upload does: the dry run
(read, check every row) and the background job's body (check again, write everything in one
transaction with bulk inserts, one audit event). Target (issue 4): under a minute on SQLite.
The load average is printed because neighbouring load stretches wall times; CPU seconds of this
process are printed too. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

from bench_database import open_bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def workbook_bytes(rows: int, *, seed: int, villages: list[str]) -> bytes:
    from openpyxl import load_workbook

    from ponleu.common import spreadsheet_writer
    from ponleu.demo import names
    from ponleu.registry import spreadsheets

    rng = random.Random(seed)
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template()))
    sheet = workbook["people"]
    keys = [column.key for column in spreadsheets.COLUMNS]
    row_number = spreadsheets.FIRST_DATA_ROW
    household = 0
    while row_number - spreadsheets.FIRST_DATA_ROW < rows:
        household += 1
        village = rng.choice(villages)
        family = rng.choice(names.FAMILY_NAMES)
        idpoor = rng.choice(["", "level_1", "level_2", "not_poor"])
        size = min(rng.randint(2, 6), rows - (row_number - spreadsheets.FIRST_DATA_ROW))
        for member in range(size):
            adult = member == 0
            given = rng.choice(
                names.GIVEN_NAMES_FEMALE if adult or rng.random() < 0.5 else names.GIVEN_NAMES_MALE
            )
            year = rng.randint(1975, 1998) if adult else rng.randint(2008, 2024)
            values = {
                "household": str(household),
                "relationship": "mother" if adult else "child",
                "primary_caregiver": "yes" if adult else "no",
                "kind": "adult" if adult else "child",
                "family_name_km": family[0],
                "given_name_km": given[0],
                "family_name_latin": family[1],
                "given_name_latin": given[1],
                "sex": "F" if adult else rng.choice("FM"),
                "date_of_birth": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                "village": village,
                "idpoor_status": idpoor,
            }
            if adult:
                values.update(
                    phone=f"0{rng.choice([12, 15, 16, 17, 77, 78, 92, 97])}{rng.randint(100000, 999999)}"
                )
            else:
                values.update(
                    identifier_type="birth_certificate", identifier_value=f"BC-{seed}-{row_number:06d}/{year}"
                )
            for key, value in values.items():
                sheet.cell(row=row_number, column=keys.index(key) + 1, value=value)
            row_number += 1
    return spreadsheet_writer.xlsx_bytes(workbook)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    open_bench_database(args.database_url, "ponleu-bench-import.sqlite3")

    from django.db import connection

    from ponleu.access.actors import actor_for_membership
    from ponleu.accounts.models import User
    from ponleu.geography.models import AdminUnit
    from ponleu.jobs.models import Job
    from ponleu.organisations.choices import Role
    from ponleu.organisations.models import Membership, Organisation
    from ponleu.registry.models import Person
    from ponleu.registry.services import imports

    organisation, _ = Organisation.objects.get_or_create(
        short_name="bench-import", defaults={"name_km": "សាកល្បង", "name_en": "Import bench (synthetic)"}
    )
    user, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"full_name": "Bench"})
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Role.SUPERVISOR}
    )
    membership.areas.set(AdminUnit.objects.filter(code="02"))
    actor = actor_for_membership(membership, is_verified=True)
    villages = list(
        AdminUnit.objects.filter(level="village", code__startswith="02").values_list("code", flat=True)
    )
    started = time.perf_counter()
    data = workbook_bytes(args.rows, seed=args.seed, villages=villages)
    made = time.perf_counter() - started
    before = Person.objects.filter(organisation=organisation).count()

    started, cpu = time.perf_counter(), time.process_time()
    plan, job = imports.import_prepare(actor=actor, data=data)
    dry, dry_cpu = time.perf_counter() - started, time.process_time() - cpu
    if job is None:
        print(f"the generated file has problems: {[p.message for p in plan.problems[:5]]}", file=sys.stderr)
        return 1
    Job.objects.filter(pk=job.pk).update(result={**job.result, "started": True})
    started, cpu = time.perf_counter(), time.process_time()
    imports.import_run(job_id=job.pk)
    commit, commit_cpu = time.perf_counter() - started, time.process_time() - cpu
    job.refresh_from_db()
    created = Person.objects.filter(organisation=organisation).count() - before
    with open("/proc/loadavg") as handle:
        load = float(handle.read().split()[0])
    print(
        json.dumps(
            {
                "bench": "registry-import",
                "database": connection.vendor,
                "rows": args.rows,
                "created": created,
                "households": plan.household_count,
                "status": job.status,
                "file_bytes": len(data),
                "make_file_seconds": round(made, 1),
                "dry_run_seconds": round(dry, 1),
                "job_seconds": round(commit, 1),
                # CPU of this process: what the wall times come to on an idle machine, less I/O.
                "dry_run_cpu_seconds": round(dry_cpu, 1),
                "job_cpu_seconds": round(commit_cpu, 1),
                "upload_to_done_seconds": round(dry + commit, 1),
                "target_seconds": 60,
                "load_average": load,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
