"""Factories and the childcare the Labour Law asks of those with 100 women workers or more:
the advocacy list shows those that should and do not."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.early_childhood import selectors
from ponleu.early_childhood.services import factories as services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_the_rule_starts_at_100_women_workers(world):
    just_under = factories.factory(world, women=99, childcare="none", name="Factory 99")
    at = factories.factory(world, women=100, childcare="none", name="Factory 100")
    provides = factories.factory(world, women=800, childcare="on_site", name="Factory on site")
    pays = factories.factory(world, women=300, childcare="paid_elsewhere", name="Factory paying")
    assert not just_under.must_provide_childcare
    assert not just_under.falls_short
    assert at.must_provide_childcare
    assert at.falls_short
    assert provides.must_provide_childcare
    assert not provides.falls_short
    assert not pays.falls_short
    actor = world.actor("caseworker_a")
    assert selectors.factory_list(actor=actor, falls_short=True) == [at]
    assert selectors.factory_list(actor=actor) == [provides, pays, at, just_under]
    # A field worker sees the factories they checked; another district, another organisation
    # and a role without programme work see none.
    assert selectors.factory_list(actor=world.actor("field_worker")) == []
    assert selectors.factory_list(actor=world.actor("caseworker_b")) == []
    assert selectors.factory_list(actor=world.actor("partner")) == []
    assert selectors.factory_list(actor=world.actor("teacher")) == []


def test_a_check_records_who_found_what_and_when(world):
    factory = factories.factory(world, women=99, childcare="none")
    actor = world.actor("caseworker_a")
    checked = services.factory_check(
        actor=actor,
        factory=factory,
        women_workers="120",
        childcare="none",
        checked_on=dt.date(2026, 11, 2),
        version=factory.version,
    )
    assert (checked.women_workers, checked.checked_by_id) == (120, world.user("caseworker_a").pk)
    assert checked.falls_short
    # A field worker sees and checks again the factories they recorded.
    own = factories.factory(world, actor_key="field_worker", name="Factory seen by the field worker")
    assert selectors.factory_list(actor=world.actor("field_worker")) == [own]
    event = AuditEvent.objects.get(action="early_childhood.factory.checked")
    assert event.changes["women_workers"] == [99, 120]
    with pytest.raises(Conflict):
        services.factory_check(
            actor=actor,
            factory=factory,
            women_workers=130,
            childcare="on_site",
            checked_on=clock.today(),
            version=1,
        )
    with pytest.raises(ValidationFailed) as error:
        services.factory_check(
            actor=actor,
            factory=factory,
            women_workers=130,
            childcare="on_site",
            checked_on=dt.date(2026, 1, 1),
            version=checked.version,
        )
    assert "checked_on" in error.value.errors


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("women_workers", {"women_workers": "many"}),
        ("women_workers", {"women_workers": -1}),
        ("childcare", {"childcare": "crèche"}),
        ("name", {"name": "  "}),
    ],
)
def test_bad_values_are_refused_naming_the_field(world, field, values):
    base = {
        "name": "Factory B",
        "village_code": factories.THMEI,
        "women_workers": 10,
        "childcare": "none",
        "checked_on": dt.date(2026, 10, 1),
    }
    with pytest.raises(ValidationFailed) as error:
        services.factory_create(actor=world.actor("supervisor"), **{**base, **values})
    assert field in error.value.errors


def test_a_factory_outside_ones_areas_or_twice_is_refused(world):
    factories.factory(world)
    with pytest.raises(ValidationFailed) as error:
        factories.factory(world)
    assert "name" in error.value.errors
    with pytest.raises(PermissionDenied):
        factories.factory(world, actor_key="field_worker", village=factories.KBAL_THNAL, name="Far factory")
    with pytest.raises(PermissionDenied):
        factories.factory(world, actor_key="teacher", name="Teacher's factory")
