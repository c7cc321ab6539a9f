"""The job lifecycle, once for every long job: create, claim, progress, finish, fail, cancel."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ponleu.audit.models import AuditEvent
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.jobs import selectors
from ponleu.jobs import services as jobs
from ponleu.jobs.choices import JobAction, JobStatus
from ponleu.jobs.models import Job

KIND = "tests.long_work"


def _job(world, key="supervisor", capability="registry.import", total=4):
    return jobs.job_create(actor=world.actor(key), kind=KIND, capability=capability, total=total)


def test_a_job_needs_the_capability_it_is_started_under(world):
    with pytest.raises(PermissionDenied):
        jobs.job_create(actor=world.actor("caseworker_a"), kind=KIND, capability="registry.import")
    job = _job(world)
    assert (job.status, job.capability, job.owner_id) == (
        JobStatus.QUEUED,
        "registry.import",
        world.user("supervisor").pk,
    )


def test_a_job_is_claimed_once_and_runs_once(world):
    job = _job(world)
    runs = []

    def work(job, actor):
        runs.append(actor.user_id)
        jobs.job_progress(job=job, done=2)
        assert Job.objects.get(pk=job.pk).progress == 2
        job.progress = 4
        return {"made": 4}

    done = jobs.job_run(job_id=job.pk, kind=KIND, work=work, refused="refused")
    assert (done.status, done.result, done.progress) == (JobStatus.SUCCEEDED, {"made": 4}, 4)
    assert done.finished_at is not None
    again = jobs.job_run(job_id=job.pk, kind=KIND, work=work, refused="refused")
    assert runs == [world.user("supervisor").pk]
    assert again.status == JobStatus.SUCCEEDED
    assert jobs.job_claim(job_id=job.pk, kind=KIND) is None
    assert jobs.job_run(job_id=job.pk, kind="tests.other", work=work, refused="refused") is None


def test_work_that_refuses_fails_the_job_with_its_message(world):
    def refuse(job, actor):
        raise jobs.JobFailed("the file has problems", problems=[{"row": 3}])

    job = jobs.job_run(job_id=_job(world).pk, kind=KIND, work=refuse, refused="refused")
    assert (job.status, job.message, job.result) == (
        JobStatus.FAILED,
        "the file has problems",
        {"problems": [{"row": 3}]},
    )

    def invalid(job, actor):
        raise ValidationFailed("not enough dropouts")

    job = jobs.job_run(job_id=_job(world).pk, kind=KIND, work=invalid, refused="refused")
    assert (job.status, job.message) == (JobStatus.FAILED, "not enough dropouts")


def test_an_owner_who_lost_the_capability_gets_a_failed_job_not_the_work(world):
    job = _job(world)
    membership = world.members["supervisor"]
    membership.role = "caseworker"
    membership.save()

    def work(job, actor):
        raise AssertionError("the work ran for someone who may no longer do it")

    job = jobs.job_run(job_id=job.pk, kind=KIND, work=work, refused="You may no longer do this.")
    assert (job.status, job.message) == (JobStatus.FAILED, "You may no longer do this.")


def test_a_waiting_job_is_cancelled_by_its_owner_audited_and_never_runs(world):
    job = _job(world)
    with pytest.raises(PermissionDenied):
        jobs.job_cancel(actor=world.actor("partner_supervisor"), job=job)
    jobs.job_cancel(actor=world.actor("supervisor"), job=job, reason="wrong file")
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    event = AuditEvent.objects.get(action=JobAction.CANCELLED)
    assert (event.target_id, event.reason) == (str(job.pk), "wrong file")
    assert jobs.job_claim(job_id=job.pk, kind=KIND) is None
    with pytest.raises(Conflict):
        jobs.job_cancel(actor=world.actor("supervisor"), job=job)


def test_a_running_job_is_not_cancelled(world):
    job = _job(world)
    jobs.job_claim(job_id=job.pk, kind=KIND)
    with pytest.raises(Conflict):
        jobs.job_cancel(actor=world.actor("supervisor"), job=job)


def test_jobs_are_seen_under_their_capability_within_its_scope(world):
    org_wide = _job(world, capability="registry.import")  # supervisor: whole organisation
    own = _job(world, capability="registry.export")  # supervisor: areas, so their own only
    assert set(Job.objects.visible_to(world.actor("supervisor"))) == {org_wide, own}
    # The M&E officer holds neither capability; another organisation sees nothing.
    assert not Job.objects.visible_to(world.actor("me_officer")).exists()
    assert not Job.objects.visible_to(world.actor("partner_supervisor")).exists()
    assert selectors.job_get(actor=world.actor("supervisor"), job_id=org_wide.pk, kind=KIND) == org_wide
    assert selectors.job_get(actor=world.actor("supervisor"), job_id="not-a-uuid", kind=KIND) is None
    assert selectors.job_get(actor=world.actor("supervisor"), job_id=org_wide.pk, kind="other") is None


def test_the_progress_bar_polls_until_the_job_has_ended(world):
    job = _job(world)
    jobs.job_progress(job=job, done=1)
    page = render_to_string("jobs/job_progress.html", {"job": job, "poll_url": "/poll/", "bar_id": "bar"})
    assert 'hx-get="/poll/"' in page
    assert 'aria-live="polite"' in page
    assert '<label for="bar">' in page
    assert 'value="25"' in page
    job = jobs.job_finish(job=job)
    page = render_to_string("jobs/job_progress.html", {"job": job, "poll_url": "/poll/"})
    assert "hx-get" not in page
    assert 'value="100"' in page


def test_the_progress_bar_is_indeterminate_while_the_size_is_unknown_and_speaks_khmer(world):
    job = _job(world, total=0)
    with translation.override("km"):
        page = render_to_string("jobs/job_progress.html", {"job": job, "poll_url": "/poll/"})
    assert "value=" not in page.split("<progress", 1)[1].split(">", 1)[0]
    assert "វឌ្ឍនភាព" in page
    assert "កំពុងរង់ចាំ" in page
