"""A child registration from a phone becomes a person through the registry's services, in a
job; a likely duplicate waits in the review queue, where a supervisor registers or matches."""

from __future__ import annotations

import pytest
from django.test import Client

from ponleu.audit.models import AuditEvent
from ponleu.collection import services, standard_forms
from ponleu.collection.choices import CollectionAction, SubmissionStatus
from ponleu.jobs.models import Job
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import Person, PersonSearchKey
from ponleu.registry.services.people import person_create
from ponleu.testing.login import login

from .helpers import actor

pytestmark = pytest.mark.django_db
VILLAGE = "02010101"  # in the field worker's area (0201)
OUTSIDE = "17070101"


def _xml(instance_id, *, village=VILLAGE, name="ចាន់ សុភា", born="2016-04-09"):
    return (
        f'<data id="ponleu_child_registration" version="{standard_forms.VERSION}">'
        f"<start/><end/><village_code>{village}</village_code><child_name>{name}</child_name>"
        f"<child_sex>female</child_sex><birth_date>{born}</birth_date>"
        "<caregiver_name>ចាន់ ធារី</caregiver_name><in_school>yes</in_school><photo/>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def _receive(world, xml, capture):
    with capture(execute=True):
        received = services.submission_receive(
            actor=actor(world.members["field_worker"]), xml=xml, uploads=[]
        )
    received.submission.refresh_from_db()
    return received.submission


def _existing_child(world):
    return person_create(
        actor=actor(world.members["field_worker"]),
        data={
            "family_name_km": "ចាន់",
            "given_name_km": "សុភា",
            "sex": "female",
            "kind": "child",
            "village": VILLAGE,
            "date_of_birth": "2016-04-09",
        },
    )


def test_the_standard_form_is_bound_to_child_registration(child_form):
    assert child_form.form.binding == "child_registration"


def test_a_new_child_is_registered_by_a_job_with_search_keys_and_audit(
    world, child_form, django_capture_on_commit_callbacks
):
    submission = _receive(world, _xml("uuid:c1"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    child = submission.person
    assert (child.family_name_km, child.given_name_km) == ("ចាន់", "សុភា")
    assert child.kind == "child"
    assert str(child.date_of_birth) == "2016-04-09"
    assert child.village.code == VILLAGE
    assert child.organisation == world.org
    assert child.owner == world.members["field_worker"].user
    assert submission.household is None
    assert PersonSearchKey.objects.filter(person=child).exists()
    created = AuditEvent.objects.get(target_id=str(child.pk), action=PersonAction.CREATED)
    assert created.actor_user_id == world.members["field_worker"].user.pk
    processed = AuditEvent.objects.get(
        action=CollectionAction.SUBMISSION_PROCESSED, target_id=str(submission.pk)
    )
    assert processed.changes == {"person": [None, str(child.pk)]}
    job = Job.objects.get(kind=services.JOB_KIND)
    assert job.status == "succeeded"
    assert Person.objects.count() == 1


def test_a_likely_duplicate_waits_then_the_supervisor_matches_it_to_the_child(
    world, child_form, django_capture_on_commit_callbacks
):
    existing = _existing_child(world)
    submission = _receive(world, _xml("uuid:c2"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    assert str(existing.pk) in submission.likely_matches
    assert Person.objects.count() == 1
    client = Client()
    login(client, world.members["field_worker"].user)  # no collection.review
    refused = client.post(f"/collect/submissions/{submission.pk}/review/", {"person": str(existing.pk)})
    assert refused.status_code == 403
    login(client, world.members["supervisor"].user)
    queue = client.get("/collect/submissions/?status=review").content.decode()
    assert f'name="person" value="{existing.pk}"' in queue
    response = client.post(f"/collect/submissions/{submission.pk}/review/", {"person": str(existing.pk)})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.person == existing
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(
        action=CollectionAction.SUBMISSION_MATCHED_PERSON, target_id=str(submission.pk)
    ).exists()
    again = client.post(f"/collect/submissions/{submission.pk}/review/", {"decision": "register"})
    assert again.status_code == 302  # already decided: nothing registered a second time
    submission.refresh_from_db()
    assert submission.person == existing
    assert Person.objects.count() == 1


def test_a_likely_duplicate_the_supervisor_registers_becomes_a_new_child(
    world, child_form, django_capture_on_commit_callbacks
):
    existing = _existing_child(world)
    submission = _receive(world, _xml("uuid:c3"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    client = Client()
    login(client, world.members["supervisor"].user)
    response = client.post(f"/collect/submissions/{submission.pk}/review/", {"decision": "register"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED
    assert submission.person is not None
    assert submission.person != existing
    assert Person.objects.count() == 2


def test_a_child_outside_the_senders_areas_is_an_error_and_saves_nothing(
    world, child_form, django_capture_on_commit_callbacks
):
    submission = _receive(world, _xml("uuid:c4", village=OUTSIDE), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.ERROR
    assert "village" in submission.status_reason
    assert submission.person is None
    assert not Person.objects.exists()
    assert not PersonSearchKey.objects.exists()
