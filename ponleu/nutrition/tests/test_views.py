"""The growth monitoring screens: a village's day, one child after the other, the assessment as
the numbers are typed (nothing saved), a severe case referred on the same screen; the worker's
lists; a child's growth chart with the WHO curves; the API for a child's measurements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.nutrition.models import GrowthMeasurement, SamAlert
from ponleu.referrals.models import Referral
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user, language="en"):
    client = Client()
    login(client, user)
    if language != "en":
        client.cookies["django_language"] = language
    return client


def _measure_url(person):
    return reverse("nutrition:measure", args=[factories.THMEI, person.pk])


def test_the_day_lists_the_villages_children_under_five_and_moves_to_the_next(world):
    first = factories.child(world, born=dt.date(2025, 1, 1))
    second = factories.child(world, born=dt.date(2025, 6, 1))
    older = factories.child(world, born=dt.date(2015, 1, 1))  # school age: not weighed on the day
    client = client_of(world.user("caseworker_a"))
    page = client.get(reverse("nutrition:day", args=[factories.THMEI]))
    assert page.status_code == 200
    body = page.content.decode()
    assert first.given_name_latin in body or first.given_name_km in body
    assert body.count(_measure_url(first)) == 2  # the next child to measure, and its row
    assert body.count(_measure_url(second)) == 1
    assert str(older.pk) not in body
    saved = client.post(
        _measure_url(first),
        {"measured_on": "2026-11-21", "weight_kg": "9.8", "length_cm": "78", "muac_mm": "140"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == _measure_url(second)
    assert GrowthMeasurement.objects.get().village_id == factories.THMEI


def test_the_preview_shows_the_assessment_and_saves_nothing(world):
    person = factories.child(world)
    client = client_of(world.user("caseworker_a"), "km")
    answer = client.post(
        reverse("nutrition:preview", args=[person.pk]),
        {"measured_on": "2026-11-21", "muac_mm": "១១២"},  # typed with Khmer digits
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'id="assessment"' in body
    assert "<html" not in body
    assert "finding severe" in body
    assert not GrowthMeasurement.objects.exists()
    bad = client.post(
        reverse("nutrition:preview", args=[person.pk]), {"measured_on": "2026-11-21", "weight_kg": "0"}
    )
    assert 'role="alert"' in bad.content.decode()


def test_a_sam_child_is_referred_before_the_worker_leaves_the_screen(world):
    person = factories.child(world)
    centre = factories.health_centre(world)
    client = client_of(world.user("caseworker_a"))
    saved = client.post(_measure_url(person), {"measured_on": "2026-11-21", "muac_mm": "112"})
    assert saved["Location"] == _measure_url(person)  # stays on the child
    page = client.get(_measure_url(person)).content.decode()
    alert = SamAlert.objects.get()
    assert reverse("nutrition:refer", args=[alert.pk]) in page
    assert str(centre.pk) in page
    referred = client.post(
        reverse("nutrition:refer", args=[alert.pk]),
        {"provider": str(centre.pk), "version": alert.version, "village": factories.THMEI},
    )
    assert referred["Location"] == _measure_url(person)
    made = Referral.objects.get()
    page = client.get(_measure_url(person)).content.decode()
    assert made.reference in page
    assert reverse("nutrition:refer", args=[alert.pk]) not in page


def test_a_refused_value_is_shown_with_what_was_typed_and_nothing_saved(world):
    person = factories.child(world)
    client = client_of(world.user("caseworker_a"))
    answer = client.post(_measure_url(person), {"measured_on": "2026-11-21", "weight_kg": "95.5.1"})
    assert answer.status_code == 400
    assert "95.5.1" in answer.content.decode()
    assert not GrowthMeasurement.objects.exists()


def test_a_child_out_of_reach_is_missing_on_every_screen(world):
    theirs = factories.child(world, village=factories.KBAL_THNAL, owner="caseworker_b", team=world.team_b)
    client = client_of(world.user("caseworker_a"))
    for url in (
        reverse("nutrition:child", args=[theirs.pk]),
        reverse("nutrition:measure", args=[factories.KBAL_THNAL, theirs.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("nutrition:preview", args=[theirs.pk]), {"muac_mm": "112"}).status_code == 404
    assert client.get(reverse("nutrition:day", args=["99999999"])).status_code == 404


def test_the_child_page_draws_the_who_curves_and_the_childs_points_in_khmer(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-05-21", weight_kg="8.5", length_cm="72")
    factories.measure(world, person, muac_mm="120", weight_kg="9.1", length_cm="79")
    client = client_of(world.user("caseworker_a"), "km")
    for indicator in ("wfa", "lhfa", "wflh"):
        page = client.get(reverse("nutrition:child", args=[person.pk]), {"indicator": indicator})
        body = page.content.decode()
        assert page.status_code == 200
        assert body.count("<polyline class=") == 6  # five WHO lines and the child's trail
        assert body.count('<circle class="point') == 2
        assert 'viewBox="0 0 360 300"' in body
    read = AccessEvent.objects.filter(target_type="registry.person").values_list("target_ids", flat=True)
    assert any(str(person.pk) in ids for ids in read)


def test_the_worker_lists_show_who_to_refer_and_who_is_due(world):
    sam = factories.child(world)
    mam = factories.child(world)
    factories.measure(world, sam, muac_mm="110")
    factories.measure(world, mam, measured_on="2026-11-01", muac_mm="121")
    body = client_of(world.user("caseworker_a")).get(reverse("nutrition:home")).content.decode()
    assert reverse("nutrition:child", args=[sam.pk]) in body
    assert reverse("nutrition:child", args=[mam.pk]) in body
    assert reverse("nutrition:day", args=[factories.THMEI]) in body


# --- API --------------------------------------------------------------------------------------

API = "/api/v1/nutrition"


def test_the_api_records_and_lists_a_childs_measurements(world):
    person = factories.child(world)
    client = client_of(world.user("caseworker_a"))
    created = client.post(
        f"{API}/children/{person.pk}/measurements",
        {"measured_on": "2026-11-21", "weight_kg": 10.2, "length_cm": 80.7, "muac_mm": 112},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert "sam" in created.json()["findings"]
    listed = client.get(f"{API}/children/{person.pk}/measurements").json()
    assert [row["id"] for row in listed] == [created.json()["id"]]
    growth = client.get(f"{API}/children/{person.pk}/growth").json()
    assert growth["sam_alert"]["status"] == "open"
    assert growth["person_id"] == str(person.pk)


def test_the_api_refuses_a_bad_value_by_name_and_a_child_out_of_reach_as_missing(world):
    person = factories.child(world)
    client = client_of(world.user("caseworker_a"))
    bad = client.post(
        f"{API}/children/{person.pk}/measurements",
        {"measured_on": "2026-11-21", "weight_kg": 1000},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "weight_kg" in bad.content.decode()
    theirs = factories.child(world, village=factories.KBAL_THNAL, owner="caseworker_b", team=world.team_b)
    assert client.get(f"{API}/children/{theirs.pk}/measurements").status_code == 404
    assert not GrowthMeasurement.objects.exists()


def test_an_officer_without_the_registry_sees_no_childs_page(world):
    person = factories.child(world)
    factories.measure(world, person)
    client = client_of(world.user("me_officer"))
    assert client.get(f"{API}/children/{person.pk}/growth").status_code == 404


def test_a_sensitive_childs_identity_is_masked_on_every_nutrition_screen_and_in_the_api(world):
    person = factories.child(world, owner="field_worker", is_sensitive=True)
    factories.measure(world, person, actor_key="supervisor", muac_mm="110")
    client = client_of(world.user("field_worker"))  # follows the child, may not see sensitive identities
    pages = [
        client.get(reverse("nutrition:home")),
        client.get(reverse("nutrition:child", args=[person.pk])),
        client.get(reverse("nutrition:day", args=[factories.THMEI])),
        client.get(_measure_url(person)),
    ]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert person.given_name_latin not in body
        assert person.given_name_km not in body
    growth = client.get(f"{API}/children/{person.pk}/growth").json()
    assert growth["person_id"] is None
    assert growth["name"] == person.initials()
    assert all(row["person_id"] is None for row in growth["assessments"])
    shown = (
        client_of(world.user("supervisor")).get(reverse("nutrition:child", args=[person.pk])).content.decode()
    )
    assert person.given_name_latin in shown or person.given_name_km in shown


def test_the_api_corrects_a_measurement_against_the_version_read(world):
    person = factories.child(world)
    row = factories.measure(world, person, weight_kg="1.2")
    client = client_of(world.user("caseworker_a"))
    url = f"{API}/measurements/{row.pk}"
    body = {"measured_on": "2026-11-21", "weight_kg": 10.2, "length_cm": 80.7, "muac_mm": 150}
    assert client.put(url, body, content_type="application/json").status_code == 428
    fixed = client.put(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{row.version}"')
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["implausible"] == []
    assert fixed["ETag"] == f'"{row.version + 1}"'
    stale = client.put(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{row.version}"')
    assert stale.status_code == 409
    theirs = factories.child(world, village=factories.KBAL_THNAL, owner="caseworker_b", team=world.team_b)
    other = factories.measure(world, theirs, actor_key="caseworker_b")
    refused = client.put(
        f"{API}/measurements/{other.pk}",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{other.version}"',
    )
    assert refused.status_code == 404
