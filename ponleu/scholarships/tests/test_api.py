"""The API: schemes with their ledger, a period's payments with the check, a run, an override
that needs the version it read."""

from __future__ import annotations

import pytest
from django.test import Client

from ponleu.common import clock
from ponleu.education.tests import factories as school
from ponleu.scholarships.models import Payment
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def api_client(user):
    client = Client()
    login(client, user)
    return client


def test_run_list_and_override_through_the_api(world):
    year = school.make_year(world.org)
    school_class = school.make_class(school.make_school(world.org), year)
    scheme = factories.scheme(world, currency="USD", amount="12.50", budget="500")
    award, _ = factories.holder(world, scheme, school_class)
    client = api_client(world.user("supervisor"))
    response = client.post(
        f"/api/v1/scholarships/schemes/{scheme.pk}/runs",
        {"year_id": str(year.pk), "term": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "created": 1,
        "checked": 1,
        "passed": 0,
        "failed": 0,
        "no_data": 1,
        "roll_call_rows_read": 0,
    }
    listed = client.get(f"/api/v1/scholarships/schemes/{scheme.pk}/payments").json()
    assert [(p["condition"], p["status"], p["amount"]) for p in listed] == [("no_data", "withheld", 1250)]
    payment = Payment.objects.get(award=award)
    url = f"/api/v1/scholarships/payments/{payment.pk}/override"
    body = {"reason": "Register lost in the flood; teacher confirms attendance"}
    assert client.post(url, body, content_type="application/json").status_code == 428
    response = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{payment.version}"')
    assert response.status_code == 200
    assert response.json()["status"] == "due"
    ledger = client.get(f"/api/v1/scholarships/schemes/{scheme.pk}").json()["ledger"]
    assert ledger == {
        "currency": "USD",
        "budget": 50000,
        "paid": 0,
        "due": 1250,
        "withheld": 0,
        "remaining": 50000,
    }


def test_another_organisation_gets_404(world):
    scheme = factories.scheme(world)
    client = api_client(world.user("partner_supervisor"))
    assert client.get(f"/api/v1/scholarships/schemes/{scheme.pk}").status_code == 404
