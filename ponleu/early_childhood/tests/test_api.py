"""The early childhood API: a nursery day's roll call then its correction with If-Match, a
development check answered item by item, the checks due, factories that owe childcare, a new
checklist; scoped (404 out of reach) and version-checked."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client

from ponleu.common import clock
from ponleu.early_childhood import selectors
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/early-childhood"
BORN = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def _nursery(world):
    worker = world.user("field_worker")
    kids = [factories.child(world, born=BORN, owner=worker) for _ in range(2)]
    return factories.nursery(world, children=kids), kids


def test_a_nursery_day_is_taken_then_corrected_with_its_version(world):
    nursery, _kids = _nursery(world)
    client = client_of(world.user("field_worker"))
    detail = client.get(f"{API}/nurseries/{nursery.pk}")
    assert detail.status_code == 200
    members = [row["member_id"] for row in detail.json()["child_list"]]
    assert all(row["person_id"] for row in detail.json()["child_list"])
    day = clock.today().isoformat()
    taken = _json(client, "post", f"{API}/nurseries/{nursery.pk}/days", {"held_on": day, "present": members})
    assert taken.status_code == 200, taken.content
    assert sorted(taken.json()["present"]) == sorted(members)
    unversioned = _json(client, "post", f"{API}/nurseries/{nursery.pk}/days", {"held_on": day, "present": []})
    assert unversioned.status_code == 428
    version = taken.json()["version"]
    corrected = _json(
        client,
        "post",
        f"{API}/nurseries/{nursery.pk}/days",
        {"held_on": day, "present": members[:1]},
        version,
    )
    assert corrected.json()["present"] == members[:1]
    stale = _json(
        client, "post", f"{API}/nurseries/{nursery.pk}/days", {"held_on": day, "present": []}, version
    )
    assert stale.status_code == 409
    outsider = client_of(world.user("caseworker_b"))
    assert outsider.get(f"{API}/nurseries/{nursery.pk}").status_code == 404
    assert outsider.get(f"{API}/nurseries/{uuid.uuid4()}").status_code == 404


def test_a_development_check_is_recorded_and_the_next_one_is_due(world):
    instrument = factories.instrument(world)
    nursery, (kid, _other) = _nursery(world)
    client = client_of(world.user("field_worker"))
    due = client.get(f"{API}/checks/due").json()
    assert {row["person_id"] for row in due} == {
        str(pk) for pk in nursery.group.members.values_list("person_id", flat=True)
    }
    band = selectors.band_for(instrument, 20)
    results = {str(item.pk): item.domain != "language" for item in band.items.all()}
    body = {"checked_on": clock.today().isoformat(), "nursery_id": str(nursery.pk), "results": results}
    partial = dict(results)
    partial.popitem()
    refused = _json(client, "post", f"{API}/children/{kid.pk}/checks", {**body, "results": partial})
    assert refused.status_code == 422
    created = _json(client, "post", f"{API}/children/{kid.pk}/checks", body)
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["next_check"] == {"from_months": 24, "to_months": 36, "due_on": "2027-03-10", "late": False}
    domains = {d["domain"]: (d["achieved"], d["asked"]) for d in answer["checks"][0]["domains"]}
    assert domains["language"] == (0, 1)
    assert domains["gross_motor"] == (1, 1)
    elsewhere = _json(
        client, "post", f"{API}/children/{kid.pk}/checks", {**body, "nursery_id": str(uuid.uuid4())}
    )
    assert elsewhere.status_code == 422
    assert (
        client_of(world.user("caseworker_b")).get(f"{API}/children/{kid.pk}/development").status_code == 404
    )


def test_factories_that_owe_childcare_and_a_check_with_its_version(world):
    client = client_of(world.user("caseworker_a"))
    body = {
        "name": "Factory One",
        "village_code": factories.THMEI,
        "women_workers": 100,
        "childcare": "none",
        "checked_on": "2026-11-01",
    }
    created = _json(client, "post", f"{API}/factories", body)
    assert created.status_code == 201, created.content
    assert created.json()["falls_short"]
    _json(client, "post", f"{API}/factories", {**body, "name": "Factory Two", "women_workers": 99})
    short = client.get(f"{API}/factories", {"falls_short": "true"}).json()
    assert [f["name"] for f in short] == ["Factory One"]
    factory_id = created.json()["id"]
    check = {"women_workers": 140, "childcare": "paid_elsewhere", "checked_on": "2026-11-20"}
    assert _json(client, "put", f"{API}/factories/{factory_id}/check", check).status_code == 428
    checked = _json(client, "put", f"{API}/factories/{factory_id}/check", check, created.json()["version"])
    assert checked.status_code == 200
    assert not checked.json()["falls_short"]
    assert _json(client, "put", f"{API}/factories/{factory_id}/check", check, 1).status_code == 409
    assert client_of(world.user("caseworker_b")).get(f"{API}/factories").json() == []


def test_a_checklist_is_put_in_use_by_the_organisation(world):
    body = {
        "name": "National checklist",
        "source": "national",
        "bands": [
            {
                "from_months": 0,
                "to_months": 12,
                "items": [{"domain": "language", "text_km": "និយាយ", "text_en": "Talks"}],
            },
            {
                "from_months": 12,
                "to_months": 24,
                "items": [{"domain": "cognitive", "text_km": "ចង្អុល", "text_en": "Points"}],
            },
        ],
    }
    assert _json(client_of(world.user("supervisor")), "post", f"{API}/checklists", body).status_code == 403
    admin = client_of(world.user("org_admin"))
    created = _json(admin, "post", f"{API}/checklists", body)
    assert created.status_code == 201, created.content
    assert [b["from_months"] for b in created.json()["bands"]] == [0, 12]
    gapped = {**body, "bands": [body["bands"][0], {**body["bands"][1], "from_months": 13}]}
    assert _json(admin, "post", f"{API}/checklists", gapped).status_code == 422
    assert (
        client_of(world.user("field_worker")).get(f"{API}/checklist").json()["name"] == "National checklist"
    )


def test_an_item_is_reworded_or_retired_by_the_organisation_only(world):
    instrument = factories.instrument(world)
    item = instrument.bands.get(from_months=0).items.get(domain="language")
    url = f"{API}/checklist/items/{item.pk}"
    body = {"text_km": "ងាកទៅរកសំឡេងម្ដាយ", "text_en": "Turns to the mother's voice", "asked": False}
    assert _json(client_of(world.user("supervisor")), "put", url, body).status_code == 403
    admin = client_of(world.user("org_admin"))
    changed = _json(admin, "put", url, body)
    assert changed.status_code == 200, changed.content
    first = changed.json()["bands"][0]["items"]
    assert item.pk not in [i["id"] for i in first]
    assert _json(admin, "put", f"{API}/checklist/items/999999", body).status_code == 404
    partner = client_of(world.user("partner"))
    assert _json(partner, "put", url, body).status_code == 403
