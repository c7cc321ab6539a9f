"""The places of a directory entry on its edit page: chosen by name with the shell's place
picker (Khmer or Latin), shown by name, Khmer first, and posted as gazetteer codes that the
directory's service still checks, refusing places outside the administrator's areas."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.geography.models import AdminUnit
from ponleu.registry.models import Person
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
PLACES = "level=commune&level=district&level=province"  # what the served-places picker asks
KANTUEU_KHMER_FIRST = "កន្ទឺ ១, បាណន់, បាត់ដំបង · Kantueu Muoy, Banan, Battambang (Commune)"
SANGKAE_KHMER_FIRST = "សង្កែ, បាត់ដំបង · Sangkae, Battambang (District)"


def _client(world, member="org_admin"):
    client = Client()
    login(client, world.user(member))
    return client


def _form(provider, **changes) -> dict:
    data = {
        "kind": provider.kind,
        "name_km": provider.name_km,
        "location": provider.location_id or "",
        "phone": provider.phone,
        "areas": [area.unit_id for area in provider.areas.all()],
        "areas_typed": "",
        "is_active": "on",
        "version": provider.version,
        "cost_primary_health": "free",
    }
    return data | changes


def _search(client, levels: str, query: str):
    # The picker's input adds what was typed to the levels its URL already carries.
    return client.get(f"{reverse('web:village_search')}?{levels}&{urlencode({'village_q': query})}")


def _found_codes(body: str) -> list[str]:
    return re.findall(r'data-village-code="([^"]*)"', body)


def test_the_edit_page_shows_the_places_served_by_name_khmer_first(world):
    provider = factories.provider(world, areas=(factories.KANTUEU, "0208"), location="02010101")
    page = _client(world).get(reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    ticked = re.findall(r'<input type="checkbox" name="areas" value="(\d+)" checked> ([^<]+)</label>', body)
    assert ticked == [("020101", KANTUEU_KHMER_FIRST), ("0208", SANGKAE_KHMER_FIRST)]
    assert "Thmei, Kantueu Muoy, Banan, Battambang" in body  # the location, by name
    assert "A place picker" not in body  # the template's comment stays out of the page
    assert f'hx-get="{reverse("web:village_search")}?{PLACES}"' in body  # communes, districts, provinces


def test_places_picked_by_khmer_or_latin_name_are_saved_as_their_codes(world):
    provider = factories.provider(world, location=factories.KANTUEU)
    admin = _client(world)
    by_khmer = _search(admin, PLACES, "កន្ទឺ")
    by_latin = _search(admin, PLACES, "sangk")
    assert _found_codes(by_khmer.content.decode()) == ["020101"]
    assert _found_codes(by_latin.content.decode()) == ["0208"]
    assert f'data-village-label="{SANGKAE_KHMER_FIRST}"' in by_latin.content.decode()
    picked = _found_codes(by_khmer.content.decode()) + _found_codes(by_latin.content.decode())
    url = reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk})
    # The ticked boxes post each code; a code typed where the picker cannot run is added.
    saved = admin.post(url, _form(provider, areas=picked, areas_typed="02"))
    assert saved.status_code == 302, saved.content.decode()
    assert sorted(provider.areas.values_list("unit_id", flat=True)) == ["02", "020101", "0208"]
    # Unticking a place removes it: only the ticked ones are posted.
    provider.refresh_from_db()
    again = admin.post(url, _form(provider, areas=["0208"]))
    assert again.status_code == 302
    assert list(provider.areas.values_list("unit_id", flat=True)) == ["0208"]


def test_the_service_still_refuses_what_is_no_place_or_outside_the_administrators_areas(world):
    provider = factories.provider(world, location=factories.KANTUEU)
    admin = _client(world)
    url = reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk})
    forged = admin.post(url, _form(provider, areas=["020101", "99"]))
    assert forged.status_code == 400
    assert "Choose the communes served from the list." in forged.content.decode()
    moved = admin.post(url, _form(provider, location="170701", areas=["170701"]))
    assert moved.status_code == 400
    body = moved.content.decode()
    assert "Choose a place in the areas you look after." in body
    # The refused choice is still shown by name, so the administrator sees what to change.
    assert "ប៉ប្រុស, ពួក, សៀមរាប · Pou Bros, Puok, Siem Reap (Commune)" in body
    provider.refresh_from_db()
    assert (provider.location_id, list(provider.areas.values_list("unit_id", flat=True))) == (
        "020101",
        ["020101"],
    )


def test_the_picker_answers_places_of_the_gazetteer_and_nothing_about_people(world):
    person = Person.objects.create(
        organisation=world.org, village_id="02010101", family_name_km="កន្ទឺ", given_name_km="សុភា", sex="F"
    )
    for member in ("org_admin", "caseworker_a"):
        client = _client(world, member)
        for query in ("កន្ទឺ", "សុភា", "ថ្មី"):
            for levels in (PLACES, "level=village", "level=person&level=household"):
                answer = _search(client, levels, query)
                assert answer.status_code == 200
                body = answer.content.decode()
                codes = _found_codes(body)
                assert set(codes) <= set(AdminUnit.objects.values_list("code", flat=True))
                assert "សុភា" not in body
                assert str(person.pk) not in body
    assert _found_codes(_search(_client(world), PLACES, "សុភា").content.decode()) == []
