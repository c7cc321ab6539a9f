"""Consent coverage: recipient, purpose, categories, dates and the child's assent by age."""

import datetime as dt

import pytest

from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.registry.policies import consent_allows, consent_gaps, covering_consent
from ponleu.registry.tests import factories as people

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def test_recipient_by_organisation_name_or_kind(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)  # born 2015: eleven, below the assent age
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="not_asked")
        assert consent_allows(child, "share", recipient=world.other_org)
        assert not consent_allows(child, "share", recipient=world.org)
        assert consent_allows(child, "share", recipient="Any clinic", recipient_kind="health_centre")
        assert not consent_allows(child, "share", recipient="Any court", recipient_kind="court")
        assert consent_gaps(child, "share", recipient=world.org) == [
            "No consent in force names this recipient."
        ]


def test_purpose_must_match(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    with clock.frozen(NOW):
        factories.share_consent(actor, child, purpose="services", child_assent="not_asked")
        assert consent_allows(child, "services")
        assert consent_gaps(child, "share", recipient=world.other_org) == [
            "There is no consent in force for this purpose."
        ]


def test_categories_beyond_the_default_need_naming(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        assert consent_allows(child, "share", recipient=world.other_org, categories={"basic", "reason"})
        gaps = consent_gaps(
            child, "share", recipient=world.other_org, categories={"basic", "notes", "health"}
        )
        assert gaps == ["The consent does not cover: Health and disability, Case notes and assessments."]
        wider = factories.share_consent(
            actor,
            child,
            recipient=world.other_org.pk,
            child_assent="not_asked",
            data_categories=["basic", "notes", "health"],
        )
        assert covering_consent(child, "share", world.other_org, categories={"notes", "health"}) == wider


def test_dates_from_and_until(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    with clock.frozen(NOW):
        factories.share_consent(
            actor,
            child,
            recipient=world.other_org.pk,
            child_assent="not_asked",
            given_on="2026-02-01",
            valid_until="2026-06-30",
        )
        assert not consent_allows(child, "share", world.other_org, on=dt.date(2026, 1, 31))
        assert consent_allows(child, "share", world.other_org, on=dt.date(2026, 6, 30))
        assert not consent_allows(child, "share", world.other_org, on=dt.date(2026, 7, 1))
        assert not consent_allows(child, "share", world.other_org)


def test_assent_is_asked_from_twelve(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor, date_of_birth=dt.date(2012, 5, 1))  # fourteen
    with clock.frozen(NOW):
        with pytest.raises(ValidationFailed) as refused:
            factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        assert "child_assent" in refused.value.errors
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="refused")
        assert consent_gaps(child, "share", world.other_org) == [
            "The child is 14: their own agreement is needed as well."
        ]
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="given")
        assert consent_allows(child, "share", world.other_org)


def test_a_young_child_needs_no_assent(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor, date_of_birth=dt.date(2019, 5, 1))  # seven
    with clock.frozen(NOW):
        factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
        assert consent_allows(child, "share", world.other_org)


def test_the_child_consenting_themself_is_their_assent(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor, date_of_birth=dt.date(2010, 5, 1))  # sixteen
    with clock.frozen(NOW):
        factories.share_consent(
            actor,
            child,
            recipient=world.other_org.pk,
            given_by="child",
            given_by_name="",
            child_assent="not_asked",
        )
        assert consent_allows(child, "share", world.other_org)
