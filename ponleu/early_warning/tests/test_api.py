import datetime as dt
import zoneinfo

import pytest

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.early_warning.models import RiskScore

from .test_review import flagged_class

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=PP)):
        yield dt.date(2026, 5, 12)


def test_risk_reads_are_access_audited_and_names_follow_the_reader(world, login_as, today):
    _, (pupil,) = flagged_class(world, 1)
    caseworker = login_as(world.user("caseworker_a"))
    listed = caseworker.get("/api/v1/risk/list").json()
    (row,) = listed["items"]
    assert row["name"] == pupil.person.display_name("en")
    assert row["score"]["flagged"]
    assert any("in a row" in reason for reason in row["score"]["reasons"])
    event = AccessEvent.objects.filter(action="early_warning.scores.viewed").latest("id")
    assert event.target_ids == [str(pupil.person_id)]
    detail = caseworker.get(f"/api/v1/risk/enrolments/{pupil.pk}")
    assert detail.status_code == 200
    assert len(detail.json()["scores"]) == RiskScore.objects.filter(enrolment=pupil).count()
    me = login_as(world.user("me_officer")).get("/api/v1/risk/list").json()
    assert me["items"][0]["name"] == pupil.person.initials()


def test_risk_reads_need_the_capability_and_the_reach(world, login_as, today):
    _, (pupil,) = flagged_class(world, 1)
    assert login_as(world.user("dpo")).get("/api/v1/risk/list").status_code == 403
    other = login_as(world.user("caseworker_b"))  # another district
    assert other.get(f"/api/v1/risk/enrolments/{pupil.pk}").status_code == 404
    assert other.get("/api/v1/risk/list").json()["items"] == []
