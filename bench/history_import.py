"""School-history import: time to load a synthetic history folder into Ponleu's tables.

    .venv/bin/python bench/history_import.py                       # SQLite, 3,000 students x 3 cohorts
    .venv/bin/python bench/history_import.py --students 6000 --database-url postgres://...

Generates a folder with the engine's synthetic generator (docs/early-warning/history-format.md),
then runs what ``ponleu ews import`` does: read, check, and write years, calendars, schools,
classes, people with their search keys, households, enrolments, attendance, tests and behaviour
in one transaction. The load average is printed because neighbouring load stretches wall times;
CPU seconds of this process are printed too. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench_database import open_bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--cohorts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    open_bench_database(args.database_url, "ponleu-bench-history.sqlite3")

    from django.db import connection

    from ponleu.access.actors import actor_for_membership
    from ponleu.accounts.models import User
    from ponleu.early_warning.engine import synthetic
    from ponleu.early_warning.services.history_import import history_import
    from ponleu.geography.models import AdminUnit
    from ponleu.organisations.choices import Role
    from ponleu.organisations.models import Membership, Organisation

    run = str(time.time_ns())[-8:]
    organisation = Organisation.objects.create(
        short_name=f"bench-history-{run}", name_km="សាកល្បង", name_en="History bench (synthetic)"
    )
    user = User.objects.create(username=f"bench-admin-{run}", full_name="Bench")
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.ORG_ADMIN)
    membership.areas.set(AdminUnit.objects.filter(code="02"))
    actor = actor_for_membership(membership, is_verified=True)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        synthetic.generate_history(Path(folder), students=args.students, cohorts=args.cohorts, seed=args.seed)
        made = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        summary = history_import(actor=actor, folder=folder, village="02010101")
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
    with open("/proc/loadavg") as handle:
        load = float(handle.read().split()[0])
    print(
        json.dumps(
            {
                "bench": "history-import",
                "database": connection.vendor,
                "students": args.students,
                "cohorts": args.cohorts,
                "people": summary.people,
                "enrolments": summary.enrolments,
                "attendance_rows": summary.attendance_rows,
                "make_folder_seconds": round(made, 1),
                "import_seconds": round(took, 1),
                "import_cpu_seconds": round(took_cpu, 1),
                "load_average": load,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
