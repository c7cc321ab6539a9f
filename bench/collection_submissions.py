"""Submissions from phones, each sent twice, many at once: none lost, none stored twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ponleu_bench_collect \\
        .venv/bin/python bench/collection_submissions.py --ids 5000 --clients 8

Builds an organisation with four field workers (two phones each: eight clients), publishes a
small form to their team, and has the clients post ``--ids`` distinct instances, each one twice,
from the two phones of the worker who filled it (so the two posts of one instance race), through
the whole OpenRosa stack (HTTP Basic with a device token, multipart body, the view, the service,
the audit row) in threads of this process. Prints the submissions per second, the answers by
status, and the rows stored: ``--ids`` rows, no duplicate, nothing lost. Without DATABASE_URL it
runs on a new SQLite file (where writers queue: the figure is not PostgreSQL's).
"""

from __future__ import annotations

import argparse
import base64
import collections
import os
import random
import secrets
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_database import open_bench_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=5000, help="distinct instances (each sent twice)")
    parser.add_argument("--clients", type=int, default=8, help="phones posting at once (two per worker)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    open_bench_database(os.environ.get("DATABASE_URL", ""), "ponleu-bench-collection.sqlite3")

    from django.db import connection
    from django.test import Client

    from ponleu.collection import services
    from ponleu.collection.models import Submission
    from ponleu.collection.standard_forms import StandardForm, q, workbook
    from ponleu.organisations.choices import Role
    from ponleu.organisations.models import Organisation
    from ponleu.testing.world import World, make_member

    run = secrets.token_hex(3)
    org = Organisation.objects.create(name_km="អង្គការ", name_en="Bench", short_name=f"bench-{run}")
    team = org.teams.create(name="Field")
    workers = [
        make_member(org, f"bench-{run}-{n}", Role.FIELD_WORKER, teams=[team], areas=["0201"])
        for n in range(max(1, args.clients // 2))
    ]
    admin = make_member(org, f"bench-{run}-admin", Role.ORG_ADMIN)
    world = World(org=org, other_org=org, team_a=team, team_b=team, members={"admin": admin})
    form_id = f"bench_{run}"
    visit = StandardForm(
        form_id=form_id, title=("ចុះសួរ", "Visit", "Visite"), survey=(q("text", "note", "ក", "N", "N"),)
    )
    version = services.form_upload(
        actor=world.actor("admin"), data=workbook(visit, version="1"), encrypt=False
    )
    services.form_publish(actor=world.actor("admin"), form=version.form, team_ids=[team.pk])

    from ponleu.access.actors import actor_for_membership
    from ponleu.accounts import services as account_services
    from ponleu.testing.world import TEST_PASSWORD

    phones = []  # (worker index, Authorization header)
    for index, member in enumerate(workers):
        for phone in range(2):
            issued = account_services.token_issue(
                actor=actor_for_membership(member, is_verified=True),
                membership=member,
                name=f"phone {phone}",
                capabilities=["collection.submit"],
                password=TEST_PASSWORD,
            )
            secret = base64.b64encode(f"{member.user.username}:{issued.plaintext}".encode()).decode()
            phones.append((index, f"Basic {secret}"))
    phones = phones[: args.clients]

    rng = random.Random(args.seed)
    queues: list[list[bytes]] = [[] for _ in phones]
    for number in range(args.ids):
        worker = number % len(workers)
        mine = [i for i, (w, _auth) in enumerate(phones) if w == worker] or [number % len(phones)]
        xml = (
            f'<data id="{form_id}" version="1"><note>ផ្ទះ {number}</note>'
            f"<meta><instanceID>uuid:{run}-{number:06d}</instanceID></meta></data>"
        ).encode()
        queues[mine[0]].append(xml)
        queues[mine[-1]].append(xml)  # the same instance again, from the worker's other phone
    for queue in queues:
        rng.shuffle(queue)

    answers: collections.Counter = collections.Counter()
    lock = threading.Lock()
    connection.close()

    def post_all(auth: str, queue: list[bytes]) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection as thread_connection

        client = Client(HTTP_AUTHORIZATION=auth, HTTP_X_OPENROSA_VERSION="1.0", raise_request_exception=False)
        seen = collections.Counter()
        for xml in queue:
            response = client.post(
                "/collect/submission",
                {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")},
            )
            seen[response.status_code] += 1
        thread_connection.close()
        with lock:
            answers.update(seen)

    threads = [
        threading.Thread(target=post_all, args=(auth, queue))
        for (_w, auth), queue in zip(phones, queues, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    stored = Submission.objects.filter(form=version.form)
    rows = stored.count()
    distinct = stored.values("instance_id").distinct().count()
    sent = sum(len(queue) for queue in queues)
    print(
        f"database: {connection.vendor}; clients: {len(phones)}; posts: {sent} ({args.ids} instances, each twice)"
    )
    print(f"elapsed: {elapsed:.1f} s; {sent / elapsed:.0f} posts/s")
    print(f"answers: {dict(sorted(answers.items()))}")
    print(
        f"rows stored: {rows}; distinct instances: {distinct}; duplicates: {rows - distinct}; lost: {args.ids - distinct}"
    )
    if rows != args.ids or distinct != args.ids or answers.get(201, 0) != args.ids:
        sys.exit(1)


if __name__ == "__main__":
    main()
