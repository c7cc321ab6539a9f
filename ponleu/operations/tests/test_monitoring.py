"""Health, readiness, metrics behind a token, and JSON logs without personal data."""

from __future__ import annotations

import json
import logging

import pytest

from ponleu.operations import metrics
from ponleu.operations.logs import JsonFormatter
from ponleu.testing.login import login


@pytest.fixture(autouse=True)
def fresh_metrics():
    metrics.reset()


def test_health_answers_without_a_login(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_metrics_do_not_exist_without_a_token(client, db, settings):
    settings.PONLEU_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(client, db, settings):
    settings.PONLEU_METRICS_TOKEN = "a-long-random-metrics-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_metrics_count_routes_not_paths(client, world, people, settings):
    settings.PONLEU_METRICS_TOKEN = "a-long-random-metrics-token"
    metrics.reset()
    login(client, world.user("caseworker_a"))
    person = people[0]
    client.get("/people/?q=Kanitha")
    client.get(f"/people/{person.pk}/")
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong-password-here"})
    body = client.get(
        "/metrics", headers={"Authorization": "Bearer a-long-random-metrics-token"}
    ).content.decode()
    assert 'ponleu_http_requests_total{route="/people/",method="GET",status="200"} 1' in body
    assert 'ponleu_http_request_duration_seconds_bucket{route="/people/",le="+Inf"} 1' in body
    assert "Kanitha" not in body
    assert str(person.pk) not in body
    assert 'ponleu_http_requests_total{route="/people/<uuid:person_id>/",method="GET",status="200"} 1' in body
    for gauge in (
        'ponleu_jobs{state="waiting"}',
        "ponleu_logins_refused_last_hour 1",
        "ponleu_break_glass_grants_active",
        'ponleu_audit_rows_last_minute{table="audit_accessevent"}',
        "ponleu_disk_free_ratio",
    ):
        assert gauge in body


def test_json_log_lines_carry_the_route_and_no_personal_data(client, world, people, caplog):
    login(client, world.user("caseworker_a"))
    with caplog.at_level(logging.INFO, logger="ponleu.access"):
        client.get("/people/?q=Kanitha")
    record = next(r for r in caplog.records if r.name == "ponleu.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["route"] == "/people/"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "route",
        "method",
        "status",
        "duration_ms",
        "request_id",
    }
    assert "Kanitha" not in json.dumps(line)
    assert world.user("caseworker_a").username not in json.dumps(line)
