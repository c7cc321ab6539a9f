"""The pregnancy reminders on "Today": each count is the number of rows of the list its link
opens, and the short list names a village, never a woman."""

import datetime as dt

import pytest
from django.test import Client

from ponleu.common import clock
from ponleu.maternal import services, today
from ponleu.registry import services as registry_services
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2027, 2, 10, 9, 0, tzinfo=dt.UTC)


def _item(key):
    return next(item for item in today.ITEMS if item.key == key)


def _listed(client, url) -> int:
    return client.get(url).content.decode().count("data-pregnancy=")


def test_antenatal_overdue_and_certificates_missing_count_their_lists(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        late = factories.pregnancy(actor, factories.woman(actor))  # ANC1 due by 16 weeks: late
        factories.pregnancy(
            actor, factories.woman(actor, given_name_latin="Nary"), last_period_on=dt.date(2026, 10, 1)
        )
        overdue = _item("maternal.anc_overdue")
        found = overdue.find(actor, 5)
        client = Client()
        login(client, world.user("caseworker_a"))
        assert found.count == 1 == _listed(client, overdue.full_list(actor))
        assert "Sophea" not in str(found.entries)
    with clock.frozen(LATER):
        late.refresh_from_db()
        services.birth_record(
            actor=actor,
            pregnancy=late,
            version=late.version,
            born_on="2027-02-04",
            outcome="live_birth",
            place="home",
            attendant="midwife",
        )
        child = services.newborn_register(
            actor=actor, pregnancy=late, version=late.version + 1, data={"sex": "F", "given_name_km": "ពិសី"}
        )
        missing = _item("maternal.birth_certificate")
        client = Client()
        login(client, world.user("caseworker_a"))
        assert missing.find(actor, 5).count == 1 == _listed(client, missing.full_list(actor))
        registry_services.identifier_add(actor=actor, person=child, type="birth_certificate", value="BC-77")
        assert missing.find(actor, 5).count == 0 == _listed(client, missing.full_list(actor))


def test_the_short_list_shows_no_health_date_to_a_worker_it_masks(world):
    """A field worker reaches the pregnancy of a woman of her caseload but may not see its
    health fields: the reminder names the village and links the page, without the day the
    antenatal visit was due."""
    with clock.frozen(NOW):
        woman = factories.woman(world.actor("field_worker"))
        pregnancy = factories.pregnancy(world.actor("supervisor"), woman)
        masked = _item("maternal.anc_overdue").find(world.actor("field_worker"), 5)
        assert masked.count == 1
        assert masked.entries[0].day is None
        assert str(pregnancy.pk) in masked.entries[0].url
        seen = _item("maternal.anc_overdue").find(world.actor("supervisor"), 5)
        assert seen.entries[0].day == pregnancy.next_anc_due_on
