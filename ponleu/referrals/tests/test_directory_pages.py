"""The directory's pages for its keepers: an entry's edit page (saving marks it checked and
answers a report), the report that an entry is wrong, and the entries to check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.referrals import services
from ponleu.referrals.choices import DirectoryAction
from ponleu.referrals.models import Provider
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _form(provider, **changes) -> dict:
    data = {
        "kind": provider.kind,
        "name_km": provider.name_km,
        "name_en": provider.name_en,
        "organisation": "",
        "location": provider.location_id or "",
        "address": provider.address,
        "phone": provider.phone,
        "hours": provider.hours,
        "languages": "km, en",
        "areas": " ".join(area.unit_id for area in provider.areas.all()),
        "is_active": "on",
        "version": provider.version,
        "cost_primary_health": "free",
        "cost_nutrition": "low",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_corrects_an_entry_and_it_counts_as_checked(world):
    with clock.frozen(NOW - dt.timedelta(days=400)):
        provider = factories.provider(world, location="020101")
    with clock.frozen(NOW - dt.timedelta(days=10)):
        services.provider_report(
            actor=world.actor("caseworker_a"), provider=provider, note="  Closed  since March "
        )
    provider.refresh_from_db()
    assert (provider.flagged_on, provider.flag_note) == (dt.date(2028, 2, 19), "Closed since March")
    with clock.frozen(NOW):  # checked on the day the administrator saves
        admin = client_of(world.user("org_admin"))
        url = reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk})
        page = admin.get(url)
        assert page.status_code == 200
        assert "Closed since March" in page.content.decode()
        saved = admin.post(url, _form(provider, phone="097 111 222", areas="020101, 02"))
        assert saved.status_code == 302
        assert saved["Location"] == reverse("referrals:directory") + "?check=1"
        provider.refresh_from_db()
        assert provider.phone == "097 111 222"
        assert sorted(a.unit_id for a in provider.areas.all()) == ["02", "020101"]
        assert sorted(provider.services.values_list("service", "cost")) == [
            ("nutrition", "low"),
            ("primary_health", "free"),
        ]
        assert provider.languages == ["en", "km"]
        assert (provider.verified_on, provider.flagged_on, provider.flag_note) == (clock.today(), None, "")
    change = AuditEvent.objects.filter(
        action=DirectoryAction.PROVIDER_CHANGED, target_id=str(provider.pk)
    ).last()
    assert change.changes["phone"] == ["012 345 678", "097 111 222"]
    assert change.changes["flag_note"] == ["Closed since March", ""]


def test_a_stale_or_wrong_form_saves_nothing(world):
    provider = factories.provider(world)
    admin = client_of(world.user("org_admin"))
    url = reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk})
    stale = admin.post(url, _form(provider, phone="1", version=provider.version - 1 or 99))
    assert stale.status_code == 400
    wrong = admin.post(
        url, _form(provider, phone="2", areas="99999999", cost_primary_health="", cost_nutrition="")
    )
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert "Choose the communes served from the list." in body
    assert "Name at least one service." in body
    provider.refresh_from_db()
    assert provider.phone == "012 345 678"


def test_only_administrators_edit_and_anyone_in_the_directory_reports(world):
    provider = factories.provider(world)
    edit = reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk})
    report = reverse("referrals:provider_report", kwargs={"provider_id": provider.pk})
    worker = client_of(world.user("caseworker_a"))
    assert worker.get(edit).status_code == 403
    assert worker.post(edit, _form(provider, phone="1")).status_code == 403
    assert worker.post(report, {"note": ""}).status_code == 400
    assert worker.post(report, {"note": "It moved to the market road"}).status_code == 302
    provider.refresh_from_db()
    assert provider.flag_note == "It moved to the market road"
    assert provider.phone == "012 345 678"
    assert AuditEvent.objects.filter(
        action=DirectoryAction.PROVIDER_REPORTED, actor_username="caseworker_a"
    ).exists()
    missing = reverse(
        "referrals:provider_report", kwargs={"provider_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert worker.get(missing).status_code == 404


def test_the_directory_links_its_keepers_to_each_entry(world):
    factories.provider(world)
    query = "?service=primary_health&commune=020101"
    admin = client_of(world.user("org_admin")).get(reverse("referrals:directory") + query).content.decode()
    worker = (
        client_of(world.user("caseworker_a")).get(reverse("referrals:directory") + query).content.decode()
    )
    provider = Provider.objects.get()
    assert reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk}) in admin
    assert reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk}) not in worker
    assert reverse("referrals:provider_report", kwargs={"provider_id": provider.pk}) in worker
    # The entries to check are the keepers' list: anyone else gets the search.
    assert (
        "data-provider="
        not in client_of(world.user("caseworker_a"))
        .get(reverse("referrals:directory") + "?check=1")
        .content.decode()
    )
