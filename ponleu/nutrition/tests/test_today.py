"""Today: a child with severe acute malnutrition not yet referred comes first; a follow-up due
is listed with its day; each count is the number of rows behind its link."""

import pytest
from django.db import transaction

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.nutrition.models import SamAlert
from ponleu.nutrition.services import referral
from ponleu.web.today import today_for

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def _shown(actor):
    with transaction.atomic():
        return {shown.item.key: shown for shown in today_for(actor)}


def test_today_asks_to_refer_the_severe_case_and_to_measure_the_moderate_one(world):
    sam = factories.child(world)
    mam = factories.child(world)
    centre = factories.health_centre(world)
    factories.measure(world, sam, muac_mm="111")
    factories.measure(world, mam, measured_on="2026-11-01", muac_mm="121")
    actor = world.actor("caseworker_a")
    shown = _shown(actor)
    assert shown["nutrition.sam_to_refer"].count == 1
    assert str(sam.pk) in shown["nutrition.sam_to_refer"].entries[0].url
    assert shown["nutrition.follow_ups_due"].count == 1
    assert shown["nutrition.follow_ups_due"].entries[0].late
    read = AccessEvent.objects.filter(query="today", target_type="registry.person")
    assert {i for ids in read.values_list("target_ids", flat=True) for i in ids} == {str(sam.pk), str(mam.pk)}
    alert = SamAlert.objects.get()
    referral.sam_refer(actor=actor, alert=alert, version=alert.version, provider_id=centre.pk)
    assert "nutrition.sam_to_refer" not in _shown(actor)
    assert "nutrition.sam_to_refer" not in _shown(world.actor("caseworker_b"))
