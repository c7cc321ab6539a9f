"""The submissions export writes a person's names, date of birth and phone only where the
registry's rule for files allows it (identity and consent for services), as the registry's
own export does; everything else is masked, and the people named are an access event."""

from __future__ import annotations

import csv
import io

import pytest

from ponleu.audit.models import AccessEvent
from ponleu.collection import services, standard_forms
from ponleu.collection.choices import SubmissionStatus
from ponleu.common import clock
from ponleu.registry import services as registry_services
from ponleu.registry.models import Person
from ponleu.testing.login import login

from .helpers import actor

pytestmark = pytest.mark.django_db
VILLAGE = "02010101"


def _xml(instance_id: str) -> bytes:
    return (
        f'<data id="ponleu_household_registration" version="{standard_forms.VERSION}">'
        f"<start/><end/><village_code>{VILLAGE}</village_code><head_name>សុខ ដារា</head_name>"
        "<head_sex>female</head_sex><head_birth_date>1985-03-02</head_birth_date><phone>012345678</phone>"
        "<members><member_name>សុខ សុភា</member_name><member_sex>male</member_sex>"
        "<member_birth_date>2020-06-01</member_birth_date></members>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def _export(world, client, form) -> list[list[str]]:
    response = client.get(f"/collect/manage/{form.form_id}/?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _consent(world, person, categories):
    registry_services.consent_record(
        actor=actor(world.members["supervisor"]),
        person=person,
        data={
            "purpose": "services",
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "given_on": clock.today().isoformat(),
            "method": "signed_form",
            "child_assent": "not_asked",
            "data_categories": categories,
        },
    )


def test_identities_in_the_export_need_the_identity_rule_and_consent(
    world, form, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        received = services.submission_receive(
            actor=actor(world.members["field_worker"]), xml=_xml("uuid:e1"), uploads=[]
        )
    submission = received.submission
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    login(client, world.members["supervisor"].user)

    # No consent for services: names masked as the registry masks them, dates and phone left out.
    (row,) = _export(world, client, form)
    assert "ដារា" not in row["head_name"]
    assert "សុភា" not in row["members/member_name"]
    assert row["head_birth_date"] == row["members/member_birth_date"] == row["phone"] == ""
    assert row["head_sex"] == "female"  # not identifying on its own
    people = list(Person.objects.filter(household_memberships__household=submission.household))
    event = AccessEvent.objects.filter(target_type="registry.person").latest("id")
    assert event.action == "registry.person.exported"
    assert sorted(event.target_ids) == sorted(str(p.pk) for p in people)

    # Consent for the basics of both: names and dates, but the phone still needs "contact".
    for person in people:
        _consent(world, person, ["basic"])
    (row,) = _export(world, client, form)
    assert row["head_name"] == "សុខ ដារា"
    assert row["members/member_birth_date"] == "2020-06-01"
    assert row["phone"] == ""
    for person in people:
        _consent(world, person, ["basic", "contact"])
    assert _export(world, client, form)[0]["phone"] == "012345678"


def test_consent_for_one_member_alone_does_not_clear_the_household(
    world, form, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_receive(
            actor=actor(world.members["field_worker"]), xml=_xml("uuid:e2"), uploads=[]
        ).submission
    submission.refresh_from_db()
    head, *others = Person.objects.filter(household_memberships__household=submission.household).order_by(
        "date_of_birth"
    )
    _consent(world, head, ["basic"])
    login(client, world.members["supervisor"].user)
    (row,) = _export(world, client, form)
    # A household's answers are one cell per question, so every member must be cleared.
    assert row["head_name"] == ""
    assert row["head_birth_date"] == ""


def test_a_submission_not_in_the_registry_names_nobody(world, form, client):
    services.submission_receive(actor=actor(world.members["field_worker"]), xml=_xml("uuid:e3"), uploads=[])
    login(client, world.members["supervisor"].user)
    (row,) = _export(world, client, form)
    assert row["status"] == SubmissionStatus.RECEIVED
    assert row["head_name"] == row["members/member_name"] == row["phone"] == row["head_birth_date"] == ""
