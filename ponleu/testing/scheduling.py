"""How the server-side tests are scheduled: the heavy modules first, and, with
`--database-tests-only`, only the tests that reach a database.

`make test` runs the server-side suite on SQLite and again on PostgreSQL. A test that never
touches a database (pure computation, parsing, settings, file checks) gives the same answer on
both, so the PostgreSQL phase passes this option and runs only the tests that can differ. A
test marked `one_database_phase("sqlite")` (a long run of database-neutral logic, such as
10,000 password guesses) or `one_database_phase("postgresql")` (two app servers sharing one
database: the production shape) runs in that phase only when `make test` splits the work
between them (ponleu/testing/shards.py).
"""

from __future__ import annotations

from . import shards

# Fixtures through which a test reaches the database (pytest-django's, and the session setup
# that module-scoped worlds such as the authorization matrix build on). Not django_db_blocker:
# pytest-django's autouse fixtures give it to every test.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "admin_user",
        "admin_client",
        "django_user_model",
    }
)


def pytest_addoption(parser):
    parser.getgroup("ponleu", "Ponleu's clock").addoption(
        "--database-tests-only",
        action="store_true",
        default=False,
        help="run only the tests that reach a database (the PostgreSQL phase of `make test`)",
    )


def reaches_database(item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres_only"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    heavy_first(items)
    database_only = config.getoption("--database-tests-only")
    kept, dropped = [], []
    for item in items:
        wanted = (not database_only or reaches_database(item)) and in_this_phase(item)
        (kept if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def in_this_phase(item) -> bool:
    """A test marked `one_database_phase("sqlite")` (or "postgresql") runs only in that phase
    of `make test` when it splits its work between the two; run alone, it runs everywhere."""
    marker = item.get_closest_marker("one_database_phase")
    if marker is None:
        return True
    return shards.phase_is(marker.args[0])


def heavy_first(items) -> None:
    """The modules marked `heavy` go first, so that the pytest workers finish together
    instead of one carrying a long module at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
