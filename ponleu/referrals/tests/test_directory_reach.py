"""An administrator whose reach is some areas keeps the directory entries placed in them,
and no other: the edit page, the API and the service all refuse another area's entry
(the page and the API as missing), and an entry cannot be moved out of reach."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.referrals import services
from ponleu.referrals.models import Provider
from ponleu.referrals.services.directory import REPORT_LIMIT
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
PUOK_COMMUNE = "170701"  # Siem Reap: outside the organisation administrator's province (02)


def _body(provider, **changes):
    return {
        "kind": provider.kind,
        "name_km": provider.name_km,
        "location": provider.location_id,
        "areas": [area.unit_id for area in provider.areas.all()],
        "services": [{"service": "primary_health", "cost": "free"}],
        **changes,
    }


def test_another_areas_entry_is_out_of_an_area_administrators_reach(world):
    outside = factories.provider(
        world, areas=(PUOK_COMMUNE,), location=PUOK_COMMUNE, admin="system_admin", phone="011 000 000"
    )
    inside = factories.provider(world, location=factories.KANTUEU)
    admin = world.actor("org_admin")
    assert list(Provider.objects.manageable_by(admin)) == [inside]
    assert set(Provider.objects.manageable_by(world.actor("system_admin"))) == {inside, outside}
    with pytest.raises(PermissionDenied):
        services.provider_save(
            actor=admin, provider=outside, version=outside.version, data=_body(outside, phone="1")
        )
    client = Client()
    login(client, world.user("org_admin"))
    url = reverse("referrals:provider_edit", kwargs={"provider_id": outside.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name_km": "x", "version": outside.version}).status_code == 404
    put = client.put(
        f"/api/v1/directory/providers/{outside.pk}",
        _body(outside, phone="1"),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{outside.version}"',
    )
    assert put.status_code == 404
    outside.refresh_from_db()
    assert outside.phone == "011 000 000"
    # Anyone may still read it and say it is wrong: the directory is shared.
    assert (
        client.get(reverse("referrals:provider_report", kwargs={"provider_id": outside.pk})).status_code
        == 200
    )


def test_an_entry_cannot_be_placed_outside_the_administrators_areas(world):
    inside = factories.provider(world, location=factories.KANTUEU)
    admin = world.actor("org_admin")
    with pytest.raises(ValidationFailed) as refused:
        services.provider_save(
            actor=admin,
            provider=inside,
            version=inside.version,
            data=_body(inside, location=PUOK_COMMUNE, areas=[PUOK_COMMUNE]),
        )
    assert "location" in refused.value.errors
    with pytest.raises(ValidationFailed):
        services.provider_save(actor=admin, data=_body(inside, location=None, areas=[PUOK_COMMUNE]))
    inside.refresh_from_db()
    assert inside.location_id == factories.KANTUEU


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_report_is_bounded_escaped_and_read_only_by_the_entrys_keepers(world):
    outside = factories.provider(
        world, areas=(PUOK_COMMUNE,), location=PUOK_COMMUNE, admin="system_admin", name_km="ផ្សេង"
    )
    worker = world.actor("caseworker_a")
    with pytest.raises(ValidationFailed):
        services.provider_report(actor=worker, provider=outside, note="x" * (REPORT_LIMIT + 1))
    services.provider_report(actor=worker, provider=outside, note=XSS)
    outside.refresh_from_db()
    assert outside.flag_note == XSS  # kept as typed, shown escaped
    keeper = Client()
    login(keeper, world.user("system_admin"))
    for url in (
        reverse("referrals:provider_edit", kwargs={"provider_id": outside.pk}),
        reverse("referrals:directory") + "?check=1",
    ):
        page = keeper.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    # The organisation's administrator keeps Battambang: Siem Reap's report is not theirs to read.
    admin = Client()
    login(admin, world.user("org_admin"))
    for url in (reverse("referrals:directory") + "?check=1", reverse("web:home")):
        page = admin.get(url).content.decode()
        assert "alert" not in page
    reporter = Client()
    login(reporter, world.user("caseworker_a"))
    report_page = reporter.get(reverse("referrals:provider_report", kwargs={"provider_id": outside.pk}))
    assert "alert" not in report_page.content.decode()  # a user sees the entry, not others' reports
