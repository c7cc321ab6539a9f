"""The policy table parses, covers every capability and is shown to those who manage users."""

import pytest
from django.urls import reverse

from ponleu.access import policy
from ponleu.access.capabilities import CAPABILITIES
from ponleu.access.scopes import Scope
from ponleu.organisations.choices import Role


def test_every_capability_has_a_row_and_every_role_a_column():
    assert {name for _, name in policy.POLICY} == set(CAPABILITIES)
    assert {role for role, _ in policy.POLICY} == {r.value for r in policy.ROLE_COLUMNS}
    assert set(policy.ROLE_COLUMNS) == set(Role)
    assert len(policy.POLICY) == len(CAPABILITIES) * len(Role)


def test_grid_rows_follow_the_catalogue_with_one_cell_per_role():
    rows = policy.grid()
    assert [name for name, _, _ in rows] == list(CAPABILITIES)
    assert all(len(cells) == len(policy.ROLE_COLUMNS) for _, _, cells in rows)


def test_a_few_cells_read_as_written():
    assert policy.scope_of(Role.CASEWORKER, "registry.view") == Scope.AREA
    assert policy.scope_of(Role.CASEWORKER, "cases.view") == Scope.TEAM
    assert policy.scope_of(Role.DPO, "audit.view") == Scope.ORG
    assert policy.scope_of(Role.ME_OFFICER, "registry.view") == Scope.NONE
    assert "registry.view" not in policy.capabilities_of(Role.ME_OFFICER)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("registry.nonsense  G G G G G G G G", "unknown capability"),
        ("web.use  G G G", "has 3 cells"),
        ("web.use  G G G G G G G X", "X"),
    ],
)
def test_malformed_tables_are_refused(table, message):
    with pytest.raises((ValueError, KeyError), match=message):
        policy._parse(table)


def test_a_capability_without_a_row_is_refused():
    table = "\n".join(
        line for line in policy._TABLE.strip().splitlines() if not line.startswith("audit.view")
    )
    with pytest.raises(ValueError, match="audit.view"):
        policy._parse(table)


def test_web_page_shows_the_grid(world, login_as):
    page = login_as(world.user("org_admin")).get(reverse("web:policy")).content.decode()
    for name in CAPABILITIES:
        assert name in page
    assert str(Scope.AREA.label) in page
