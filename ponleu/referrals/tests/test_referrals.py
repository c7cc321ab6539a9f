"""Referral services and the "shared with us" scope."""

import datetime as dt
import uuid

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.geography.models import AdminUnit
from ponleu.notifications.models import Notification
from ponleu.referrals import selectors, services, workflow
from ponleu.referrals.choices import ReferralStatus
from ponleu.referrals.models import Referral, SharedRecord
from ponleu.registry.tests import factories as people

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    provider = factories.partner_provider(world)
    return actor, child, provider


def sent(world, setup, **data):
    actor, child, provider = setup
    factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
    referral = factories.draft(actor, child, provider, **data)
    return factories.send(actor, referral)


def receiver(world):
    return world.actor("partner_supervisor")


def test_sending_without_consent_is_refused_naming_what_is_missing(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        referral = factories.draft(actor, child, provider)
        with pytest.raises(ValidationFailed) as refused:
            factories.send(actor, referral)
    assert refused.value.errors["consent"] == [
        "Consent does not cover this referral.",
        "There is no consent in force for this purpose.",
    ]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not SharedRecord.objects.exists()


def test_a_consent_not_covering_a_ticked_category_is_refused(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        referral = factories.draft(actor, child, provider, shared_fields=["name", "notes"])
        with pytest.raises(ValidationFailed) as refused:
            factories.send(actor, referral)
    assert "Case notes and assessments" in refused.value.errors["consent"][1]


def test_send_is_idempotent(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        referral = factories.draft(actor, child, provider)
        key = uuid.uuid4()
        first = services.referral_send(actor=actor, referral=referral, version=referral.version, send_key=key)
        again = services.referral_send(actor=actor, referral=referral, version=referral.version, send_key=key)
    assert first.pk == again.pk
    assert again.status == ReferralStatus.SENT
    assert SharedRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.sent").count() == 1
    with pytest.raises(workflow.IllegalMove):
        services.referral_send(actor=actor, referral=first, version=first.version, send_key=uuid.uuid4())


def test_stale_version_is_a_conflict(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup)
        with pytest.raises(Conflict):
            services.referral_move(actor=receiver(world), referral=referral, event="acknowledge", version=1)


def test_due_date_follows_the_state_and_urgency(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup, urgency="emergency")
    assert referral.due_on == dt.date(2026, 11, 22)


def test_legal_exception_needs_a_supervisor_other_than_the_worker(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        referral = factories.draft(
            actor,
            child,
            provider,
            legal_exception="imminent_danger",
            legal_exception_note="Beaten last night",
        )
        with pytest.raises(ValidationFailed):
            factories.send(actor, referral)
        with pytest.raises(PermissionDenied):
            services.referral_approve_exception(actor=actor, referral=referral, version=referral.version)
        approved = services.referral_approve_exception(
            actor=world.actor("supervisor"), referral=referral, version=referral.version
        )
        done = factories.send(actor, approved)
    assert done.status == ReferralStatus.SENT
    assert done.consent is None
    assert SharedRecord.objects.visible_to(receiver(world)).count() == 1


def test_the_receiver_sees_the_referral_only_through_shared_with_us(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup)
    partner = receiver(world)
    assert list(Referral.objects.visible_to(partner)) == [referral]
    # A caseworker of the receiver sees only what is assigned to them.
    assert not Referral.objects.visible_to(world.actor("partner")).exists()
    # Nobody outside both organisations, and no role without the capability.
    assert not Referral.objects.visible_to(world.actor("teacher")).exists()
    assert not Referral.objects.visible_to(world.actor("me_officer")).exists()


def test_a_draft_is_not_shared(world, setup):
    actor, child, provider = setup
    factories.draft(actor, child, provider)
    assert not Referral.objects.visible_to(receiver(world)).exists()


CANARY = "CANARY-{}"


def test_the_receiver_sees_exactly_the_chosen_fields(world, setup):
    """A canary in every field of the child and the referral: only the chosen ones reach the
    receiving organisation's shared record; every other column is empty."""
    actor, _child, provider = setup
    child = people.person(
        actor,
        family_name_km="សុខ",
        given_name_km="ចន្ទា",
        nickname=CANARY.format("nickname"),
        family_name_latin="Canary",
        given_name_latin="Latin",
        phones=[{"number": "012 999 888", "owner": "mother"}],
    )
    with clock.frozen(NOW):
        factories.share_consent(
            actor,
            child,
            recipient=world.other_org.pk,
            child_assent="not_asked",
            data_categories=["basic", "reason", "contact", "notes", "health", "sensitive"],
        )
        referral = factories.draft(
            actor, child, provider, reason=CANARY.format("reason"), shared_fields=["name", "age"]
        )
        factories.send(actor, referral)
    shared = selectors.shared_record(actor=receiver(world), referral=referral)
    assert shared.name == "សុខ ចន្ទា"
    assert shared.age == 11
    for column in ("sex", "reason", "urgency", "referrer_contact", "phone", "notes", "health", "sensitive"):
        assert getattr(shared, column) in ("", None), column
    assert shared.village_id is None
    values = " ".join(str(v) for v in SharedRecord.objects.filter(pk=shared.pk).values().first().values())
    for canary in ("CANARY", "Canary", "999"):
        assert canary not in values


def test_withdrawing_consent_cuts_access_in_the_same_transaction(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        consent = factories.share_consent(
            actor, child, recipient=world.other_org.pk, child_assent="not_asked"
        )
        referral = factories.send(actor, factories.draft(actor, child, provider))
        partner = receiver(world)
        assert SharedRecord.objects.visible_to(partner).exists()
        ended = services.referral_consent_withdraw(
            actor=actor, consent=consent, reason="The mother changed her mind"
        )
        # Same transaction, same request: nothing is reachable any more.
        assert not Referral.objects.visible_to(partner).exists()
        assert not SharedRecord.objects.visible_to(partner).exists()
    assert [r.pk for r in ended] == [referral.pk]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert SharedRecord.objects.get(referral=referral).name == ""
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"caseworker_a", "dpo", "partner_supervisor"} <= told


def test_withdrawal_by_the_registry_alone_also_withdraws_the_referral_and_tells_everyone(world, setup):
    from ponleu.organisations.choices import Role
    from ponleu.registry import services as registry_services
    from ponleu.testing.world import make_member

    make_member(world.other_org, "partner_dpo", Role.DPO, areas=["17"])
    actor, child, provider = setup
    with clock.frozen(NOW):
        consent = factories.share_consent(
            actor, child, recipient=world.other_org.pk, child_assent="not_asked"
        )
        referral = factories.send(actor, factories.draft(actor, child, provider))
        registry_services.consent_withdraw(actor=actor, consent=consent, reason="changed her mind")
        assert not SharedRecord.objects.visible_to(receiver(world)).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.sharing_ended_at is not None
    assert SharedRecord.objects.get(referral=referral).name == ""
    assert AuditEvent.objects.filter(action="referral.sharing_ended", target_id=str(referral.pk)).exists()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"caseworker_a", "dpo", "partner_supervisor", "partner_dpo"} <= told


def test_a_referral_under_an_approved_legal_exception_outlives_a_consent_withdrawn(world, setup):
    from ponleu.registry import services as registry_services

    actor, child, provider = setup
    with clock.frozen(NOW):
        consent = factories.share_consent(
            actor, child, recipient_kind="health_centre", child_assent="not_asked"
        )
        referral = factories.draft(
            actor, child, provider, legal_exception="imminent_danger", legal_exception_note="Beaten"
        )
        referral = services.referral_approve_exception(
            actor=world.actor("supervisor"), referral=referral, version=referral.version
        )
        referral = factories.send(actor, referral)
        registry_services.consent_withdraw(actor=actor, consent=consent, reason="changed her mind")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_the_registrys_consent_page_withdraws_the_open_referrals(world, setup):
    from django.test import Client
    from django.urls import reverse

    from ponleu.testing.login import login

    actor, child, provider = setup
    client = Client()
    login(client, world.user("caseworker_a"))
    with clock.frozen(NOW):
        consent = factories.share_consent(
            actor, child, recipient=world.other_org.pk, child_assent="not_asked"
        )
        referral = factories.send(actor, factories.draft(actor, child, provider))
        page = client.post(
            reverse("registry:consent_withdraw", args=[child.pk, consent.pk]), {"reason": "She said no"}
        )
        assert page.status_code == 302
        assert not Referral.objects.visible_to(receiver(world)).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert Notification.objects.filter(recipient__username="partner_supervisor").exists()


def test_a_consent_that_expires_ends_sharing(world, setup):
    actor, child, provider = setup
    with clock.frozen(NOW):
        factories.share_consent(
            actor, child, recipient=world.other_org.pk, child_assent="not_asked", valid_until="2026-11-30"
        )
        factories.send(actor, factories.draft(actor, child, provider))
        assert SharedRecord.objects.visible_to(receiver(world)).exists()
    with clock.frozen(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)):
        assert not SharedRecord.objects.visible_to(receiver(world)).exists()


def test_accept_creates_the_child_in_the_receivers_registry(world, setup):
    from ponleu.registry.models import Person

    partner = world.members["partner_supervisor"]
    partner.areas.add(AdminUnit.objects.get(pk="0201"))
    with clock.frozen(NOW):
        referral = sent(world, setup)
        them = receiver(world)
        referral = services.referral_accept(actor=them, referral=referral, version=referral.version)
        assert referral.status == ReferralStatus.ACCEPTED
        created = Person.objects.get(pk=referral.receiver_person_id)
        assert created.organisation_id == world.other_org.pk
        assert created.display_name("km") == "សុខ ដារ៉ា"
        # A second referral of the same child finds the first record: search before create.
        second = sent(world, setup)
        with pytest.raises(ValidationFailed) as found:
            services.referral_accept(actor=them, referral=second, version=second.version)
        assert "person" in found.value.errors
        linked = services.referral_accept(
            actor=them, referral=second, version=second.version, existing_person=created
        )
        assert linked.receiver_person_id == created.pk
        # The referrer sees status and outcome.
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
    seen = selectors.referral_get(actor=world.actor("caseworker_a"), referral_id=referral.pk)
    assert seen.status == ReferralStatus.COMPLETED
    assert seen.outcome == "Safe at the shelter"


def test_the_referrer_cannot_take_the_receivers_steps(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup)
        with pytest.raises(PermissionDenied):
            services.referral_move(
                actor=world.actor("caseworker_a"),
                referral=referral,
                event="acknowledge",
                version=referral.version,
            )


def test_decline_needs_a_reason_and_is_closed_by_the_referrer(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup)
        them = receiver(world)
        with pytest.raises(ValidationFailed):
            services.referral_move(actor=them, referral=referral, event="decline", version=referral.version)
        referral = services.referral_move(
            actor=them,
            referral=referral,
            event="decline",
            version=referral.version,
            data={"decline_reason": "no_capacity"},
        )
        closed = services.referral_move(
            actor=world.actor("caseworker_a"), referral=referral, event="close", version=referral.version
        )
    assert closed.status == ReferralStatus.CLOSED
    assert not Referral.objects.visible_to(them).exists()


def test_outside_provider_steps_are_recorded_by_the_referrer(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    clinic = factories.provider(world)
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="not_asked")
        referral = factories.send(actor, factories.draft(actor, child, clinic, service="primary_health"))
        referral = services.referral_move(
            actor=actor, referral=referral, event="acknowledge", version=referral.version
        )
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    assert not SharedRecord.objects.exists()


def test_a_child_merged_while_referred_keeps_the_referral_and_cannot_be_referred_again(world, setup):
    from ponleu.registry import services as registry_services

    actor, child, provider = setup
    twin = people.person(actor)
    with clock.frozen(NOW):
        referral = sent(world, setup)
        registry_services.person_merge(
            actor=world.actor("supervisor"), duplicate=child, kept=twin, reason="Same child"
        )
        child.refresh_from_db()
        with pytest.raises(Conflict):
            factories.draft(actor, child, provider)
        # Consent given on the merged record still counts for the open referral.
        assert SharedRecord.objects.visible_to(receiver(world)).filter(referral=referral).exists()


def test_the_referrer_records_the_acceptance_of_a_provider_without_an_account(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    clinic = factories.provider(world)
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="not_asked")
        referral = factories.send(actor, factories.draft(actor, child, clinic, service="primary_health"))
        referral = services.referral_move(
            actor=actor, referral=referral, event="accept", version=referral.version
        )
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.receiver_person_id is None


def test_accepting_into_another_organisation_goes_through_referral_accept(world, setup):
    with clock.frozen(NOW):
        referral = sent(world, setup)
        with pytest.raises(workflow.IllegalMove):
            services.referral_move(
                actor=receiver(world), referral=referral, event="accept", version=referral.version
            )
