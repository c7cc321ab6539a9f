"""The list of jobs: what the caller may follow and nothing else, its filters, cancelling a job
that has not started (a page and an HTMX row), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.jobs import services as jobs
from ponleu.jobs.choices import JobAction, JobStatus
from ponleu.jobs.models import Job
from ponleu.testing.world import make_member

pytestmark = pytest.mark.django_db

LIST = reverse("jobs:job_list")


def _import(world, key="supervisor") -> Job:
    return jobs.job_create(actor=world.actor(key), kind="registry.import", capability="registry.import")


def _training(world, key="me_officer") -> Job:
    return jobs.job_create(actor=world.actor(key), kind="early_warning.train", capability="ews.manage_models")


def _shown(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<li class="card" id="job-([0-9a-f-]+)"', response.content.decode())


def test_each_member_sees_the_jobs_they_may_follow(world, login_as):
    mine = _import(world)
    world.members["supervisor_2"] = make_member(world.org, "supervisor_2", "supervisor", areas=["02"])
    theirs = _import(world, "supervisor_2")
    training = _training(world)
    partner = jobs.job_create(
        actor=world.actor("partner_supervisor"), kind="registry.import", capability="registry.import"
    )
    # Imports are followed organisation-wide by those who import for all of it.
    assert set(_shown(login_as(world.user("supervisor")).get(LIST))) == {str(mine.pk), str(theirs.pk)}
    assert _shown(login_as(world.user("me_officer")).get(LIST)) == [str(training.pk)]
    assert _shown(login_as(world.user("caseworker_a")).get(LIST)) == []
    assert str(partner.pk) not in _shown(login_as(world.user("supervisor")).get(LIST))


def test_the_list_filters_by_status_and_by_the_day_jobs_ended(world, login_as):
    waiting = _import(world)
    with clock.frozen(clock.now() - dt.timedelta(days=10)):
        old = jobs.job_fail(job=_import(world), message="The uploaded file is gone; upload it again.")
    failed = jobs.job_fail(job=_import(world), message="Nothing was imported: the file has problems now.")
    client = login_as(world.user("supervisor"))
    assert set(_shown(client.get(LIST, {"status": "failed"}))) == {str(old.pk), str(failed.pk)}
    since = (clock.today() - dt.timedelta(days=6)).isoformat()
    page = client.get(LIST, {"status": "failed", "since": since})
    assert _shown(page) == [str(failed.pk)]
    assert "Nothing was imported: the file has problems now." in page.content.decode()
    assert str(waiting.pk) in _shown(client.get(LIST, {"status": "nonsense", "since": "not-a-day"}))


def test_a_waiting_job_is_cancelled_and_a_running_one_is_not(world, login_as):
    waiting, running = _import(world), _import(world)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING)
    client = login_as(world.user("supervisor"))
    body = client.get(LIST).content.decode()
    assert reverse("jobs:job_cancel", kwargs={"job_id": waiting.pk}) in body
    assert reverse("jobs:job_cancel", kwargs={"job_id": running.pk}) not in body  # work is not interrupted
    response = client.post(reverse("jobs:job_cancel", kwargs={"job_id": waiting.pk}))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.CANCELLED
    assert AuditEvent.objects.filter(action=JobAction.CANCELLED, target_id=str(waiting.pk)).count() == 1
    row = client.post(
        reverse("jobs:job_cancel", kwargs={"job_id": running.pk}), headers={"HX-Request": "true"}
    )
    assert row.status_code == 200
    assert row.content.decode().lstrip().startswith(f'<li class="card" id="job-{running.pk}"')
    assert "can no longer be cancelled" in row.content.decode()
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING


def test_a_job_one_may_not_follow_cannot_be_cancelled_and_looks_missing(world, login_as):
    job = _import(world)
    partner = login_as(world.user("partner_supervisor"))
    assert partner.post(reverse("jobs:job_cancel", kwargs={"job_id": job.pk})).status_code == 404
    caseworker = login_as(world.user("caseworker_a"))
    assert caseworker.post(reverse("jobs:job_cancel", kwargs={"job_id": job.pk})).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_an_htmx_refresh_is_the_rows_alone(world, login_as):
    _import(world)
    client = login_as(world.user("supervisor"))
    body = client.get(LIST, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="job-rows" hx-get=')  # a job waits: it keeps polling
    assert "<h1>" not in body


def _list_queries(client) -> int:
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_for_one_job_and_for_twenty(world, login_as):
    client = login_as(world.user("supervisor"))
    jobs.job_fail(job=_import(world), message="refused")
    one = _list_queries(client)
    for _ in range(19):
        _import(world)
    assert _list_queries(client) == one
