"""Two workers fill an offer's last place at the same moment, on PostgreSQL (row locks): one
placement is saved, the other is refused with a message, and the offer is never over-filled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.employment.models import Placement
from ponleu.employment.services import placements as services
from ponleu.testing.world import build_world

from . import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database_phase("postgresql")]


def test_two_workers_filling_the_last_place_at_once_one_is_refused(audit_flushable):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    with clock.frozen(factories.NOW):
        world = build_world()
        offer = factories.offer(world, places=1)
        profiles = [factories.profile(world), factories.profile(world)]
        actors = [world.actor("supervisor"), world.actor("caseworker_a")]
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def place(actor, profile):
            try:
                start.wait()
                services.placement_create(
                    actor=actor, profile=profile, offer_id=offer.pk, starts_on="2026-06-01"
                )
                outcomes.append("placed")
            except ValidationFailed as refusal:
                outcomes.append(str(refusal.errors["offer"][0]))
            finally:
                connection.close()

        threads = [threading.Thread(target=place, args=pair) for pair in zip(actors, profiles, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["Every place of this offer is taken.", "placed"]
    assert Placement.objects.filter(offer=offer).count() == 1
