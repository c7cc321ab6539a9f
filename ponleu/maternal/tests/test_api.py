"""The pregnancy API: from registration to the newborn, version-checked, scoped, masked for a
reader without sensitive access, and the method refused without her consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ponleu.common import clock
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
BIRTH = dt.datetime(2027, 2, 5, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def test_a_pregnancy_from_registration_to_the_newborn(world):
    actor = world.actor("caseworker_a")
    centre = factories.health_centre(world)
    with clock.frozen(NOW):
        worker = client_of(world.user("caseworker_a"))
        woman = factories.woman(actor)
        url = f"{API}/people/{woman.pk}/pregnancies"
        created = _json(worker, "post", url, {"last_period_on": "២០២៦-០៥-០៤"})  # Khmer digits
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["due_on"] == "2027-02-08"
        assert body["weeks"] == 28
        assert body["woman_name"] == "Chan Sophea"
        assert _json(worker, "post", url, {"due_on": "2027-02-08"}).status_code == 422
        one = f"{API}/pregnancies/{body['id']}"
        assert (
            _json(
                worker, "post", f"{one}/antenatal-visits", {"visited_on": "2026-11-20", "place": "home"}
            ).status_code
            == 428
        )
        visit = _json(
            worker,
            "post",
            f"{one}/antenatal-visits",
            {"visited_on": "2026-11-20", "place": "home", "danger_signs": ["fever"]},
            version=1,
        )
        assert visit.status_code == 201, visit.content
        anc = visit.json()["antenatal_visits"][0]
        assert anc["label"] == "ANC1"
        assert anc["weeks"] == 28
        stale = _json(
            worker,
            "post",
            f"{one}/antenatal-visits",
            {"visited_on": "2026-11-21", "place": "home"},
            version=1,
        )
        assert stale.status_code == 409
        referred = _json(
            worker,
            "post",
            f"{one}/antenatal-visits/{anc['id']}/referral",
            {"provider_id": str(centre.pk)},
            version=2,
        )
        assert referred.status_code == 201, referred.content
        assert referred.json()["antenatal_visits"][0]["referral_id"]
        refused = _json(
            worker,
            "post",
            f"{one}/family-planning",
            {"counselled_on": "2026-11-21", "method": "pill"},
            version=3,
        )
        assert refused.status_code == 422
        assert "method" in refused.json()["errors"]
        listed = worker.get(f"{API}/pregnancies").json()
        assert [p["id"] for p in listed["items"]] == [body["id"]]
    with clock.frozen(BIRTH):
        worker = client_of(world.user("caseworker_a"))
        born = _json(
            worker,
            "post",
            f"{one}/birth",
            {"born_on": "2027-02-04", "outcome": "live_birth", "place": "home", "attendant": "midwife"},
            version=3,
        )
        assert born.status_code == 200, born.content
        newborn = _json(worker, "post", f"{one}/newborn", {"given_name_km": "ពិសី", "sex": "F"}, version=4)
        assert newborn.status_code == 201, newborn.content
        assert newborn.json()["newborn_id"]
        assert _json(worker, "post", f"{one}/newborn", {"sex": "F", "rank": 1}, version=5).status_code == 422


def test_masked_for_a_reader_without_sensitive_access_and_missing_out_of_reach(world):
    supervisor = world.actor("supervisor")
    with clock.frozen(NOW):
        woman = factories.woman(world.actor("field_worker"))
        pregnancy = factories.pregnancy(supervisor, woman)
        factories.anc(supervisor, pregnancy, dt.date(2026, 11, 20), danger_signs=["bleeding"])
        reader = client_of(world.user("field_worker"))
        body = reader.get(f"{API}/pregnancies/{pregnancy.pk}").json()
        assert body["is_masked"] is True
        assert body["woman_name"] == "C. S."
        assert body["person_id"] is None  # her id would name her beside a pregnancy masked to the reader
        assert body["due_on"] is None
        assert body["antenatal_visits"] is None
        assert "bleeding" not in str(body)
        listed = reader.get(f"{API}/pregnancies").json()["items"]
        assert listed[0]["due_on"] is None
        write = _json(
            reader,
            "post",
            f"{API}/pregnancies/{pregnancy.pk}/antenatal-visits",
            {"visited_on": "2026-11-21", "place": "home"},
            version=2,
        )
        assert write.status_code == 403
        for user in ("caseworker_b", "partner"):
            assert client_of(world.user(user)).get(f"{API}/pregnancies/{pregnancy.pk}").status_code == 404
