"""The cases API: a trafficking case from referral to the end of post-closure follow-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.cases.models import Case
from ponleu.common import clock

from .factories import ALL_CSI, make_child, open_case

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Phnom_Penh")
API = "/api/v1"


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def _step(client, case_id, event, version, **extra):
    return _json(client, "post", f"{API}/cases/{case_id}/transitions", {"event": event, **extra}, version)


def test_trafficking_case_from_referral_to_follow_up_through_the_api(world, login_as):
    child = make_child(world)
    worker = login_as(world.user("caseworker_a"))
    with clock.frozen(dt.datetime(2025, 1, 6, 9, tzinfo=TZ)) as traveller:
        response = _json(
            worker,
            "post",
            f"{API}/cases",
            {
                "child_id": str(child.pk),
                "case_type": "trafficking",
                "subtype": "trafficking",
                "source": "police",
                "summary": "Returned from Thailand by the police",
                "immediate_danger": True,
            },
        )
        assert response.status_code == 201, response.content
        case = response.json()
        case_id, version = case["id"], case["version"]
        assert case["is_sensitive"]
        assert case["urgent_deadline"]

        def current():
            reply = worker.get(f"{API}/cases/{case_id}")
            assert reply.status_code == 200
            return reply.json(), int(reply["ETag"].strip('"'))

        body, version = current()
        assert body["next_steps"] == ["start_intake", "mark_urgent"]
        assert _step(worker, case_id, "start_intake", version).status_code == 200
        body, version = current()
        refused = _step(worker, case_id, "complete_screening", version)
        assert refused.status_code == 422
        assert "safety plan" in refused.json()["detail"]
        plan = {"dangers": "recruiter in the village", "safe_place": "aunt", "steps": "call the hotline"}
        assert _json(worker, "put", f"{API}/cases/{case_id}/safety-plan", plan).status_code == 200
        assert _step(worker, case_id, "complete_screening", version).status_code == 200
        body, version = current()
        specifics = {
            "destination": "thailand",
            "destination_place": "Rayong",
            "route": "Poipet",
            "legal_status": "complaint",
            "legal_aid": True,
            "legal_aid_provider": "Legal aid NGO",
        }
        assert _json(worker, "put", f"{API}/cases/{case_id}/trafficking", specifics).status_code == 200
        danger = {
            "instrument": "danger_factors",
            "assessed_on": "2025-01-06",
            "answers": {"previous_exploitation": True},
        }
        assert _json(worker, "post", f"{API}/cases/{case_id}/assessments", danger).status_code == 201
        csi = {"instrument": "csi", "assessed_on": "2025-01-06", "answers": {**ALL_CSI, "3A": 1}}
        assert _json(worker, "post", f"{API}/cases/{case_id}/assessments", csi).status_code == 201
        assert _step(worker, case_id, "complete_assessment", version).status_code == 200
        body, version = current()
        goal = _json(
            worker,
            "post",
            f"{API}/cases/{case_id}/goals",
            {"domain": "3A", "description": "Safe from the recruiter"},
        )
        goal_id = goal.json()["goals"][0]["id"]
        action = {"goal_id": goal_id, "description": "Legal aid meeting", "due_on": "2025-02-01"}
        reply = _json(worker, "post", f"{API}/cases/{case_id}/actions", action)
        action_id = reply.json()["goals"][0]["actions"][0]["id"]
        assert _step(worker, case_id, "submit_plan", version).status_code == 200
        body, version = current()
        supervisor = login_as(world.user("supervisor"))
        assert _step(supervisor, case_id, "approve_plan", version).status_code == 200
        worker = login_as(world.user("caseworker_a"))
        body, version = current()
        assert body["status"] == "implementation"
        traveller.advance(days=20)
        worker = login_as(world.user("caseworker_a"))  # the session idled out meanwhile
        service = {
            "service_type": "legal_aid",
            "provider": "Legal aid NGO",
            "delivered_on": "2025-01-20",
            "cost": "0",
        }
        assert _json(worker, "post", f"{API}/cases/{case_id}/services", service).status_code == 201
        placement = {
            "placement_type": "emergency_shelter",
            "carer": "Safe shelter",
            "started_on": "2025-01-07",
        }
        assert _json(worker, "post", f"{API}/cases/{case_id}/placements", placement).status_code == 201
        overlap = {"placement_type": "kinship", "carer": "Aunt", "started_on": "2025-01-20"}
        assert _json(worker, "post", f"{API}/cases/{case_id}/placements", overlap).status_code == 422
        traveller.advance(days=20)
        worker = login_as(world.user("caseworker_a"))  # the session idled out meanwhile
        note = {
            "interaction": "home_visit",
            "happened_on": "2025-02-14",
            "observations": "Family ready",
            "goal_ids": [goal_id],
        }
        assert _json(worker, "post", f"{API}/cases/{case_id}/notes", note).status_code == 201
        future = {**note, "happened_on": "2025-03-01"}
        assert _json(worker, "post", f"{API}/cases/{case_id}/notes", future).status_code == 422
        done = {"status": "done", "done_on": "2025-01-30"}
        assert _json(worker, "patch", f"{API}/cases/{case_id}/actions/{action_id}", done).status_code == 200
        ready = dict.fromkeys(
            ["child_willing", "family_willing", "home_safe", "caregiver_capable", "school_arranged"], True
        )
        readiness = {"instrument": "reintegration_readiness", "assessed_on": "2025-02-14", "answers": ready}
        assert _json(worker, "post", f"{API}/cases/{case_id}/assessments", readiness).status_code == 201
        body, version = current()
        reunify = {"reunified_on": "2025-02-15", "reunified_with": "Mother"}
        assert _json(worker, "post", f"{API}/cases/{case_id}/reintegration", reunify).status_code == 428
        assert (
            _json(worker, "post", f"{API}/cases/{case_id}/reintegration", reunify, version - 1).status_code
            == 409
        )
        assert (
            _json(worker, "post", f"{API}/cases/{case_id}/reintegration", reunify, version).status_code == 200
        )
        body, version = current()
        assert _step(worker, case_id, "start_review", version).status_code == 200
        body, version = current()
        assert (
            _step(
                worker,
                case_id,
                "request_closure",
                version,
                closure_reason="reintegrated",
                reason="Home and safe",
            ).status_code
            == 200
        )
        supervisor = login_as(world.user("supervisor"))
        body, version = current()
        assert _step(supervisor, case_id, "approve_closure", version).status_code == 200
        worker = login_as(world.user("caseworker_a"))
        body, version = current()
        assert body["status"] == "follow_up"
        assert [f["months"] for f in body["follow_ups"]] == [3, 6, 12]
        traveller.advance(days=400)
        worker = login_as(world.user("caseworker_a"))
        for follow_up, day in zip(
            body["follow_ups"], ["2025-05-15", "2025-08-15", "2026-02-16"], strict=True
        ):
            visit = {"done_on": day, "outcome": "doing_well"}
            assert (
                _json(
                    worker, "patch", f"{API}/cases/{case_id}/follow-ups/{follow_up['id']}", visit
                ).status_code
                == 200
            )
        body, version = current()
        assert _step(worker, case_id, "complete_follow_up", version).status_code == 200
        body, version = current()
        pages = {
            what: worker.get(f"{API}/cases/{case_id}/{what}").json()
            for what in ("notes", "services", "placements")
        }
    assert body["status"] == "closed"
    actions = list(AuditEvent.objects.filter(target_id=case_id).values_list("action", flat=True))
    assert actions.count("cases.case.transitioned") == 9
    assert "cases.case.opened" in actions
    assert "cases.case.reintegrated" in actions
    assert AccessEvent.objects.filter(action="cases.case.viewed", targets__target_id=case_id).count() >= 20
    assert len(pages["notes"]["items"]) == 1
    assert pages["notes"]["items"][0]["observations"] == "Family ready"
    assert pages["placements"]["items"][0]["ended_on"] == "2025-02-15"


def test_list_masks_sensitive_children_for_colleagues_and_detail_refuses(world, login_as):
    case = open_case(world, type_code="trafficking")
    Case.objects.filter(pk=case.pk).update(owner=world.user("supervisor"))
    colleague = login_as(world.user("caseworker_a"))
    page = colleague.get(f"{API}/cases").json()
    item = next(i for i in page["items"] if i["id"] == str(case.pk))
    assert item["is_masked"]
    assert "Dara" not in item["child_name"]
    assert colleague.get(f"{API}/cases/{case.pk}").status_code == 403


def test_other_organisation_gets_404_and_empty_lists(world, login_as):
    case = open_case(world)
    partner = login_as(world.user("partner"))
    assert partner.get(f"{API}/cases/{case.pk}").status_code == 404
    assert partner.get(f"{API}/cases/{case.pk}/notes").status_code == 404
    assert partner.get(f"{API}/cases").json()["items"] == []


def test_openapi_documents_the_case_routes(world, login_as):
    schema = login_as(world.user("caseworker_a")).get(f"{API}/openapi.json").json()
    for path in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/notes"):
        assert path in schema["paths"]
