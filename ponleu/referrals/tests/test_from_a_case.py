"""A referral made from a case: the case page offers it to those who may refer the child, opens
the directory on the child's commune, and the new referral carries the case (its origin)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.cases.tests import factories as cases
from ponleu.common import clock
from ponleu.referrals.choices import ReferralOrigin
from ponleu.referrals.models import Referral
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def test_a_referral_from_a_case_carries_the_case(world):
    worker = world.user("caseworker_a")
    client = Client()
    login(client, worker)
    clinic = factories.provider(world)
    with clock.frozen(NOW):
        child = cases.make_child(world, owner=worker)
        case = cases.open_case(world, child=child)
        other = cases.open_case(world, child=cases.make_child(world, owner=worker))
        page = client.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
        directory = (
            f"{reverse('referrals:directory')}?person={child.pk}&amp;case={case.pk}&amp;commune=020101"
        )
        assert directory in page
        found = client.get(
            reverse("referrals:directory"),
            {"person": child.pk, "case": case.pk, "commune": "020101", "service": "primary_health"},
        ).content.decode()
        assert f"provider={clinic.pk}&amp;case={case.pk}" in found
        new = reverse("referrals:referral_new")
        form = client.get(new, {"person": child.pk, "provider": clinic.pk, "case": case.pk}).content.decode()
        assert f'name="case" value="{case.pk}"' in form
        body = {
            "person": child.pk,
            "provider": clinic.pk,
            "service": "primary_health",
            "reason": "Fever",
            "urgency": "routine",
            "shared_fields": ["name", "age"],
        }
        # A case of another child: refused on the form, nothing drafted.
        assert client.post(new, {**body, "case": other.pk}).status_code == 400
        assert not Referral.objects.exists()
        created = client.post(new, {**body, "case": case.pk})
    referral = Referral.objects.get()
    assert created["Location"] == reverse("referrals:referral_detail", kwargs={"referral_id": referral.pk})
    assert (referral.case_id, referral.origin) == (case.pk, ReferralOrigin.CASE)


def test_the_case_page_offers_a_referral_only_to_who_may_refer_the_child(world):
    with clock.frozen(NOW):
        case = cases.open_case(world, child=cases.make_child(world))  # nobody's child
    client = Client()
    login(client, world.user("caseworker_a"))
    page = client.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert f"{reverse('referrals:directory')}?person=" not in page
    login(client, world.user("supervisor"))
    page = client.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert f"{reverse('referrals:directory')}?person=" in page
