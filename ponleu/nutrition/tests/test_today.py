"""Today: a child with severe acute malnutrition not yet referred comes first; a follow-up due
is listed with its day; each count is the number of rows behind its link, and what is shown
is recorded as read."""

import pytest

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.nutrition import today
from ponleu.nutrition.models import SamAlert
from ponleu.nutrition.services import referral

from . import factories

pytestmark = pytest.mark.django_db
ITEMS = {item.key: item for item in today.ITEMS}


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_today_asks_to_refer_the_severe_case_and_to_measure_the_moderate_one(world):
    sam = factories.child(world)
    mam = factories.child(world)
    centre = factories.health_centre(world)
    factories.measure(world, sam, muac_mm="111")
    factories.measure(world, mam, measured_on="2026-11-01", muac_mm="121")
    actor = world.actor("caseworker_a")
    to_refer = ITEMS["nutrition.sam_to_refer"]
    due = ITEMS["nutrition.follow_ups_due"]
    assert to_refer.urgency < due.urgency
    found = to_refer.find(actor, 5)
    assert found.count == 1
    assert str(sam.pk) in found.entries[0].url
    waiting = due.find(actor, 5)
    assert waiting.count == 1
    assert waiting.entries[0].late
    to_refer.record(actor, list(found.served) + list(waiting.served))
    read = AccessEvent.objects.filter(query="today", target_type="registry.person")
    assert {i for ids in read.values_list("target_ids", flat=True) for i in ids} == {str(sam.pk), str(mam.pk)}
    assert to_refer.find(world.actor("caseworker_b"), 5).count == 0
    alert = SamAlert.objects.get()
    referral.sam_refer(actor=actor, alert=alert, version=alert.version, provider_id=centre.pk)
    assert to_refer.find(actor, 5).count == 0
