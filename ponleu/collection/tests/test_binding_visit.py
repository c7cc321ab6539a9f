"""A home visit from a phone becomes a note on a case the sender may work on, through the
cases app's services, in a job; a case out of the sender's reach is an error, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.cases.choices import CaseAction, InteractionType
from ponleu.cases.models import Case, CaseNote
from ponleu.cases.tests.factories import make_child, open_case
from ponleu.collection import services, standard_forms
from ponleu.collection.choices import CollectionAction, SubmissionStatus

from .helpers import actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_form(world):
    admin = actor(world.members["org_admin"])
    version = services.form_upload(
        actor=admin,
        data=standard_forms.xlsx("home_visit"),
        binding=standard_forms.FORMS["home_visit"].binding,
        encrypt=False,
    )
    services.form_publish(actor=admin, form=version.form, team_ids=[world.team_a.pk, world.team_b.pk])
    return version


def _xml(instance_id, reference, *, day="2025-02-03", seen="yes", notes="ការសិក្សាល្អ", concerns=""):
    return (
        f'<data id="ponleu_home_visit" version="{standard_forms.VERSION}">'
        f"<start/><end/><case_reference>{reference}</case_reference><visit_date>{day}</visit_date>"
        f"<child_seen>{seen}</child_seen><concerns>{concerns}</concerns><notes>{notes}</notes>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def _receive(world, sender, xml, capture):
    with capture(execute=True):
        received = services.submission_receive(actor=actor(world.members[sender]), xml=xml, uploads=[])
    received.submission.refresh_from_db()
    return received.submission


def test_the_standard_form_is_bound_to_home_visits(visit_form):
    assert visit_form.form.binding == "home_visit"


def test_a_home_visit_becomes_a_note_on_the_senders_case(
    world, visit_form, django_capture_on_commit_callbacks
):
    case = open_case(world)
    xml = _xml("uuid:v1", str(case.pk), concerns="ខ្វះអាហារ")
    submission = _receive(world, "caseworker_a", xml, django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    note = submission.case_note
    assert note.case == case
    assert note.interaction == InteractionType.HOME_VISIT
    assert note.happened_on == dt.date(2025, 2, 3)
    assert note.observations == "ការសិក្សាល្អ\n\nខ្វះអាហារ"
    assert note.present
    assert note.author == world.members["caseworker_a"].user
    case.refresh_from_db()
    assert case.next_visit_on is not None
    assert AuditEvent.objects.filter(action=CaseAction.NOTE_ADDED, target_id=str(note.pk)).exists()
    processed = AuditEvent.objects.get(
        action=CollectionAction.SUBMISSION_PROCESSED, target_id=str(submission.pk)
    )
    assert processed.changes == {"case_note": [None, str(note.pk)]}


def test_a_case_of_another_team_is_an_error_and_saves_nothing(
    world, visit_form, django_capture_on_commit_callbacks
):
    child = make_child(world, village="02080101", team=world.team_b)
    other = open_case(world, worker="caseworker_b", child=child)
    submission = _receive(
        world, "caseworker_a", _xml("uuid:v2", str(other.pk)), django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.ERROR
    assert submission.status_reason
    assert submission.case_note is None
    assert not CaseNote.objects.exists()


def test_an_unknown_reference_is_an_error(world, visit_form, django_capture_on_commit_callbacks):
    open_case(world)
    submission = _receive(
        world, "caseworker_a", _xml("uuid:v3", "MOSVY-404"), django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.ERROR
    assert not CaseNote.objects.exists()


def test_a_sender_who_may_not_work_on_cases_is_refused_and_nothing_saved(
    world, visit_form, django_capture_on_commit_callbacks
):
    case = open_case(world)
    submission = _receive(
        world, "field_worker", _xml("uuid:v4", str(case.pk)), django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.ERROR
    assert submission.status_reason
    assert not CaseNote.objects.exists()


def test_the_mosvy_case_number_finds_the_case(world, visit_form, django_capture_on_commit_callbacks):
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(mosvy_number="PP-2025-0107")
    submission = _receive(
        world, "caseworker_a", _xml("uuid:v5", "PP-2025-0107"), django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.PROCESSED, submission.status_reason
    assert submission.case_note.case == case
