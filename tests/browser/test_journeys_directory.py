"""Keeping the directory right, in Khmer on the phone and on the laptop: a caseworker finds a
health centre whose phone no longer answers and reports the entry; the organisation's
administrator finds it on "Today" among the directory entries to check, corrects the phone and
saves, which marks it checked: it leaves the entries to check and the count falls by one. On the
way the administrator adds a commune the centre serves, found by typing part of its Khmer name in
the place picker, and sees it among the places served, by name, when the entry is opened again.

Each viewport reports a provider of its own (a commune of its own), so that one run's correction
does not take away the next run's entry.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .test_journeys_today import count_of

pytestmark = pytest.mark.browser

CASEWORKER = "caseworker.sabay"
ADMIN = "admin.sabay"
COMMUNE_INDEX = {"360x740": 1, "1280x800": 2}
ITEM = "referrals.directory_to_check"


@pytest.mark.languages("km")
def test_a_wrong_entry_is_reported_then_corrected_from_today(browse, viewport, language):
    worker = browse(CASEWORKER)
    worker.goto("referrals:directory", step="directory")
    communes = worker.page.locator("#id_commune option")
    commune = communes.nth(COMMUNE_INDEX[viewport]).get_attribute("value")
    # Another commune of the caseworker's area, which the administrator adds to those served.
    served = communes.nth(COMMUNE_INDEX[viewport] + 2)
    served_code, served_name = served.get_attribute("value"), served.inner_text().strip()
    worker.goto(f"{reverse('referrals:directory')}?service=primary_health&commune={commune}", step="search")
    card = worker.page.locator("#results li.card").first
    name = card.locator("h2").inner_text()
    worker.click(card.locator('a[href$="/report/"]'), step="report")
    worker.page.fill("#id_note", f"លេខទូរស័ព្ទនេះលែងប្រើហើយ។ ({viewport})")
    worker.click("main form.card button[type=submit]", step="reported")
    assert worker.page.url.endswith(reverse("referrals:directory"))
    assert worker.page.locator("ul.messages li").count() == 1

    admin = browse(ADMIN)
    admin.goto("web:home", step="today")
    before = count_of(admin, ITEM)
    assert before >= 1, "the reported entry is not among the administrator's entries to check"
    # Reported entries come first, the newest report first: this run's.
    entry = admin.page.locator(f'main section[data-item="{ITEM}"] li a').first
    assert entry.inner_text() == name
    edit_url = entry.get_attribute("href")
    admin.click(entry, step="edit")
    assert admin.page.locator("main .alert").count() == 1  # the report, shown above the form
    admin.page.fill("#id_phone", "097 555 0101")
    # Part of the commune's Khmer name (its last letter left out), typed as on a phone's keyboard.
    admin.page.locator("#id_areas_q").press_sequentially(served_name[:-1])
    found = admin.page.locator(f'#id_areas_found button[data-village-code="{served_code}"]')
    found.wait_for()
    admin.checkpoint(step="places-found")
    found.click()
    chosen = admin.page.locator(f'[data-picker-chosen] input[value="{served_code}"]')
    assert chosen.is_checked()
    assert chosen.locator("xpath=..").inner_text().strip().startswith(served_name)  # Khmer first
    admin.checkpoint(step="place-chosen")
    admin.click("main form.card button[type=submit]", step="saved")
    assert admin.page.url.endswith(f"{reverse('referrals:directory')}?check=1")
    assert admin.page.locator("ul.messages li").count() == 1
    assert admin.page.locator("main li.card h2").filter(has_text=name).count() == 0
    admin.follow("web:home", step="today-after")
    assert count_of(admin, ITEM) == before - 1
    admin.goto(edit_url, step="edit-again")
    again = admin.page.locator(f'[data-picker-chosen] input[name="areas"][value="{served_code}"]')
    assert again.is_checked()
    assert again.locator("xpath=..").inner_text().strip().startswith(served_name)
