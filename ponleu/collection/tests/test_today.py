"""The reviewer's Today item: field submissions waiting for a match, counted through the same
scoped queryset as the review queue it opens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from ponleu.collection import selectors, today
from ponleu.collection.choices import SubmissionStatus
from ponleu.collection.models import Submission
from ponleu.registry.services.people import person_create
from ponleu.testing.login import login

from .helpers import actor
from .test_binding import VILLAGE, _receive, _xml

pytestmark = pytest.mark.django_db


def _item(membership):
    """What the home page shows of the item for this member (None when it stays hidden)."""
    (item,) = today.ITEMS
    reader = actor(membership)
    if not reader.can(item.capability):
        return None
    found = item.find(reader, 5)
    return (
        SimpleNamespace(count=found.count, entries=found.entries, url=item.full_list(reader))
        if found.count
        else None
    )


def _waiting(world, django_capture_on_commit_callbacks, n: int) -> list[Submission]:
    person_create(
        actor=actor(world.members["field_worker"]),
        data={
            "family_name_km": "សុខ",
            "given_name_km": "ដារា",
            "sex": "female",
            "kind": "adult",
            "village": VILLAGE,
            "date_of_birth": "1985-03-02",
        },
    )
    return [_receive(world, _xml(f"uuid:wait-{i}"), django_capture_on_commit_callbacks) for i in range(n)]


def test_the_count_is_the_review_queue_and_falls_when_one_is_decided(
    world,
    form,
    django_capture_on_commit_callbacks,
):
    waiting = _waiting(world, django_capture_on_commit_callbacks, 3)
    assert {s.status for s in waiting} == {SubmissionStatus.REVIEW}
    supervisor = world.members["supervisor"]
    shown = _item(supervisor)
    queue = selectors.submissions_visible(actor=actor(supervisor)).filter(status=SubmissionStatus.REVIEW)
    assert shown.count == queue.count() == 3
    assert shown.url == "/collect/submissions/?status=review"
    assert all("ដារា" not in entry.label for entry in shown.entries)  # a form's title, never a name
    client = Client()
    login(client, supervisor.user)
    page = client.get(shown.url).content.decode()
    assert page.count('/review/"') == 3
    client.post(f"/collect/submissions/{waiting[0].pk}/review/", {"decision": "register"})
    assert _item(supervisor).count == 2


def test_nobody_without_the_review_capability_or_the_record_is_asked(
    world,
    form,
    django_capture_on_commit_callbacks,
):
    _waiting(world, django_capture_on_commit_callbacks, 1)
    assert _item(world.members["field_worker"]) is None  # may send, not review
    assert _item(world.members["partner"]) is None  # another organisation's queue
    Submission.objects.update(status=SubmissionStatus.PROCESSED)
    assert _item(world.members["supervisor"]) is None
