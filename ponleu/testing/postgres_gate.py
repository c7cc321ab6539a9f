"""Decide whether the PostgreSQL half of `make test` runs.

Exit 0: a server answers at PONLEU_TEST_DATABASE_URL, run the suite there.
Exit 1: no server and not CI: skip, loudly.
Exit 2: no server and CI=true: fail, because CI requires PostgreSQL.
"""

from __future__ import annotations

import os
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ponleu"


def main() -> int:
    url = os.environ.get("PONLEU_TEST_DATABASE_URL") or DEFAULT_URL
    try:
        import psycopg

        with psycopg.connect(
            url.replace("postgres://", "postgresql://", 1), dbname="postgres", connect_timeout=3
        ) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
        ci = os.environ.get("CI", "").lower() == "true"
        banner = "=" * 78
        print(banner, file=sys.stderr)
        print(f"PostgreSQL is not answering at {url}: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        if ci:
            print("CI=true: the PostgreSQL run is required. FAILING.", file=sys.stderr)
        else:
            print("SKIPPING the PostgreSQL half of the suite. Set PONLEU_TEST_DATABASE_URL.", file=sys.stderr)
        print(banner, file=sys.stderr)
        return 2 if ci else 1
    print(f"PostgreSQL {version} at {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
