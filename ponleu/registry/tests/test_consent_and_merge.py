import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.registry import services
from ponleu.registry.models import Person
from ponleu.registry.policies import consent_allows

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def consent(actor, person, **data):
    values = {
        "purpose": "services",
        "given_by": "caregiver",
        "given_by_name": "Sok Sophea",
        "given_on": "2026-01-05",
        "method": "signed_form",
    }
    values.update(data)
    return services.consent_record(actor=actor, person=person, data=values)


def test_consent_allows_by_purpose_recipient_and_dates(world):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    with clock.frozen(NOW):
        assert not consent_allows(child, "services")
        consent(actor, child)
        consent(
            actor, child, purpose="share", recipient_name="Friends  of Children", valid_until="2026-06-30"
        )
        consent(actor, child, purpose="share", recipient=world.other_org.pk)
        assert consent_allows(child, "services")
        assert not consent_allows(child, "family_tracing")
        assert consent_allows(child, "share", recipient=world.other_org)
        assert not consent_allows(child, "share", recipient=world.org)
        # Expired at the end of June: allowed then, not now.
        assert consent_allows(child, "share", recipient="friends of children", on=dt.date(2026, 3, 1))
        assert not consent_allows(child, "share", recipient="Friends of Children")
        assert not consent_allows(child, "services", on=dt.date(2025, 12, 31))
        with pytest.raises(ValueError, match="recipient"):
            consent_allows(child, "share")


def test_withdrawal_takes_effect_at_once_and_is_audited(world):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    with clock.frozen(NOW) as traveller:
        given = consent(
            actor, child, purpose="family_tracing", method="verbal_witnessed", witness_name="Village chief"
        )
        traveller.advance(seconds=5)
        services.consent_withdraw(actor=actor, consent=given, reason="The mother asked")
        assert not consent_allows(child, "family_tracing")
        assert consent_allows(child, "family_tracing", on=dt.date(2026, 11, 20))  # yesterday it held
        with pytest.raises(Conflict):
            services.consent_withdraw(actor=actor, consent=given, reason="again")
    event = AuditEvent.objects.get(action="registry.consent.withdrawn")
    assert event.target_id == str(child.pk)
    assert event.reason == "The mother asked"


def test_consent_rules_and_the_signed_form_sealed_at_rest(world):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    with clock.frozen(NOW):
        with pytest.raises(ValidationFailed) as caught:
            consent(
                actor,
                child,
                purpose="share",
                given_on="2027-01-01",
                method="verbal_witnessed",
                given_by_name="",
            )
        assert {"given_on", "recipient_name", "witness_name", "given_by_name"} <= set(caught.value.errors)
        form = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed by the mother")
        record = services.consent_record(
            actor=actor,
            person=child,
            data={
                "purpose": "services",
                "given_by": "caregiver",
                "given_by_name": "Sok Sophea",
                "given_on": "2026-01-05",
                "method": "signed_form",
            },
            form_file=form,
        )
    stored = record.form_file.storage.base.open(record.form_file.name).read()
    assert b"signed by the mother" not in stored
    with record.form_file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 signed by the mother"


def test_merge_keeps_both_histories_and_is_reversible(world, login_as):
    caseworker, supervisor = world.actor("caseworker_a"), world.actor("supervisor")
    kept = factories.person(caseworker, phones=[{"number": "012345678", "owner": "mother"}])
    duplicate = factories.person(
        caseworker,
        family_name_latin="Sokh",
        given_name_latin="Darah",
        identifiers=[{"type": "birth_certificate", "value": "77/2015"}],
    )
    with clock.frozen(NOW):
        consent(caseworker, duplicate)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=caseworker, duplicate=duplicate, kept=kept, reason="same child")
    with pytest.raises(Conflict):
        services.person_merge(actor=supervisor, duplicate=duplicate, kept=kept, reason="x", versions=(1, 7))
    services.person_merge(actor=supervisor, duplicate=duplicate, kept=kept, reason="Same birth certificate")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert consent_allows(kept, "services")  # the duplicate's consent counts for the kept record
    page = login_as(world.user("supervisor")).get(
        reverse("registry:person_detail", kwargs={"person_id": kept.pk})
    )
    text = page.content.decode()
    assert "77/2015" in text
    assert "+855 12 345 678" in text
    assert "Sokh Darah" in text
    assert [e.target_id for e in AuditEvent.objects.filter(action="registry.person.merged")] == [
        str(duplicate.pk),
        str(kept.pk),
    ]
    assert Person.objects.active().filter(pk=duplicate.pk).count() == 0
    with pytest.raises(ValidationFailed):
        services.person_unmerge(actor=supervisor, duplicate=duplicate, reason=" ")
    services.person_unmerge(actor=supervisor, duplicate=duplicate, reason="Twins, not one child")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not consent_allows(kept, "services")
    assert duplicate.identifiers.get().value == "77/2015"


def test_photo_is_sealed_at_rest_and_served_only_unmasked(world, login_as):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    with pytest.raises(ValidationFailed):
        services.person_photo_set(
            actor=actor, person=child, upload=SimpleUploadedFile("x.png", b"GIF89a not a photo")
        )
    services.person_photo_set(actor=actor, person=child, upload=SimpleUploadedFile("child.png", PNG))
    child.refresh_from_db()
    assert child.photo.storage.base.open(child.photo.name).read() != PNG
    response = login_as(world.user("caseworker_a")).get(
        reverse("registry:person_photo", kwargs={"person_id": child.pk})
    )
    assert response["Content-Type"] == "image/png"
    assert b"".join(response) == PNG
    assert "child" not in child.photo.name
