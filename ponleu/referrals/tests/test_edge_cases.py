"""The issue's edge cases: a consent that expires while its referral is open, a child merged
while referred, a provider that does not serve the child's commune."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.referrals import selectors, services
from ponleu.referrals import today as referrals_today
from ponleu.referrals.choices import ReferralStatus
from ponleu.referrals.models import Referral, SharedRecord
from ponleu.referrals.selectors import ReferralFilters
from ponleu.registry import services as registry_services
from ponleu.registry.tests import factories as people
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
AFTER_EXPIRY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def receiver(world):
    return world.actor("partner_supervisor")


# --- a consent that expires while the referral is open --------------------------------------


@pytest.fixture
def expiring(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    with clock.frozen(NOW):
        factories.share_consent(
            actor, child, recipient=world.other_org.pk, child_assent="not_asked", valid_until="2026-11-30"
        )
        referral = factories.send(actor, factories.draft(actor, child, factories.partner_provider(world)))
        referral = services.referral_move(
            actor=receiver(world), referral=referral, event="acknowledge", version=referral.version
        )
    return referral


def test_the_receiver_sees_the_referral_until_the_consent_ends(world, expiring):
    detail = reverse("referrals:referral_detail", args=[expiring.pk])
    with clock.frozen(NOW):
        partner = client_of(world.user("partner_supervisor"))
        assert partner.get(detail).status_code == 200
    with clock.frozen(AFTER_EXPIRY):
        partner = client_of(world.user("partner_supervisor"))
        assert partner.get(detail).status_code == 404
        assert expiring.reference not in partner.get(reverse("referrals:referral_list")).content.decode()
        them = receiver(world)
        assert not Referral.objects.visible_to(them).exists()
        assert not SharedRecord.objects.visible_to(them).exists()
        assert not selectors.referrals_filtered(actor=them, filters=ReferralFilters(received=True)).exists()
        assert not [item.key for item in referrals_today.ITEMS if item.find(them, 3).count]
        # Nor may it act any more.
        with pytest.raises(PermissionDenied):
            services.referral_move(actor=them, referral=expiring, event="accept", version=expiring.version)


def test_the_referrer_keeps_the_referral_and_is_told_the_sharing_ended(world, expiring):
    with clock.frozen(AFTER_EXPIRY):
        worker = client_of(world.user("caseworker_a"))
        page = worker.get(reverse("referrals:referral_detail", args=[expiring.pk])).content.decode()
    assert "The consent this referral rested on ended on 30/11/2026" in page
    expiring.refresh_from_db()
    assert expiring.status == ReferralStatus.ACKNOWLEDGED  # nobody withdrew it
    with clock.frozen(NOW):
        before = client_of(world.user("caseworker_a"))
        assert (
            "rested on ended"
            not in before.get(reverse("referrals:referral_detail", args=[expiring.pk])).content.decode()
        )


# --- a child merged while referred ---------------------------------------------------------


@pytest.fixture
def twins(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    kept = people.person(actor, given_name_km="ចន្ទា", given_name_latin="Chanda")
    return actor, child, kept


def _merge(world, duplicate, kept):
    return registry_services.person_merge(
        actor=world.actor("supervisor"), duplicate=duplicate, kept=kept, reason="Same child"
    )


def test_a_sent_referral_follows_the_surviving_record(world, twins):
    actor, child, kept = twins
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        referral = factories.send(actor, factories.draft(actor, child, factories.partner_provider(world)))
        _merge(world, child, kept)
        worker = client_of(world.user("caseworker_a"))
        page = worker.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
        assert reverse("registry:person_detail", args=[kept.pk]) in page
        assert "Chanda" in page
        assert "record merged" in page
        answer = worker.get(f"/api/v1/referrals/{referral.pk}")
        assert json.loads(answer.content)["person_id"] == str(kept.pk)
        # Found from the surviving record; the consent on the merged one still covers it.
        found = selectors.referrals_filtered(actor=actor, person=kept)
        assert list(found) == [referral]
        assert SharedRecord.objects.visible_to(receiver(world)).filter(referral=referral).exists()
        # Both sides go on working it.
        referral = services.referral_move(
            actor=receiver(world), referral=referral, event="acknowledge", version=referral.version
        )
        referral = services.referral_move(
            actor=actor,
            referral=referral,
            event="withdraw",
            version=referral.version,
            data={"withdrawal_reason": "Moved away"},
        )
    assert referral.status == ReferralStatus.WITHDRAWN
    assert Referral.objects.get(pk=referral.pk).person_id == child.pk  # nothing moved: unmerging undoes it


def test_a_draft_sent_after_the_merge_goes_to_the_surviving_record(world, twins):
    actor, child, kept = twins
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        draft = factories.draft(actor, child, factories.partner_provider(world))
        _merge(world, child, kept)
        sent = factories.send(actor, draft)
    assert sent.status == ReferralStatus.SENT
    assert Referral.objects.get(pk=sent.pk).person_id == kept.pk
    assert SharedRecord.objects.get(referral=sent).name == "សុខ ចន្ទា"
    moved = AuditEvent.objects.get(action="referral.moved", target_id=str(sent.pk))
    assert moved.changes["person"] == [str(child.pk), str(kept.pk)]


# --- a provider that does not serve the child's commune -----------------------------------


def test_a_provider_outside_the_childs_commune_is_warned_not_refused(world):
    actor = world.actor("caseworker_b")
    child = people.person(actor, village="02080101")  # Sangkae
    clinic = factories.provider(world)  # serves Kantueu only
    worker = client_of(world.user("caseworker_b"))
    new = reverse("referrals:referral_new") + f"?person={child.pk}&provider={clinic.pk}"
    with clock.frozen(NOW):
        warned = "This provider does not list the child"
        assert warned in worker.get(new).content.decode()
        referral = factories.draft(actor, child, clinic, service="primary_health")
        page = worker.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
        assert warned in page
        factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="not_asked")
        sent = factories.send(actor, referral)
        answer = worker.get(f"/api/v1/referrals/{sent.pk}")
    assert sent.status == ReferralStatus.SENT
    assert json.loads(answer.content)["serves_child_commune"] is False
    inside = factories.provider(world, name_km="មណ្ឌលសុខភាពអូរដំបង", areas=("020801",))
    assert selectors.provider_serves(inside, child.area_code)
