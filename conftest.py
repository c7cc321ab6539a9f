import pytest

from ponleu.testing.world import build_world

# --today / --dates: the session, or each dated test, as if today were another day;
# pytester tests that plugin.
pytest_plugins = ["ponleu.testing.travel", "ponleu.testing.scheduling", "pytester"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Runs just before the test databases are set up: they are copied from a migrated
    template where one exists (ponleu/testing/template_db.py)."""
    from ponleu.testing.template_db import copied_from_template

    with copied_from_template():
        yield


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login_as(client):
    from ponleu.testing.login import login

    def _login(user):
        login(client, user)
        return client

    return _login


@pytest.fixture
def audit_flushable(transactional_db):
    """For tests that flush the database (transactional_db, live_server): the append-only
    audit triggers would refuse the flush, so they are removed just before it; the flush's
    post_migrate signal puts them back (ponleu/audit/apps.py)."""
    yield
    from django.db import connection

    from ponleu.audit import triggers

    triggers.remove(connection)


@pytest.fixture(autouse=True)
def _audit_tables_flushable(request):
    """Every test that ends with a flush gets ``audit_flushable`` without asking for it."""
    marker = request.node.get_closest_marker("django_db")
    flushes = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if flushes:
        request.getfixturevalue("audit_flushable")


@pytest.fixture(autouse=True)
def _language_reset():
    """A test that activates a language must not leak it into the next one."""
    yield
    from django.utils import translation

    translation.deactivate()
