"""Referrals and cases: the receiver's case opened on accepting, the outcome back on the
referring case's notes."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.cases.models import Case, CaseNote
from ponleu.cases.tests import factories as case_factories
from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.geography.models import AdminUnit
from ponleu.referrals import services
from ponleu.referrals.choices import ReferralStatus
from ponleu.registry.models import Person
from ponleu.registry.tests import factories as people
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def referred(world):
    """A child of a case of the first organisation, referred with consent to the other's shelter."""
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    world.members["partner_supervisor"].areas.add(AdminUnit.objects.get(pk="0201"))
    with clock.frozen(NOW):
        case = case_factories.open_case(world, child=child)
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        referral = factories.draft(actor, child, factories.partner_provider(world), case=case, origin="case")
        referral = factories.send(actor, referral)
    return referral, case


def receiver(world):
    return world.actor("partner_supervisor")


def test_accepting_may_open_a_linked_case_in_the_receivers_organisation(world, referred):
    referral, _case = referred
    with clock.frozen(NOW):
        accepted = services.referral_accept(
            actor=receiver(world), referral=referral, version=referral.version, case_type="child_protection"
        )
    opened = Case.objects.get(pk=accepted.receiver_case_id)
    assert opened.organisation_id == world.other_org.pk
    assert opened.person_id == accepted.receiver_person_id
    assert opened.source == "other_organisation"
    assert accepted.reference in opened.source_detail
    assert opened.summary == "Violence at home"  # the reason, as shared
    assert opened.owner_id == world.user("partner_supervisor").pk


def test_a_case_that_cannot_be_opened_leaves_the_referral_unaccepted(world, referred):
    referral, _case = referred
    people_before = Person.objects.count()
    with clock.frozen(NOW), pytest.raises(ValidationFailed):
        services.referral_accept(
            actor=receiver(world), referral=referral, version=referral.version, case_type="no_such_type"
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.receiver_person_id is None
    assert Person.objects.count() == people_before
    assert not Case.objects.filter(organisation=world.other_org).exists()


def test_the_outcome_flows_back_to_the_referring_case(world, referred):
    referral, case = referred
    them = receiver(world)
    with clock.frozen(NOW):
        referral = services.referral_accept(actor=them, referral=referral, version=referral.version)
        referral = services.referral_move(
            actor=them, referral=referral, event="start_service", version=referral.version
        )
        referral = services.referral_move(
            actor=them,
            referral=referral,
            event="complete",
            version=referral.version,
            data={"outcome": "Safe at the shelter", "family_said": "Thankful"},
        )
    notes = list(CaseNote.objects.filter(case=case).order_by("created_at"))
    # Accepted, then completed; starting the service is not news for the case.
    assert len(notes) == 2
    assert referral.reference in notes[0].observations
    assert "Accepted" in notes[0].observations
    assert "Safe at the shelter" in notes[1].observations
    assert "Thankful" in notes[1].observations
    assert notes[1].interaction == "third_party"
    assert notes[1].place == "Other Org shelter"


def test_a_decline_flows_back_with_its_reason(world, referred):
    referral, case = referred
    with clock.frozen(NOW):
        services.referral_move(
            actor=receiver(world),
            referral=referral,
            event="decline",
            version=referral.version,
            data={"decline_reason": "no_capacity", "decline_note": "INTERNAL-NOTE"},
        )
    note = CaseNote.objects.get(case=case)
    assert "No place or capacity" in note.observations
    assert "INTERNAL-NOTE" not in note.observations


def test_a_closed_case_gets_no_note(world, referred):
    referral, case = referred
    Case.objects.filter(pk=case.pk).update(status="closed")
    with clock.frozen(NOW):
        services.referral_accept(actor=receiver(world), referral=referral, version=referral.version)
    assert not CaseNote.objects.filter(case=case).exists()


def test_the_receiver_accepts_and_opens_a_case_from_the_page(world, referred):
    from ponleu.cases.services.configuration import configuration_seed

    referral, _case = referred
    configuration_seed(actor=factories.system(world.other_org), organisation=world.other_org)
    client = Client()
    login(client, world.user("partner_supervisor"))
    with clock.frozen(NOW):
        page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
        assert 'name="case_type"' in page
        client.post(
            reverse("referrals:referral_step", args=[referral.pk, "accept"]),
            {"version": referral.version, "case_type": "child_protection"},
        )
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED
        assert referral.receiver_case is not None
        page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert reverse("cases:case_detail", args=[referral.receiver_case_id]) in page
