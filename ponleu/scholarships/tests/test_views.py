"""The scheme's page as a coordinator uses it: run the term, see who failed the condition,
override one with a reason, record the rest as paid, print the receipts (a PDF)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.common import clock
from ponleu.education.tests import factories as school
from ponleu.scholarships.choices import ConditionResult, PaymentStatus
from ponleu.scholarships.models import Payment
from ponleu.scholarships.services import awards as award_services
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user):
    client = Client()
    login(client, user)
    return client


def test_a_coordinator_runs_overrides_pays_and_prints(world):
    year = school.make_year(world.org)
    school_class = school.make_class(school.make_school(world.org), year)
    scheme = factories.scheme(world)
    days = school.school_days(year, school.YEAR_START, school.TERMS[0][2])
    holders = [factories.holder(world, scheme, school_class) for _ in range(4)]
    for _award, enrolment in holders[:2]:
        school.fill_register(enrolment, {d: "P" for d in days})
    school.fill_register(holders[2][1], {d: "A" for d in days})
    client = client_of(world.user("supervisor"))
    page = reverse("scholarships:scheme_detail", kwargs={"scheme_id": scheme.pk})
    assert client.get(page).status_code == 200
    response = client.post(
        reverse("scholarships:payments_run", kwargs={"scheme_id": scheme.pk}), {"year": year.pk, "term": 1}
    )
    assert response.status_code == 302
    assert Payment.objects.filter(status=PaymentStatus.WITHHELD).count() == 2
    html = client.get(page).content.decode()
    assert html.count('class="payment fail"') == 1
    assert html.count('class="payment no_data"') == 1
    failed = Payment.objects.get(condition=ConditionResult.FAIL)
    client.post(
        reverse("scholarships:payment_override", kwargs={"payment_id": failed.pk}),
        {"version": failed.version, "reason": "In hospital for two weeks"},
    )
    due = list(Payment.objects.filter(status=PaymentStatus.DUE).values_list("pk", flat=True))
    assert len(due) == 3
    client.post(
        reverse("scholarships:payments_pay", kwargs={"scheme_id": scheme.pk}),
        {
            "payments": [str(pk) for pk in due],
            "channel": "bank",
            "paid_on": "2026-08-31",
            "reference": "ACLEDA-55",
        },
    )
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 3
    period = failed.period_start.isoformat()
    receipts = client.get(
        reverse("scholarships:receipts", kwargs={"scheme_id": scheme.pk}) + f"?period={period}"
    )
    assert receipts.status_code == 200
    assert receipts["Content-Type"] == "application/pdf"
    assert receipts.content.startswith(b"%PDF")
    # The ledger in the scheme's money: three payments of 60,000 riel out of 10,000,000.
    html = client.get(page).content.decode()
    assert '<span data-ledger="paid">180,000 ៛</span>' in html
    assert "9,820,000 ៛" in html


def test_a_dollar_ledger_reads_in_dollars_not_cents():
    from ponleu.scholarships.selectors import SchemePage

    page = SchemePage(None, [], [], [], [], totals={"currency": "USD", "paid": 155000, "remaining": 45050})
    assert (page.paid_shown, page.remaining_shown) == ("$1,550.00", "$450.50")


def test_a_payment_of_another_organisation_is_not_found(world):
    year = school.make_year(world.org)
    school_class = school.make_class(school.make_school(world.org), year)
    scheme = factories.scheme(world)
    award, _ = factories.holder(world, scheme, school_class)
    client = client_of(world.user("partner_supervisor"))
    assert (
        client.get(reverse("scholarships:scheme_detail", kwargs={"scheme_id": scheme.pk})).status_code == 404
    )
    history = reverse("scholarships:person_history", kwargs={"person_id": award.person_id})
    assert client.get(history).status_code == 404


def test_health_eligibility_lines_go_only_beside_a_child_the_reader_may_see(world):
    """An application to a scheme for households affected by HIV: the supervisor, who sees the
    child, reads the HIV and disability lines; the M&E officer, who sees initials, reads the
    other rules only."""
    scheme = factories.scheme(world, requires_hiv_affected=True, requires_disability=True, grade_min=1)
    pupil = school.make_pupil(world.org)
    award_services.application_make(
        actor=world.actor("supervisor"), scheme=scheme, person_id=pupil.pk, facts={"hiv_affected": True}
    )
    page = reverse("scholarships:scheme_detail", kwargs={"scheme_id": scheme.pk})
    seen = client_of(world.user("supervisor")).get(page).content.decode()
    assert ">hiv_affected:" in seen
    assert ">disability:" in seen
    masked = client_of(world.user("me_officer")).get(page)
    assert masked.status_code == 200
    text = masked.content.decode()
    assert ">grade_min:" in text  # the committee still reads the rules that say nothing of health
    assert ">hiv_affected:" not in text
    assert ">disability:" not in text
