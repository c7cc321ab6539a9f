"""The youth employment screens and API: a worker opens a profile, sees the offers that match
with why, places a graduate and records the 3-month follow-up; out-of-reach ids are 404;
names go only to those who may see them; the indicators page and answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.employment.models import CourseResult, FollowUp, Offer, Placement, YouthDocument, YouthProfile
from ponleu.employment.services import courses as course_services
from ponleu.programmes.services import groups as group_services
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _graduate(world):
    """A young woman who completed a sewing course, with a profile."""
    actor = world.actor("supervisor")
    course = factories.course(world)
    person = factories.young(world)
    group_services.member_add(actor=actor, group=course, person_id=person.pk, joined_on=dt.date(2026, 1, 5))
    course_services.course_result_record(
        actor=actor,
        course=course,
        person_id=person.pk,
        outcome="completed",
        ended_on=dt.date(2026, 6, 30),
        certificate_number="VT-7",
    )
    return factories.profile(world, person), course


def test_a_worker_places_a_graduate_and_records_the_3_month_follow_up(world):
    profile, course = _graduate(world)
    offer = factories.offer(world, title="Machinist", skills=("sewing",))
    client = client_of(world.user("supervisor"))
    page = client.get(reverse("employment:youth_path", args=[profile.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert course.name in text
    assert "VT-7" in text
    assert "Machinist" in text
    assert "Sewing" in text  # the skill that matches, named
    place_url = reverse("employment:place", args=[profile.pk])
    assert f"{place_url}?offer={offer.pk}" in text
    placed = client.post(
        place_url, {"offer": str(offer.pk), "starts_on": "2026-08-01", "wage": "210", "currency": "USD"}
    )
    assert placed.status_code == 302
    placement = Placement.objects.get(profile=profile)
    assert str(placement.wage) == "210.00"
    assert placement.follow_up_3_on == dt.date(2026, 11, 1)
    due = client.get(reverse("employment:follow_ups_due"))
    assert due.status_code == 200
    follow_url = reverse("employment:follow_up", args=[placement.pk, 3])
    assert follow_url in due.content.decode()
    # Today asks for it, with a one-tap button to the form.
    assert follow_url in client.get(reverse("web:home")).content.decode()
    bad = client.post(
        follow_url,
        {"followed_on": "2026-11-20", "still_working": "yes", "currency": "USD", "satisfaction": "happy"},
    )
    assert bad.status_code == 400
    assert not FollowUp.objects.exists()
    done = client.post(
        follow_url,
        {
            "followed_on": "2026-11-20",
            "still_working": "yes",
            "wage": "220",
            "currency": "USD",
            "satisfaction": "happy",
        },
    )
    assert done.status_code == 302
    assert FollowUp.objects.get(placement=placement).wage == 220
    home = client.get(reverse("web:home"))
    assert follow_url not in home.content.decode()


def test_pages_of_young_people_out_of_reach_are_not_found(world):
    profile, course = _graduate(world)
    offer = factories.offer(world)
    other = client_of(world.user("caseworker_b"))
    assert other.get(reverse("employment:youth_path", args=[profile.pk])).status_code == 404
    assert other.get(reverse("employment:course_detail", args=[course.pk])).status_code == 404
    assert (
        other.post(
            reverse("employment:place", args=[profile.pk]),
            {"offer": str(offer.pk), "starts_on": "2026-08-01", "wage": "210", "currency": "USD"},
        ).status_code
        == 404
    )
    assert not Placement.objects.exists()
    partner = client_of(world.user("partner"))
    assert partner.get(
        reverse("employment:place", args=[profile.pk]), {"offer": str(offer.pk)}
    ).status_code in (403, 404)


def test_a_profile_opened_for_a_young_person(world):
    person = factories.young(world)
    client = client_of(world.user("supervisor"))
    url = reverse("employment:profile_new", args=[person.pk])
    assert client.get(url).status_code == 200
    assert client_of(world.user("caseworker_b")).get(url).status_code == 404
    refused = client.post(url, {"education": "primary", "skills": ["juggling"], "consent_on": "2026-11-01"})
    assert refused.status_code == 400
    created = client.post(url, {"education": "primary", "skills": ["cooking"], "consent_on": "2026-11-01"})
    assert created.status_code == 302
    assert YouthProfile.objects.get(person=person).skills == ["cooking"]


def test_courses_offers_and_indicators_pages(world):
    profile, course = _graduate(world)
    factories.offer(world, title="Tailor")
    client = client_of(world.user("supervisor"))
    assert course.name in client.get(reverse("employment:course_list")).content.decode()
    detail = client.get(reverse("employment:course_detail", args=[course.pk]))
    assert detail.status_code == 200
    result_url = reverse("employment:course_result", args=[course.pk])
    assert result_url in detail.content.decode()
    # A correction without the version read is refused, and nothing changes.
    stale = client.post(
        result_url, {"person": str(profile.person_id), "outcome": "dropped_out", "ended_on": "2026-07-01"}
    )
    assert stale.status_code == 400
    assert CourseResult.objects.get(person_id=profile.person_id).outcome == "completed"
    result = CourseResult.objects.get(person_id=profile.person_id)
    fixed = client.post(
        result_url,
        {
            "person": str(profile.person_id),
            "outcome": "completed",
            "ended_on": "2026-07-01",
            "certificate_number": "VT-8",
            "version": result.version,
        },
    )
    assert fixed.status_code == 302
    assert CourseResult.objects.get(person_id=profile.person_id).certificate_number == "VT-8"
    assert client_of(world.user("me_officer")).post(result_url, {}).status_code == 403
    assert "Tailor" in client.get(reverse("employment:offer_list")).content.decode()
    indicators = client.get(reverse("employment:indicators"))
    assert indicators.status_code == 200
    assert indicators.context["report"].total.completed == 1


def test_the_api_answers_the_path_matches_and_indicators_scoped(world):
    profile, _course = _graduate(world)
    offer = factories.offer(world, skills=("sewing", "computer"))
    client = client_of(world.user("supervisor"))
    path = client.get(f"{API}/youth/{profile.pk}")
    assert path.status_code == 200
    assert path.json()["courses"][0]["outcome"] == "completed"
    matches = client.get(f"{API}/youth/{profile.pk}/matches").json()
    assert matches[0]["skills_matching"] == ["sewing"]
    assert matches[0]["skills_lacking"] == ["computer"]
    assert matches[0]["nearness"] == 1
    placed = client.post(
        f"{API}/placements",
        {"profile_id": str(profile.pk), "offer_id": str(offer.pk), "starts_on": "2026-08-01"},
        content_type="application/json",
    )
    assert placed.status_code == 201
    assert placed.json()["placements"][0]["follow_up_3_on"] == "2026-11-01"
    placement_id = placed.json()["placements"][0]["id"]
    followed = client.post(
        f"{API}/placements/{placement_id}/follow-ups",
        {
            "months": 3,
            "followed_on": "2026-11-01",
            "still_working": True,
            "wage": "200",
            "satisfaction": "happy",
        },
        content_type="application/json",
    )
    assert followed.status_code == 201
    assert client.get(f"{API}/indicators").json()["total"]["placed"] == 1
    other = client_of(world.user("caseworker_b"))
    assert other.get(f"{API}/youth/{profile.pk}").status_code == 404
    assert other.get(f"{API}/youth/not-an-id").status_code in (404, 422)
    assert (
        other.post(
            f"{API}/placements/{placement_id}/follow-ups",
            {"months": 6, "followed_on": "2026-11-01", "still_working": False, "satisfaction": "happy"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert AccessEvent.objects.filter(action="employment.profile.viewed").exists()


def test_a_supervisor_records_an_offer_of_a_directory_employer(world):
    employer = factories.employer(world, "Bright Motors (test)")
    client = client_of(world.user("supervisor"))
    url = reverse("employment:offer_new")
    assert "Bright Motors (test)" in client.get(url).content.decode()
    values = {
        "employer": str(employer.pk),
        "kind": "job",
        "title": "Mechanic",
        "skills": ["motorbike_repair"],
        "place_code": "0201",
        "wage": "900000.5",
        "currency": "KHR",
        "starts_on": "2026-11-01",
        "places": "2",
    }
    refused = client.post(url, values)
    assert refused.status_code == 400
    assert not Offer.objects.exists()
    saved = client.post(url, {**values, "wage": "900000"})
    assert saved.status_code == 302
    assert Offer.objects.get().place_id == "0201"
    assert client_of(world.user("field_worker")).get(url).status_code == 403


def test_documents_are_recorded_by_who_may_see_who_the_young_person_is(world):
    profile, _course = _graduate(world)
    url = reverse("employment:document_add", args=[profile.pk])
    client = client_of(world.user("supervisor"))
    saved = client.post(url, {"kind": "id_card", "number": "110220330", "issued_on": "2024-01-10"})
    assert saved.status_code == 302
    page = client.get(reverse("employment:youth_path", args=[profile.pk])).content.decode()
    assert "110220330" in page
    assert client.post(url, {"kind": "id_card"}).status_code == 302  # refused with a message
    assert YouthDocument.objects.count() == 1
    assert (
        client_of(world.user("caseworker_b")).post(url, {"kind": "id_card", "number": "1"}).status_code == 404
    )


def test_certificate_numbers_go_only_to_who_may_see_who_the_young_person_is(world):
    """A certificate number is a document number: the M&E officer (who sees no names) reads
    the course roll, the young person's path and the API without it; a caseworker who may not
    see a sensitive participant cannot write it, and a correction of theirs keeps it."""
    profile, course = _graduate(world)
    reader = client_of(world.user("me_officer"))
    roll = reader.get(reverse("employment:course_detail", args=[course.pk]))
    assert roll.status_code == 200
    assert "VT-7" not in roll.content.decode()
    path = reader.get(reverse("employment:youth_path", args=[profile.pk]))
    assert path.status_code == 200
    assert "VT-7" not in path.content.decode()
    body = reader.get(f"{API}/youth/{profile.pk}").json()
    assert body["courses"][0]["outcome"] == "completed"
    assert body["courses"][0]["certificate_number"] == ""
    # The supervisor, who may see who she is, still reads it everywhere.
    supervisor = client_of(world.user("supervisor"))
    assert "VT-7" in supervisor.get(reverse("employment:course_detail", args=[course.pk])).content.decode()
    assert supervisor.get(f"{API}/youth/{profile.pk}").json()["courses"][0]["certificate_number"] == "VT-7"

    hidden = factories.young(world, is_sensitive=True)
    group_services.member_add(
        actor=world.actor("supervisor"), group=course, person_id=hidden.pk, joined_on=dt.date(2026, 1, 5)
    )
    course_services.course_result_record(
        actor=world.actor("supervisor"),
        course=course,
        person_id=hidden.pk,
        outcome="completed",
        ended_on=dt.date(2026, 6, 30),
        certificate_number="VT-SECRET",
    )
    caseworker = client_of(world.user("caseworker_a"))
    page = caseworker.get(reverse("employment:course_detail", args=[course.pk])).content.decode()
    assert "VT-SECRET" not in page
    assert "VT-7" in page  # the participant she may see
    result = CourseResult.objects.get(person=hidden)
    url = reverse("employment:course_result", args=[course.pk])
    values = {"person": str(hidden.pk), "outcome": "completed", "ended_on": "2026-07-01"}
    refused = caseworker.post(url, {**values, "certificate_number": "VT-OTHER", "version": result.version})
    assert refused.status_code == 400
    corrected = caseworker.post(url, {**values, "version": result.version})
    assert corrected.status_code == 302
    result.refresh_from_db()
    assert (result.ended_on, result.certificate_number) == (dt.date(2026, 7, 1), "VT-SECRET")
