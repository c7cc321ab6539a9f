import itertools

import pytest

from ponleu.registry.models import Person

_names = itertools.count()


@pytest.fixture
def person(world):
    """Make a person in the test world: ``person(village="02010101", owner=user, team=team)``."""

    def make(*, org=None, village="02010101", owner=None, team=None, sensitive=False, given=None):
        n = next(_names)
        return Person.objects.create(
            organisation=org or world.org,
            village_id=village,
            owner=owner,
            team=team,
            family_name_latin="Sok",
            given_name_latin=given or f"Dara{n:03d}",
            family_name_km="សុខ",
            given_name_km="ដារា",
            is_sensitive=sensitive,
        )

    return make
