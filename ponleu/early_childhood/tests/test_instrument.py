"""The instrument as data: bands in order without gaps or overlaps, items in Khmer and English
per domain, one instrument in use; the band of a child's age and the next check due."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.early_childhood import selectors
from ponleu.early_childhood.models import Instrument, months_old
from ponleu.early_childhood.services import instruments

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_the_generic_instrument_has_seven_bands_of_five_domains(world):
    instrument = factories.instrument(world)
    bands = selectors.instrument_bands(instrument=instrument)
    assert [(b.from_months, b.to_months) for b in bands] == [
        (0, 6),
        (6, 12),
        (12, 18),
        (18, 24),
        (24, 36),
        (36, 48),
        (48, 60),
    ]
    for band in bands:
        assert sorted(i.domain for i in band.items.all()) == sorted(
            ["gross_motor", "fine_motor", "language", "social_emotional", "cognitive"]
        )
        assert all(i.text_km and i.text_en for i in band.items.all())
    assert AuditEvent.objects.filter(action="early_childhood.instrument.created").count() == 1


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (0, (0, 6)),
        (5, (0, 6)),
        (6, (6, 12)),
        (11, (6, 12)),
        (12, (12, 18)),
        (35, (24, 36)),
        (59, (48, 60)),
        (60, None),
    ],
)
def test_a_child_falls_in_the_band_of_their_whole_months(world, months, band):
    instrument = factories.instrument(world)
    found = selectors.band_for(instrument, months)
    assert (None if found is None else (found.from_months, found.to_months)) == band


def test_whole_months_count_a_month_only_when_its_day_comes():
    born = dt.date(2025, 1, 31)
    assert months_old(born, dt.date(2025, 2, 27)) == 0
    assert months_old(born, dt.date(2025, 2, 28)) == 1  # the last day of a shorter month
    assert months_old(born, dt.date(2025, 3, 30)) == 1
    assert months_old(born, dt.date(2025, 3, 31)) == 2
    assert months_old(dt.date(2024, 6, 15), dt.date(2025, 6, 14)) == 11
    assert months_old(dt.date(2024, 6, 15), dt.date(2025, 6, 15)) == 12


def test_overlapping_or_gapped_bands_are_refused_naming_the_band(world):
    actor = world.actor("org_admin")
    item = {"domain": "language", "text_km": "និយាយ", "text_en": "Talks"}
    with pytest.raises(ValidationFailed) as error:
        instruments.instrument_create(
            actor=actor,
            name="Gapped",
            source="national",
            bands=[
                {"from_months": 0, "to_months": 6, "items": [item]},
                {"from_months": 7, "to_months": 12, "items": [item]},
            ],
        )
    assert "bands.1.from_months" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        instruments.instrument_create(
            actor=actor, name="Empty", source="own", bands=[{"from_months": 0, "to_months": 6, "items": []}]
        )
    assert "bands.0.items" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        instruments.instrument_create(
            actor=actor,
            name="Bad domain",
            source="own",
            bands=[{"from_months": 0, "to_months": 6, "items": [{**item, "domain": "music"}]}],
        )
    assert "bands.0.items.0.domain" in error.value.errors
    assert not Instrument.objects.exists()


def test_one_instrument_is_in_use_and_only_the_organisation_writes_one(world):
    first = factories.instrument(world)
    second = factories.instrument(
        world,
        bands=[
            {
                "from_months": 0,
                "to_months": 12,
                "items": [{"domain": "cognitive", "text_km": "ស្គាល់មុខម្ដាយ", "text_en": "Knows mother's face"}],
            }
        ],
    )
    first.refresh_from_db()
    assert not first.is_active
    assert second.is_active
    assert selectors.instrument_in_use(organisation_id=world.org.pk) == second
    # The instrument is the organisation's: a supervisor of some districts may not change it.
    for key in ("field_worker", "supervisor"):
        with pytest.raises(PermissionDenied):
            factories.instrument(world, actor_key=key)


def test_items_are_reworded_and_retired_but_a_band_keeps_one(world):
    instrument = factories.instrument(
        world,
        bands=[
            {
                "from_months": 0,
                "to_months": 6,
                "items": [{"domain": "language", "text_km": "ងាករកសំឡេង", "text_en": "Turns to a voice"}],
            }
        ],
    )
    band = instrument.bands.get()
    actor = world.actor("org_admin")
    added = instruments.item_add(
        actor=actor, band=band, domain="cognitive", text_km="មើលតាម", text_en="Follows"
    )
    first = band.items.get(domain="language")
    instruments.item_change(actor=actor, item=first, text_km="ងាកទៅរកសំឡេង", text_en="Turns", is_active=False)
    assert selectors.band_items(band=band) == [added]
    with pytest.raises(ValidationFailed) as error:
        instruments.item_change(actor=actor, item=added, text_km="មើលតាម", is_active=False)
    assert "is_active" in error.value.errors


def _bands(world):
    return selectors.instrument_bands(instrument=factories.instrument(world))


def test_the_next_check_is_the_next_band_start_after_the_last_one_checked(world):
    bands = _bands(world)
    born = dt.date(2025, 3, 10)
    today = clock.today()  # 2026-11-21: the child is 20 months old
    never = selectors.next_due(bands=bands, born=born, last_band=None, today=today)
    # Never checked: due at the start of the band the child is in now (late since then).
    assert (never.band.from_months, never.due_on) == (18, dt.date(2026, 9, 10))
    assert never.late(today)
    checked = selectors.next_due(bands=bands, born=born, last_band=never.band, today=today)
    assert (checked.band.from_months, checked.due_on) == (24, dt.date(2027, 3, 10))
    assert not checked.late(today)
    # A child who was last checked two bands ago is due the band they are in now.
    old = next(b for b in bands if b.from_months == 6)
    assert selectors.next_due(bands=bands, born=born, last_band=old, today=today).band.from_months == 18


def test_a_child_who_outgrew_the_instrument_is_due_nothing(world):
    bands = _bands(world)
    assert (
        selectors.next_due(bands=bands, born=dt.date(2021, 11, 21), last_band=None, today=clock.today())
        is None
    )
    last = next(b for b in bands if b.from_months == 48)
    assert (
        selectors.next_due(bands=bands, born=dt.date(2022, 1, 1), last_band=last, today=clock.today()) is None
    )
