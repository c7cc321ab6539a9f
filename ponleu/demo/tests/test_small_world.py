"""The small demo world (`ponleu demo --people-per-org 60`), built once and read by each app's
checks (`small_world_<app>.py`): one build instead of one per app, on every day of the dated
run too."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from . import (
    small_world_early_childhood,
    small_world_employment,
    small_world_maternal,
    small_world_nutrition,
    small_world_programmes,
    small_world_referrals,
    small_world_scholarships,
)
from .test_command import _gazetteer

pytestmark = pytest.mark.django_db

CHECKS = (
    small_world_programmes.the_small_world_has_programme_work_of_every_kind,
    small_world_referrals.the_small_world_has_a_directory_and_referrals_in_every_state,
    small_world_employment.the_small_world_has_a_youth_employment_centres_year,
    small_world_maternal.the_small_world_follows_pregnancies_at_every_stage,
    small_world_nutrition.the_small_world_has_a_year_of_growth_monitoring_in_two_villages,
    small_world_early_childhood.the_small_world_has_two_nurseries_with_a_term_checks_and_factories,
    small_world_scholarships.the_small_world_has_two_schemes_with_payments_withheld,
)


@pytest.mark.dated
def test_the_small_world_has_every_apps_work():
    _gazetteer()
    call_command("demo", "--seed", "5", "--people-per-org", "60", stdout=None)
    for check in CHECKS:
        check()
