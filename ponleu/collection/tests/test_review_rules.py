"""Review decisions keep to the likely matches the search proposed; every change of a
submission's state (to review, to error, decrypted) and every form media file is audited;
the reason a submission failed names the field in the sender's language; the form list
costs the same number of queries for one form or twenty."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ponleu.audit.models import AuditEvent
from ponleu.collection import services, standard_forms
from ponleu.collection.choices import CollectionAction, SubmissionStatus
from ponleu.collection.models import CollectionForm, FormVersion
from ponleu.registry.services.households import household_create, household_member_add
from ponleu.registry.services.people import person_create
from ponleu.testing.login import login

from .helpers import actor, basic, device_token, publish_visit
from .test_binding_child import _existing_child, _receive, _xml

pytestmark = pytest.mark.django_db
VILLAGE = "02010101"


def _audited(action, submission) -> bool:
    return AuditEvent.objects.filter(action=action, target_id=str(submission.pk)).exists()


def test_a_child_is_matched_only_to_a_proposed_likely_match(
    world, child_form, django_capture_on_commit_callbacks
):
    proposed = _existing_child(world)
    elsewhere = person_create(
        actor=actor(world.members["field_worker"]),
        data={"family_name_km": "កែវ", "given_name_km": "ចន្ទា", "kind": "child", "village": VILLAGE},
    )
    submission = _receive(world, _xml("uuid:r1"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    assert _audited(CollectionAction.SUBMISSION_TO_REVIEW, submission)
    assert str(elsewhere.pk) not in submission.likely_matches
    client = Client()
    login(client, world.members["supervisor"].user)
    refused = client.post(
        f"/collect/submissions/{submission.pk}/review/", {"person": str(elsewhere.pk)}, follow=True
    )
    assert "Choose one of the children the review proposed" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REVIEW
    assert submission.person is None
    client.post(f"/collect/submissions/{submission.pk}/review/", {"person": str(proposed.pk)})
    submission.refresh_from_db()
    assert submission.person == proposed


def test_a_household_is_matched_only_to_one_holding_a_likely_match(
    world, form, django_capture_on_commit_callbacks
):
    field = actor(world.members["field_worker"])
    head = person_create(
        actor=field,
        data={
            "family_name_km": "សុខ",
            "given_name_km": "ដារា",
            "sex": "female",
            "kind": "adult",
            "village": VILLAGE,
            "date_of_birth": "1985-03-02",
        },
    )
    proposed = household_create(actor=field, data={"village": VILLAGE})
    household_member_add(actor=field, household=proposed, person=head, relationship="head")
    unrelated = household_create(actor=field, data={"village": VILLAGE})
    xml = (
        f'<data id="ponleu_household_registration" version="{standard_forms.VERSION}">'
        f"<start/><end/><village_code>{VILLAGE}</village_code><head_name>សុខ ដារា</head_name>"
        "<head_sex>female</head_sex><head_birth_date>1985-03-02</head_birth_date><phone/>"
        "<meta><instanceID>uuid:r2</instanceID></meta></data>"
    ).encode()
    submission = _receive(world, xml, django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    client = Client()
    login(client, world.members["supervisor"].user)
    page = client.post(
        f"/collect/submissions/{submission.pk}/review/", {"household": str(unrelated.pk)}, follow=True
    )
    assert "Choose one of the households the review proposed" in page.content.decode()
    submission.refresh_from_db()
    assert submission.household is None
    client.post(f"/collect/submissions/{submission.pk}/review/", {"household": str(proposed.pk)})
    submission.refresh_from_db()
    assert submission.household == proposed


def test_a_refusal_is_audited_and_names_the_field_in_the_senders_language(
    world, child_form, django_capture_on_commit_callbacks
):
    sender = world.members["field_worker"].user
    sender.language = "km"
    sender.save(update_fields=["language"])
    submission = _receive(world, _xml("uuid:r3", village="17070101"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.ERROR
    assert _audited(CollectionAction.SUBMISSION_FAILED, submission)
    with translation.override("km"):
        from ponleu.registry.models import Person

        label = str(Person._meta.get_field("village").verbose_name)
    assert label != "village"
    assert f"{label}៖" in submission.status_reason
    assert "village" not in submission.status_reason  # the field's label, not its code


def test_adding_form_media_is_audited(world):
    version = publish_visit(world)
    services.form_media_add(
        actor=actor(world.members["org_admin"]), version=version, filename="logo.png", data=b"png"
    )
    event = AuditEvent.objects.get(action=CollectionAction.FORM_MEDIA_ADDED)
    assert event.target_id == str(version.form_id)
    assert event.changes["media"] == [None, "1/logo.png"]


def _copies(version, count):
    """More published forms like ``version`` (rows, not uploads: only the count matters)."""
    for number in range(count):
        form = CollectionForm.objects.create(
            organisation=version.form.organisation, form_id=f"copy{number}", title=f"Copy {number}"
        )
        copy = FormVersion.objects.create(
            form=form, version="1", title=form.title, source=b"", xml=version.xml, md5=version.md5
        )
        form.current_version = copy
        form.save(update_fields=["current_version"])
        form.teams.set(version.form.teams.all())
        if number % 2:
            services.form_media_add(
                actor=actor(version.form.organisation.memberships.get(role="org_admin")),
                version=copy,
                filename="logo.png",
                data=b"png",
            )


def _form_list_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/collect/formList", HTTP_X_OPENROSA_VERSION="1.0")
    assert response.status_code == 200
    return len(queries), response.content.count(b"<xform>")


def test_the_form_list_costs_the_same_queries_for_one_form_or_twenty(world):
    version = publish_visit(world)
    client = Client(HTTP_AUTHORIZATION=basic("field_worker", device_token(world)))
    _form_list_queries(client)  # the device's first request of the day records it was used
    one, listed = _form_list_queries(client)
    assert listed == 1
    _copies(version, 19)
    twenty, listed = _form_list_queries(client)
    assert listed == 20
    assert twenty == one


def test_a_child_sent_by_a_khmer_reader_is_registered_with_the_forms_sex(
    world, child_form, django_capture_on_commit_callbacks
):
    sender = world.members["field_worker"].user
    sender.language = "km"
    sender.save(update_fields=["language"])
    submission = _receive(world, _xml("uuid:r4"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    assert submission.person.sex == "F"
