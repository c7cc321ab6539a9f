"""The referral pages: find a service, draft, send, the receiver's steps, the printed slip."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.cases.tests import pdftext
from ponleu.common import clock
from ponleu.referrals import slip as slip_module
from ponleu.referrals.models import Referral
from ponleu.registry.tests import factories as people
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def test_find_a_free_service_draft_send_and_print(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    clinic = factories.provider(world)
    worker = client_of(world.user("caseworker_a"))
    page = worker.get(
        reverse("referrals:directory"),
        {"service": "primary_health", "commune": "020101", "cost": "free", "person": child.pk},
    )
    assert page.status_code == 200
    assert "មណ្ឌលសុខភាពកន្ទឺ" in page.content.decode()
    partial = worker.get(
        reverse("referrals:directory"),
        {"service": "primary_health", "commune": "020101"},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in partial.content.decode()
    with clock.frozen(NOW):
        new = reverse("referrals:referral_new") + f"?person={child.pk}&provider={clinic.pk}"
        assert worker.get(new).status_code == 200
        refused = worker.post(
            new, {"person": child.pk, "provider": clinic.pk, "service": "primary_health", "reason": ""}
        )
        assert refused.status_code == 400
        assert not Referral.objects.exists()
        made = worker.post(
            new,
            {
                "person": child.pk,
                "provider": clinic.pk,
                "service": "primary_health",
                "reason": "Fever for a week",
                "urgency": "urgent",
                "shared_fields": ["name", "age", "reason"],
            },
        )
        assert made.status_code == 302
        referral = Referral.objects.get()
        detail = worker.get(made["Location"]).content.decode()
        assert "There is no consent in force for this purpose." in detail
        factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="not_asked")
        key = re.search(
            r'name="send_key" value="([^"]+)"', worker.get(made["Location"]).content.decode()
        ).group(1)
        worker.post(reverse("referrals:referral_send", args=[referral.pk]), {"version": 1, "send_key": key})
        referral.refresh_from_db()
        assert referral.status == "sent"
        slip = worker.get(reverse("referrals:referral_slip", args=[referral.pk]))
    assert slip.status_code == 200
    assert slip["Content-Type"] == "application/pdf"
    text = pdftext.text(slip.content)
    assert referral.reference in text
    html = slip_module.slip_html(referral, child="X", fonts="", detail_url="")
    # The QR code of the reference number is drawn into the slip.
    assert html.count("<svg") == 1
    assert slip_module.qr_svg(referral.reference) in html


def test_the_receiver_works_the_referral_from_its_page(world):
    actor = world.actor("caseworker_a")
    child = people.person(actor)
    provider = factories.partner_provider(world)
    factories.share_consent(actor, child, recipient=world.other_org.pk, child_assent="not_asked")
    referral = factories.send(actor, factories.draft(actor, child, provider))
    partner = client_of(world.user("partner_supervisor"))
    listed = partner.get(reverse("referrals:referral_list")).content.decode()
    assert referral.reference in listed
    page = partner.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "សុខ ដារ៉ា" in page
    assert "Violence at home" in page
    assert "slip.pdf" not in page
    partner.post(
        reverse("referrals:referral_step", args=[referral.pk, "acknowledge"]),
        {"version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.status == "acknowledged"
    assert partner.get(reverse("referrals:referral_slip", args=[referral.pk])).status_code == 404


def test_the_caseload_pages_count_overdue_referrals_as_the_list_behind_shows(world):
    actor = world.actor("caseworker_a")
    clinic = factories.provider(world)
    with clock.frozen(NOW - dt.timedelta(days=20)):
        for _ in range(2):
            child = people.person(actor)
            factories.share_consent(actor, child, recipient_kind="health_centre", child_assent="given")
            factories.send(actor, factories.draft(actor, child, clinic, service="primary_health"))
    with clock.frozen(NOW):
        for user, url_name, link in (
            ("caseworker_a", "cases:caseload", "?overdue=1&amp;mine=1"),
            ("supervisor", "cases:team_caseload", "?overdue=1"),
        ):
            client = client_of(world.user(user))
            page = client.get(reverse(url_name)).content.decode()
            assert "2 referrals have an overdue step" in page, user
            assert f'href="{reverse("referrals:referral_list")}{link}"' in page
            listed = client.get(reverse("referrals:referral_list") + link.replace("&amp;", "&"))
            assert len(re.findall(r'href="/referrals/[0-9a-f-]+/"', listed.content.decode())) == 2
        # Another team's caseworker has none of them.
        other = client_of(world.user("caseworker_b")).get(reverse("cases:caseload")).content.decode()
        assert "No referral is overdue." in other


def test_the_slip_names_the_child_only_with_consent_for_services(world):
    """The slip leaves Ponleu in the family's hands: the registry's rule for files decides."""
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        child = people.person(actor)
        factories.share_consent(actor, child, recipient=world.other_org.pk)
        referral = factories.send(actor, factories.draft(actor, child, factories.partner_provider(world)))
        worker = client_of(world.user("caseworker_a"))
        masked = pdftext.text(worker.get(reverse("referrals:referral_slip", args=[referral.pk])).content)
        factories.share_consent(actor, child, purpose="services", recipient=None)
        named = pdftext.text(worker.get(reverse("referrals:referral_slip", args=[referral.pk])).content)
    assert "Dara" not in masked
    assert "S. D." in masked
    assert "Dara" in named
