import datetime as dt

import pytest
from django.test import Client

from ponleu.cases.services.contact import note_add
from ponleu.cases.tests.factories import open_case
from ponleu.registry.tests.factories import person
from ponleu.testing.login import login


@pytest.fixture
def people(world):
    """A few children registered through the services, one with a case and a sealed note, each read once."""
    actor = world.actor("caseworker_a")
    children = [
        person(actor, given_name_latin=name, given_name_km="ស្រីពៅ") for name in ("Kanitha", "Sreypov", "Vanna")
    ]
    case = open_case(world, child=children[0], summary="Synthetic summary for the drill")
    note_add(
        actor=actor,
        case=case,
        interaction="home_visit",
        happened_on=dt.date(2025, 1, 8),
        observations="Synthetic observations: the child is well.",
    )
    reader = Client()
    login(reader, world.user("caseworker_a"))
    for child in children:
        assert reader.get(f"/people/{child.pk}/").status_code == 200
    return children
