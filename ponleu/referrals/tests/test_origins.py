"""Where a referral comes from: a dropout-risk flag or a household's family support (and a
case), named on the referral, carried from the page where the need was met to the new referral."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.early_warning.models import Flag
from ponleu.education.tests.factories import enrol, make_class, make_school, make_year
from ponleu.referrals.choices import ReferralOrigin
from ponleu.referrals.models import Referral
from ponleu.registry.models import HouseholdMember
from ponleu.registry.tests import factories as people
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _flag(world, child) -> Flag:
    school = make_school(world.org)
    school_class = make_class(school, make_year(world.org))
    enrolment = enrol(school_class, child)
    return Flag.objects.create(
        organisation=world.org,
        enrolment=enrolment,
        school_class=school_class,
        opened_on=dt.date(2026, 11, 16),
        method="rule_index",
        index_score=1.0,
        factors=[],
    )


def _in_household(actor, child):
    household = people.household(actor)
    HouseholdMember.objects.create(household=household, person=child, relationship="child")
    return household


def _refer(client, child, provider, **links):
    query = "&".join(f"{name}={pk}" for name, pk in links.items())
    new = reverse("referrals:referral_new") + f"?person={child.pk}&provider={provider.pk}&{query}"
    page = client.get(new)
    assert page.status_code == 200
    for name, pk in links.items():
        assert f'name="{name}" value="{pk}"' in page.content.decode()
    return client.post(
        new,
        {
            "person": child.pk,
            "provider": provider.pk,
            "service": "primary_health",
            "reason": "Needs a check-up",
            "urgency": "routine",
            "shared_fields": ["name", "age"],
            **links,
        },
    )


def test_a_referral_from_a_dropout_risk_flag_records_the_flag(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    flag = _flag(world, child)
    clinic = factories.provider(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        review = worker.get(reverse("early_warning:flag_review", args=[flag.pk])).content.decode()
        directory = f"{reverse('referrals:directory')}?person={child.pk}&amp;flag={flag.pk}"
        assert directory in review
        found = worker.get(
            reverse("referrals:directory"),
            {"person": child.pk, "flag": flag.pk, "service": "primary_health", "commune": "020101"},
        ).content.decode()
        assert f"&amp;flag={flag.pk}" in found
        assert reverse("referrals:referral_new") + f"?person={child.pk}&amp;provider=" in found
        made = _refer(worker, child, clinic, flag=flag.pk)
        assert made.status_code == 302
        page = worker.get(made["Location"]).content.decode()
    referral = Referral.objects.get()
    assert referral.origin == ReferralOrigin.RISK_FLAG
    assert referral.risk_flag == flag
    assert reverse("early_warning:flag_review", args=[flag.pk]) in page


def test_a_referral_from_a_household_records_the_household(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    household = _in_household(actor, child)
    clinic = factories.provider(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        page = worker.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
        assert f"?person={child.pk}&amp;household={household.pk}" in page
        made = _refer(worker, child, clinic, household=household.pk)
    assert made.status_code == 302
    referral = Referral.objects.get()
    assert (referral.origin, referral.household) == (ReferralOrigin.HOUSEHOLD, household)


def test_a_referral_from_a_case_records_the_case(world):
    from ponleu.cases.tests.factories import open_case

    actor = world.actor("caseworker_a")
    child = people.person(actor)
    clinic = factories.provider(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        case = open_case(world, child=child)
        page = worker.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
        assert f"?person={child.pk}&amp;case={case.pk}" in page
        made = _refer(worker, child, clinic, case=case.pk)
    assert made.status_code == 302
    referral = Referral.objects.get()
    assert (referral.origin, referral.case) == (ReferralOrigin.CASE, case)


def test_the_record_it_comes_from_must_be_the_childs_and_in_reach(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    sibling = people.person(actor, given_name_km="ចន្ទា")
    clinic = factories.provider(world)
    with pytest.raises(ValidationFailed) as wrong:
        factories.draft(
            actor,
            child,
            clinic,
            service="primary_health",
            origin="household",
            household=_in_household(actor, sibling),
        )
    assert "household" in wrong.value.errors
    with pytest.raises(ValidationFailed) as wrong:
        factories.draft(
            actor,
            child,
            clinic,
            service="primary_health",
            origin="risk_flag",
            risk_flag=_flag(world, sibling),
        )
    assert "risk_flag" in wrong.value.errors
    with pytest.raises(ValidationFailed) as missing:
        factories.draft(actor, child, clinic, service="primary_health", origin="risk_flag")
    assert missing.value.errors["risk_flag"] == ["Name the record the referral comes from."]
    # Another organisation's household is out of reach: the page is a 404, nothing is drafted.
    partner = world.actor("partner")
    theirs = people.household(partner, village="17070101")
    worker = client_of(world.user("caseworker_a"))
    new = reverse("referrals:referral_new") + f"?person={child.pk}&provider={clinic.pk}&household={theirs.pk}"
    assert worker.get(new).status_code == 404
    # The directory ignores it: the link it makes carries only what is in reach.
    found = worker.get(
        reverse("referrals:directory"),
        {"person": child.pk, "household": theirs.pk, "service": "primary_health", "commune": "020101"},
    ).content.decode()
    assert 'name="household"' not in found
    assert not re.search(r'/referrals/new/[^"]*household', found)
    assert not Referral.objects.exists()


def test_the_api_names_the_flag_a_referral_comes_from(world, login_as):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    flag = _flag(world, child)
    clinic = factories.provider(world)
    client = login_as(world.user("caseworker_a"))
    answer = client.post(
        "/api/v1/referrals",
        {
            "person_id": str(child.pk),
            "provider_id": str(clinic.pk),
            "service": "primary_health",
            "reason": "Absent for two weeks",
            "origin": "risk_flag",
            "risk_flag_id": str(flag.pk),
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["origin"], body["risk_flag_id"]) == ("risk_flag", str(flag.pk))
