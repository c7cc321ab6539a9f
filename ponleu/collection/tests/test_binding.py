"""A household registration from a phone becomes a household and its people through the
registry's services, in a job; likely duplicates wait in the review queue."""

from __future__ import annotations

import pytest
from django.test import Client

from ponleu.collection import services, standard_forms
from ponleu.collection.choices import SubmissionStatus
from ponleu.jobs.models import Job
from ponleu.registry.models import Household, Person
from ponleu.registry.services.people import person_create

from .helpers import actor

pytestmark = pytest.mark.django_db
VILLAGE = "02010101"  # in the field worker's area (0201)
OUTSIDE = "17070101"


def _xml(instance_id, *, village=VILLAGE, head="សុខ ដារា", member="សុខ សុភា"):
    return (
        f'<data id="ponleu_household_registration" version="{standard_forms.VERSION}">'
        f"<start/><end/><village_code>{village}</village_code><head_name>{head}</head_name>"
        "<head_sex>female</head_sex><head_birth_date>1985-03-02</head_birth_date><phone/>"
        f"<members><member_name>{member}</member_name><member_sex>male</member_sex>"
        "<member_birth_date>2015-06-01</member_birth_date></members>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def _receive(world, xml, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        received = services.submission_receive(
            actor=actor(world.members["field_worker"]), xml=xml, uploads=[]
        )
    received.submission.refresh_from_db()
    return received.submission


def test_a_new_household_is_registered_with_its_people_by_a_job(
    world, form, django_capture_on_commit_callbacks
):
    submission = _receive(world, _xml("uuid:h1"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    household = submission.household
    assert household.organisation == world.org
    assert household.owner == world.members["field_worker"].user
    people = Person.objects.filter(household_memberships__household=household).order_by("date_of_birth")
    assert [(p.family_name_km, p.given_name_km) for p in people] == [("សុខ", "ដារា"), ("សុខ", "សុភា")]
    job = Job.objects.get(kind=services.JOB_KIND)
    assert job.status == "succeeded"
    assert job.owner == world.members["field_worker"].user


def test_a_likely_duplicate_waits_for_a_supervisor_who_matches_or_registers(
    world, form, django_capture_on_commit_callbacks
):
    field = actor(world.members["field_worker"])
    existing = person_create(
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
    submission = _receive(world, _xml("uuid:h2"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    assert str(existing.pk) in submission.likely_matches
    assert not Household.objects.exists()
    # The queue and the decision, as the supervisor sees them.
    client = Client()
    from ponleu.testing.login import login

    login(client, world.members["supervisor"].user)
    page = client.get("/collect/submissions/?status=review")
    assert page.status_code == 200
    assert f"/collect/submissions/{submission.pk}/review/" in page.content.decode()
    response = client.post(f"/collect/submissions/{submission.pk}/review/", {"decision": "register"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PROCESSED
    assert Household.objects.count() == 1


def test_matching_links_the_submission_to_a_household_one_may_see(
    world, form, django_capture_on_commit_callbacks
):
    field = actor(world.members["field_worker"])
    existing = person_create(
        actor=field,
        data={"family_name_km": "សុខ", "given_name_km": "ដារា", "kind": "adult", "village": VILLAGE},
    )
    from ponleu.registry.services.households import household_create, household_member_add

    household = household_create(actor=field, data={"village": VILLAGE})
    household_member_add(actor=field, household=household, person=existing, relationship="head")
    submission = _receive(world, _xml("uuid:h3"), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.REVIEW
    client = Client()
    from ponleu.testing.login import login

    login(client, world.members["field_worker"].user)  # no collection.review
    refused = client.post(f"/collect/submissions/{submission.pk}/review/", {"decision": "register"})
    assert refused.status_code == 403
    login(client, world.members["supervisor"].user)
    queue = client.get("/collect/submissions/?status=review").content.decode()
    assert f'name="household" value="{household.pk}"' in queue  # the likely match's household, offered
    assert "ដារា" in queue
    client.post(f"/collect/submissions/{submission.pk}/review/", {"household": str(household.pk)})
    submission.refresh_from_db()
    assert submission.household == household
    assert Household.objects.count() == 1


def test_a_registration_outside_the_senders_areas_is_an_error_and_saves_nothing(
    world, form, django_capture_on_commit_callbacks
):
    submission = _receive(world, _xml("uuid:h4", village=OUTSIDE), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.ERROR
    assert submission.status_reason
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_the_sender_sees_their_submission_and_its_status(world, form, django_capture_on_commit_callbacks):
    _receive(world, _xml("uuid:h5", village=OUTSIDE), django_capture_on_commit_callbacks)
    from ponleu.testing.login import login

    client = Client()
    login(client, world.members["field_worker"].user)
    page = client.get("/collect/submissions/").content.decode()
    assert "ការចុះឈ្មោះគ្រួសារ" in page
    login(client, world.members["caseworker_b"].user)  # another team: nothing
    assert "ការចុះឈ្មោះគ្រួសារ" not in client.get("/collect/submissions/").content.decode()
