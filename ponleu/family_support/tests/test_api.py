"""The family support API: from the assessment to graduation, version-checked, scoped."""

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


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def assessment(**levels):
    return {
        "assessed_on": "2026-11-20",
        "needs": [{"domain": d, **v} for d, v in factories.levels(**levels).items()],
    }


def test_a_plan_from_assessment_to_graduation(world):
    actor = world.actor("caseworker_a")
    clinic = factories.health_centre(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        household, child = factories.household_with_child(actor)
        url = f"{API}/households/{household.pk}/support-plans"
        created = _json(worker, "post", url, assessment(health="serious"))
        assert created.status_code == 201, created.content
        plan = created.json()
        assert created["ETag"] == '"1"'
        assert {n["domain"]: n["level"] for n in plan["needs"]}["health"] == "serious"
        assert _json(worker, "post", url, assessment(health="some")).status_code == 422
        assert worker.get(url).json()["items"][0]["id"] == plan["id"]
        assert worker.get(f"{API}/support-plans").json()["items"][0]["id"] == plan["id"]

        need = f"{API}/support-plans/{plan['id']}/needs/health"
        link = {"service": "primary_health", "provider_id": str(clinic.pk)}
        assert _json(worker, "patch", need, link).status_code == 428
        linked = _json(worker, "patch", need, link, version=1)
        assert linked.status_code == 200, linked.content
        assert _json(worker, "patch", need, {"note": "stale"}, version=1).status_code == 409
        assert _json(worker, "patch", need, {"level": None}, version=2).status_code == 422
        assert (
            _json(worker, "patch", f"{API}/support-plans/{plan['id']}/needs/moon", {}, version=2).status_code
            == 404
        )

        referred = _json(
            worker,
            "post",
            f"{need}/referral",
            {"person_id": str(child.pk), "reason": "Fever"},
            version=2,
        )
        assert referred.status_code == 201, referred.content
        health = {n["domain"]: n for n in referred.json()["needs"]}["health"]
        assert health["referral_status"] == "draft"
        assert health["referral_reference"].startswith("PR-")

        graduation = f"{API}/support-plans/{plan['id']}/graduation"
        refused = _json(worker, "post", graduation, {}, version=3)
        assert refused.status_code == 422
        assert refused.json()["errors"]["needs"] == ["Health is not met yet (Serious need)."]

        visited = _json(
            worker,
            "post",
            f"{API}/support-plans/{plan['id']}/visits",
            {"visited_on": "2026-11-21", "note": "Treated", "met": ["health"]},
            version=3,
        )
        assert visited.status_code == 201, visited.content
        graduated = _json(worker, "post", graduation, {"note": "Done"}, version=4)
        assert graduated.status_code == 200, graduated.content
        assert graduated.json()["status"] == "graduated"


def test_another_organisation_meets_404_everywhere(world):
    actor = world.actor("caseworker_a")
    partner = client_of(world.user("partner_supervisor"))
    with clock.frozen(NOW):
        household, _ = factories.household_with_child(actor)
        plan = factories.plan(actor, household)
        assert partner.get(f"{API}/support-plans/{plan.pk}").status_code == 404
        assert partner.get(f"{API}/households/{household.pk}/support-plans").status_code == 404
        assert partner.get(f"{API}/support-plans").json()["items"] == []
        refused = _json(
            partner, "post", f"{API}/support-plans/{plan.pk}/visits", {"visited_on": "2026-11-21"}, version=1
        )
        assert refused.status_code == 404
        started = _json(partner, "post", f"{API}/households/{household.pk}/support-plans", assessment())
        assert started.status_code == 404
