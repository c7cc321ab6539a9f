"""The referrals API: a referral from drafting to the outcome, as both organisations see it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.registry.tests import factories as people
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    """Its own client per user: both organisations act in turn."""
    client = Client()
    login(client, user)
    return client


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def test_directory_search_and_maintenance(world, login_as):
    worker = login_as(world.user("caseworker_a"))
    body = {
        "kind": "legal_aid",
        "name_km": "ជំនួយច្បាប់កុមារ",
        "areas": ["0201"],
        "services": [{"service": "legal_aid", "cost": "free"}],
    }
    assert _json(worker, "post", f"{API}/directory/providers", body).status_code == 403
    admin = login_as(world.user("org_admin"))
    created = _json(admin, "post", f"{API}/directory/providers", body)
    assert created.status_code == 201, created.content
    found = worker.get(
        f"{API}/directory/providers", {"service": "legal_aid", "commune": "020101", "cost": "free"}
    )
    assert [p["name_km"] for p in found.json()] == ["ជំនួយច្បាប់កុមារ"]
    assert (
        worker.get(f"{API}/directory/providers", {"service": "legal_aid", "commune": "170701"}).json() == []
    )
    pid = created.json()["id"]
    assert _json(admin, "put", f"{API}/directory/providers/{pid}", body).status_code == 428
    assert _json(admin, "put", f"{API}/directory/providers/{pid}", body, version=1).status_code == 200
    assert _json(admin, "put", f"{API}/directory/providers/{pid}", body, version=1).status_code == 409
    bad = _json(admin, "post", f"{API}/directory/providers", {**body, "kind": "moon"})
    assert bad.status_code == 422
    assert "kind" in bad.json()["errors"]


def test_the_directory_lists_the_nearest_provider_first(world, login_as):
    # The provincial hospital's name sorts first: only the search's order puts the commune's
    # own health centre before it.
    commune = factories.provider(world, name_km="មណ្ឌលសុខភាព ក", areas=("020101",))
    province = factories.provider(world, name_km="កន្លែងព្យាបាលខេត្ត", kind="referral_hospital", areas=("02",))
    worker = login_as(world.user("caseworker_a"))
    found = worker.get(f"{API}/directory/providers", {"service": "primary_health", "commune": "020101"})
    assert found.status_code == 200
    assert [p["id"] for p in found.json()] == [str(commune.pk), str(province.pk)]
    assert found.json()[0]["areas"] == ["020101"]
    assert found.json()[0]["services"] == [{"service": "primary_health", "cost": "free", "note": ""}]


def test_referral_end_to_end_and_what_each_side_sees(world, login_as):
    caseworker = world.actor("caseworker_a")
    child = people.person(caseworker, nickname="CANARY-nickname")
    provider = factories.partner_provider(world)
    world.members["partner_supervisor"].areas.add(AdminUnit.objects.get(pk="0201"))
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        draft = _json(
            worker,
            "post",
            f"{API}/referrals",
            {
                "person_id": str(child.pk),
                "provider_id": str(provider.pk),
                "service": "shelter",
                "reason": "CANARY-reason",
                "urgency": "urgent",
                "shared_fields": ["name", "age", "village"],
            },
        )
        assert draft.status_code == 201, draft.content
        rid, version = draft.json()["id"], draft.json()["version"]
        key = str(uuid.uuid4())
        refused = _json(worker, "post", f"{API}/referrals/{rid}/send", {"send_key": key}, version)
        assert refused.status_code == 422
        assert "There is no consent in force for this purpose." in refused.json()["errors"]["consent"]
        factories.share_consent(caseworker, child, recipient=world.other_org.pk, child_assent="not_asked")
        sent = _json(worker, "post", f"{API}/referrals/{rid}/send", {"send_key": key}, version)
        assert sent.status_code == 200, sent.content
        again = _json(worker, "post", f"{API}/referrals/{rid}/send", {"send_key": key}, version)
        assert again.status_code == 200
        assert again.json()["version"] == sent.json()["version"]

        partner = client_of(world.user("partner_supervisor"))
        seen = partner.get(f"{API}/referrals/{rid}")
        assert seen.status_code == 200
        body = seen.json()
        assert body["side"] == "receiver"
        # Exactly the chosen fields; every other one is null.
        assert {k: v for k, v in body["shared"].items() if v is not None} == {
            "name": "សុខ ដារ៉ា",
            "age": 11,
            "village": "02010101",
        }
        assert len(body["shared"]) == 11
        assert body["person_id"] is None
        assert body["reason"] is None
        assert "CANARY" not in seen.content.decode()
        assert AccessEvent.objects.filter(
            actor_username="partner_supervisor", action="referral.viewed"
        ).exists()
        version = body["version"]
        step = _json(partner, "post", f"{API}/referrals/{rid}/steps", {"event": "acknowledge"}, version)
        assert step.status_code == 200, step.content
        accepted = _json(partner, "post", f"{API}/referrals/{rid}/acceptance", {}, step.json()["version"])
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["receiver_person_id"]
        v = accepted.json()["version"]
        v = _json(partner, "post", f"{API}/referrals/{rid}/steps", {"event": "start_service"}, v).json()[
            "version"
        ]
        done = _json(
            partner,
            "post",
            f"{API}/referrals/{rid}/steps",
            {"event": "complete", "outcome": "Safe", "family_said": "Relieved"},
            v,
        )
        assert done.status_code == 200
        mine = worker.get(f"{API}/referrals/{rid}").json()
        assert mine["status"] == "completed"
        assert mine["outcome"] == "Safe"
        assert mine["next_steps"] == ["close", "withdraw"]


def test_out_of_reach_and_malformed_ids_are_one_404(world, login_as):
    caseworker = world.actor("caseworker_a")
    child = people.person(caseworker)
    provider = factories.partner_provider(world)
    with clock.frozen(NOW):
        referral = factories.draft(caseworker, child, provider)
    partner = login_as(world.user("partner_supervisor"))
    assert partner.get(f"{API}/referrals/{referral.pk}").status_code == 404  # a draft is not shared
    assert partner.get(f"{API}/referrals/{uuid.uuid4()}").status_code == 404
    other = login_as(world.user("caseworker_b"))
    assert other.get(f"{API}/referrals/{referral.pk}").status_code == 404


def test_withdrawing_consent_through_the_api(world, login_as):
    caseworker = world.actor("caseworker_a")
    child = people.person(caseworker)
    provider = factories.partner_provider(world)
    with clock.frozen(NOW):
        consent = factories.share_consent(
            caseworker, child, recipient=world.other_org.pk, child_assent="not_asked"
        )
        referral = factories.send(caseworker, factories.draft(caseworker, child, provider))
        partner = client_of(world.user("partner_supervisor"))
        assert partner.get(f"{API}/referrals/{referral.pk}").status_code == 200
        worker = client_of(world.user("caseworker_a"))
        gone = _json(
            worker, "post", f"{API}/consents/{consent.pk}/withdrawal", {"reason": "Changed their mind"}
        )
        assert gone.status_code == 204
        assert partner.get(f"{API}/referrals/{referral.pk}").status_code == 404
        assert worker.get(f"{API}/referrals/{referral.pk}").json()["status"] == "withdrawn"


def test_an_entry_tells_when_it_was_checked_and_anyone_may_report_it_wrong(world, login_as):
    with clock.frozen(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
        provider = factories.provider(world, location=factories.KANTUEU)
    worker = login_as(world.user("caseworker_a"))
    read = worker.get(f"{API}/directory/providers/{provider.pk}").json()
    assert read["verified_on"] == "2026-03-02"
    assert "flag_note" not in read  # a report is for the administrators to read
    url = f"{API}/directory/providers/{provider.pk}/report"
    assert _json(worker, "post", url, {"note": "Closed since March"}).status_code == 204
    provider.refresh_from_db()
    assert provider.flag_note == "Closed since March"
    assert provider.flagged_on is not None
    too_long = _json(worker, "post", url, {"note": "x" * 301})
    assert too_long.status_code in (400, 422)
    assert "note" in too_long.content.decode()
    missing = f"{API}/directory/providers/{uuid.uuid4()}/report"
    assert _json(worker, "post", missing, {"note": "Closed"}).status_code == 404
