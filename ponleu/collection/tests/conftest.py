"""The household and child registration forms, published to team A, that bound submissions are sent to."""

from __future__ import annotations

import pytest

from ponleu.collection import services, standard_forms

from .helpers import actor


@pytest.fixture
def form(world):
    admin = actor(world.members["org_admin"])
    version = services.form_upload(
        actor=admin,
        data=standard_forms.xlsx("household_registration"),
        binding="household_registration",
        encrypt=False,
    )
    services.form_publish(actor=admin, form=version.form, team_ids=[world.team_a.pk])
    return version


@pytest.fixture
def child_form(world):
    admin = actor(world.members["org_admin"])
    version = services.form_upload(
        actor=admin,
        data=standard_forms.xlsx("child_registration"),
        binding=standard_forms.FORMS["child_registration"].binding,
        encrypt=False,
    )
    services.form_publish(actor=admin, form=version.form, team_ids=[world.team_a.pk])
    return version
