"""Development checks: every item of the child's band answered or nothing saved; results per
domain; the checks due in the nurseries a worker sees; corrections name the version read; a
worker who may not see a child's identity sees initials."""

import datetime as dt

import pytest

from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.early_childhood import selectors
from ponleu.early_childhood.models import Check, Result
from ponleu.early_childhood.services import checks

from . import factories

pytestmark = pytest.mark.django_db
BORN = dt.date(2025, 3, 10)  # 20 months old on the frozen day


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def _answers(band, achieved_domains):
    return {str(i.pk): i.domain in achieved_domains for i in band.items.all()}


def _setup(world, **child):
    instrument = factories.instrument(world)
    kid = factories.child(world, born=BORN, **child)
    nursery = factories.nursery(world, children=[kid])
    band = selectors.band_for(instrument, 20)
    return instrument, kid, nursery, band


def test_a_check_records_every_item_and_shows_results_by_domain(world):
    _, kid, nursery, band = _setup(world)
    check = checks.check_record(
        actor=world.actor("supervisor"),
        person_id=kid.pk,
        checked_on=clock.today(),
        results=_answers(band, {"gross_motor", "language", "cognitive"}),
        nursery=nursery,
    )
    assert check.band == band
    assert check.area_code == factories.THMEI
    assert check.owner_id == world.user("field_worker").pk  # the nursery's facilitator
    seen = selectors.development(actor=world.actor("supervisor"), person_id=kid.pk)
    results = {d.domain: (d.achieved, d.asked) for d in seen.latest.domains}
    assert results == {
        "gross_motor": (1, 1),
        "fine_motor": (0, 1),
        "language": (1, 1),
        "social_emotional": (0, 1),
        "cognitive": (1, 1),
    }
    # Checked in the 18-24 band: the next check is at 24 months.
    assert (seen.due.band.from_months, seen.due.due_on) == (24, dt.date(2027, 3, 10))
    assert seen.months == 20
    assert AuditEvent.objects.filter(action="early_childhood.check.recorded").count() == 1
    viewed = AccessEvent.objects.filter(action="early_childhood.check.viewed")
    assert [event.target_ids for event in viewed] == [[str(kid.pk)]]


def test_a_missing_or_stray_answer_saves_nothing_and_names_the_item(world):
    _, kid, nursery, band = _setup(world)
    answers = _answers(band, {"language"})
    missing = next(iter(answers))
    del answers[missing]
    with pytest.raises(ValidationFailed) as error:
        checks.check_record(
            actor=world.actor("supervisor"),
            person_id=kid.pk,
            checked_on=clock.today(),
            results=answers,
            nursery=nursery,
        )
    assert f"results.{missing}" in error.value.errors
    answers[missing] = "yes"  # not a yes/no answer
    with pytest.raises(ValidationFailed):
        checks.check_record(
            actor=world.actor("supervisor"),
            person_id=kid.pk,
            checked_on=clock.today(),
            results=answers,
            nursery=nursery,
        )
    other_band = band.instrument.bands.get(from_months=0)
    stray = {**_answers(band, set()), str(other_band.items.first().pk): True}
    with pytest.raises(ValidationFailed) as error:
        checks.check_record(
            actor=world.actor("supervisor"),
            person_id=kid.pk,
            checked_on=clock.today(),
            results=stray,
            nursery=nursery,
        )
    assert not Check.objects.exists()
    assert not Result.objects.exists()


def test_the_band_is_the_childs_age_on_the_day_of_the_check(world):
    instrument, kid, nursery, _ = _setup(world)
    earlier = dt.date(2026, 8, 9)  # 16 months and 30 days: the 12-18 band
    band = selectors.band_for(instrument, 16)
    check = checks.check_record(
        actor=world.actor("supervisor"),
        person_id=kid.pk,
        checked_on=earlier,
        results=_answers(band, set()),
        nursery=nursery,
    )
    assert check.band.from_months == 12
    # Checked in the 12-18 band only: now 20 months, the 18-24 check is due (late).
    due = selectors.development(actor=world.actor("supervisor"), person_id=kid.pk).due
    assert (due.band.from_months, due.due_on) == (18, dt.date(2026, 9, 10))
    with pytest.raises(ValidationFailed) as error:
        checks.check_record(
            actor=world.actor("supervisor"),
            person_id=kid.pk,
            checked_on=clock.today() + dt.timedelta(days=1),
            results={},
            nursery=nursery,
        )
    assert "checked_on" in error.value.errors


def test_checks_due_lists_enrolled_children_soonest_first(world):
    instrument = factories.instrument(world)
    worker = world.user("field_worker")
    late = factories.child(world, born=BORN, owner=worker)  # never checked: 18-24 due since 2026-09-10
    soon = factories.child(
        world, born=dt.date(2025, 12, 1), owner=worker
    )  # 11 months 20 days, checked at 6-12
    far = factories.child(world, born=dt.date(2026, 7, 1))  # 4 months, checked at 0-6: due at 6 months
    nursery = factories.nursery(world, children=[late, soon, far])
    actor = world.actor("supervisor")
    for kid, months in ((soon, 11), (far, 4)):
        band = selectors.band_for(instrument, months)
        checks.check_record(
            actor=actor,
            person_id=kid.pk,
            checked_on=clock.today(),
            results=_answers(band, set()),
            nursery=nursery,
        )
    rows = selectors.checks_due(actor=actor)
    assert [(r.person, r.due.due_on, r.late) for r in rows] == [
        (late, dt.date(2026, 9, 10), True),
        (soon, dt.date(2026, 12, 1), False),
    ]
    # The facilitator sees the children due they see in the registry; a caseworker of another
    # district none.
    assert [r.person for r in selectors.checks_due(actor=world.actor("field_worker"))] == [late, soon]
    assert selectors.checks_due(actor=world.actor("caseworker_b")) == []


def test_two_corrections_of_one_check_the_second_is_a_conflict(world):
    _, kid, nursery, band = _setup(world)
    actor = world.actor("supervisor")
    check = checks.check_record(
        actor=actor,
        person_id=kid.pk,
        checked_on=clock.today(),
        results=_answers(band, set()),
        nursery=nursery,
    )
    checks.check_correct(
        actor=actor, check=check, results=_answers(band, {"language"}), version=check.version
    )
    with pytest.raises(Conflict):
        checks.check_correct(actor=actor, check=check, results=_answers(band, {"cognitive"}), version=1)
    achieved = {r.item.domain for r in Result.objects.filter(check_taken=check, achieved=True)}
    assert achieved == {"language"}


def test_a_child_out_of_reach_is_refused_and_identity_is_masked(world):
    _, kid, nursery, band = _setup(world, is_sensitive=True)
    outsider = factories.child(world, born=BORN, village=factories.KBAL_THNAL, team=world.team_b)
    with pytest.raises(ValidationFailed):
        checks.check_record(
            actor=world.actor("caseworker_a"),
            person_id=outsider.pk,
            checked_on=clock.today(),
            results=_answers(band, set()),
        )
    with pytest.raises(PermissionDenied):
        checks.check_record(
            actor=world.actor("caseworker_b"),
            person_id=outsider.pk,
            checked_on=clock.today(),
            results={},
            nursery=nursery,
        )
    # The supervisor sees the sensitive child's name; the nursery's caseworker of the same area
    # sees the child in the list of checks due, by initials only.
    rows = selectors.checks_due(actor=world.actor("caseworker_a"))
    assert [r.label for r in rows] == [kid.initials()]
    assert selectors.checks_due(actor=world.actor("supervisor"))[0].label == kid.display_name()
