"""The early childhood screens: a nursery worker takes the day's attendance with one tap a
child and records a development check item by item; the checks due, a child's results and the
factories that owe childcare are shown; ids out of reach are 404."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.common import clock
from ponleu.early_childhood import selectors, today
from ponleu.early_childhood.models import Check
from ponleu.programmes.models import Attendance, Session
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
BORN = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user, language="en"):
    client = Client()
    login(client, user)
    if language != "en":
        user.language = language
        user.save(update_fields=["language"])
    return client


def _nursery(world, count=3):
    worker = world.user("field_worker")
    kids = [factories.child(world, born=BORN, owner=worker) for _ in range(count)]
    return factories.nursery(world, children=kids), kids


def test_a_nursery_worker_takes_the_days_attendance_then_corrects_it(world):
    nursery, kids = _nursery(world)
    client = client_of(world.user("field_worker"), "km")
    url = reverse("early_childhood:nursery_day", kwargs={"nursery_id": nursery.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert kids[0].given_name_latin in page.content.decode()
    members = [
        m
        for m, _label in selectors.nursery_children(
            actor=world.actor("field_worker"), nursery=nursery, day=clock.today()
        )
    ]
    statuses = {f"m-{m.pk}": "P" for m in members[:2]} | {f"m-{members[2].pk}": "A"}
    saved = client.post(url, {"held_on": clock.today().isoformat(), **statuses})
    assert saved.status_code == 302
    session = Session.objects.get(group=nursery.group)
    assert Attendance.objects.filter(session=session).count() == 2
    # Open again: the day's roll call is shown as saved and saved again with its version.
    again = client.get(url)
    assert f'name="version" value="{session.version}"' in again.content.decode()
    stale = client.post(url, {"held_on": clock.today().isoformat(), "version": "0", **statuses})
    assert stale.status_code == 409
    corrected = client.post(
        url,
        {"held_on": clock.today().isoformat(), "version": str(session.version), f"m-{members[2].pk}": "P"},
    )
    assert corrected.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_check_is_taken_item_by_item_and_shown_by_domain(world):
    instrument = factories.instrument(world)
    nursery, (kid, *_rest) = _nursery(world, 1)
    band = selectors.band_for(instrument, 20)
    client = client_of(world.user("field_worker"), "km")
    url = reverse("early_childhood:check_new", kwargs={"person_id": kid.pk})
    page = client.get(url, {"nursery": str(nursery.pk)})
    assert page.status_code == 200
    assert band.items.get(domain="language").text_km in page.content.decode()
    answers = {f"i-{item.pk}": "1" if item.domain != "language" else "0" for item in band.items.all()}
    missing = dict(answers)
    missing.pop(f"i-{band.items.get(domain='cognitive').pk}")
    refused = client.post(
        url, {"nursery": str(nursery.pk), "checked_on": clock.today().isoformat(), **missing}
    )
    assert refused.status_code == 400
    assert not Check.objects.exists()
    saved = client.post(url, {"nursery": str(nursery.pk), "checked_on": clock.today().isoformat(), **answers})
    assert saved.status_code == 302
    development = client.get(reverse("early_childhood:child_development", kwargs={"person_id": kid.pk}))
    assert development.status_code == 200
    check = Check.objects.get()
    assert check.nursery == nursery
    domains = {d.domain: (d.achieved, d.asked) for d in development.context["seen"].latest.domains}
    assert domains["language"] == (0, 1)
    assert domains["cognitive"] == (1, 1)
    assert development.context["seen"].due.band.from_months == 24


def test_lists_show_what_is_due_and_the_factories_that_owe_childcare(world):
    factories.instrument(world)
    nursery, kids = _nursery(world, 2)
    factories.factory(world, women=100, childcare="none", name="Factory Owing")
    factories.factory(world, women=99, childcare="none", name="Factory Small")
    client = client_of(world.user("supervisor"))
    due = client.get(reverse("early_childhood:checks_due"))
    assert due.status_code == 200
    assert kids[0].given_name_latin in due.content.decode()
    short = client.get(reverse("early_childhood:factory_list"), {"short": "1"}).content.decode()
    assert "Factory Owing" in short
    assert "Factory Small" not in short
    assert client.get(reverse("early_childhood:nursery_list")).status_code == 200
    assert (
        client.get(reverse("early_childhood:nursery_detail", kwargs={"nursery_id": nursery.pk})).status_code
        == 200
    )
    assert client.get(reverse("early_childhood:instrument")).status_code == 200


def test_ids_out_of_reach_are_not_found(world):
    nursery, kids = _nursery(world, 1)
    outsider = client_of(world.user("caseworker_b"))
    assert (
        outsider.get(reverse("early_childhood:nursery_detail", kwargs={"nursery_id": nursery.pk})).status_code
        == 404
    )
    assert (
        outsider.get(
            reverse("early_childhood:child_development", kwargs={"person_id": kids[0].pk})
        ).status_code
        == 404
    )
    worker = client_of(world.user("field_worker"))
    url = reverse("early_childhood:check_new", kwargs={"person_id": kids[0].pk})
    assert worker.get(url, {"nursery": str(uuid.uuid4())}).status_code == 404
    assert worker.get(url, {"nursery": "not-an-id"}).status_code == 404


def test_today_lists_the_checks_due_behind_its_link(world):
    factories.instrument(world)
    _nursery(world, 2)
    actor = world.actor("field_worker")
    (item,) = today.ITEMS
    found = item.find(actor, 1)
    assert found.count == len(selectors.checks_due(actor=actor)) == 2
    assert len(found.entries) == 1
    assert found.entries[0].late  # 20 months old, never checked: the 18-24 check is late
    assert item.full_list(actor) == reverse("early_childhood:checks_due")
    assert item.find(world.actor("caseworker_b"), 3).count == 0
