"""First start of a fresh installation: processes starting at once agree on one secret."""

from __future__ import annotations

import multiprocessing
import secrets
import stat

from ponleu.common.local_secrets import read_or_create


def _read(path, barrier, results):
    barrier.wait()  # all start together, as serve and worker do on a fresh machine
    results.put(read_or_create(path, lambda: secrets.token_urlsafe(50)))


def test_processes_starting_together_read_one_secret(tmp_path):
    path = tmp_path / "var" / "secret_key"
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(8), context.Queue()
    workers = [context.Process(target=_read, args=(path, barrier, results)) for _ in range(8)]
    for worker in workers:
        worker.start()
    seen = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert len(set(seen)) == 1
    assert len(seen[0]) >= 50
    assert seen[0] == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]  # no temporary file left


def test_an_existing_secret_is_kept(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("kept\n")
    assert read_or_create(path, lambda: "new") == "kept"
