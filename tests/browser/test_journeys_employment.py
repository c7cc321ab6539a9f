"""Youth employment in Khmer on the phone and on the laptop: the youth employment centre's
worker places a course graduate in a job, then records a placement's 3-month follow-up.

The demo leaves two graduates waiting for a job and two placements whose 3-month follow-up is
due today (ponleu/demo/employment.py): each viewport places the first graduate still waiting
and records the first follow-up still due, so the two runs never meet the same record.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The centre's youth worker (a caseworker of Sabay's Banan team); no other journey uses it.
YOUTH_WORKER = "youth.sabay"
COMPLETED = "បានបញ្ចប់វគ្គសិក្សា"
NOT_PLACED = "មិនទាន់បានចូលធ្វើការនៅឡើយទេ។"
STILL_WORKING = "នៅតែធ្វើការ"


@pytest.mark.languages("km")
def test_a_youth_worker_places_a_graduate_and_records_the_3_month_follow_up(browse, viewport, language):
    b = browse(YOUTH_WORKER)
    b.goto("employment:youth_list", step="young-people")
    waiting = b.page.locator("main li.card", has_text=COMPLETED).filter(has_text=NOT_PLACED).first
    b.click(waiting.locator("a"), step="path")
    assert "/employment/youth/" in b.page.url
    # The offers that match say which skills match and how near they are.
    offer = b.page.locator("main li.offer").first
    assert "ជំនាញដែលត្រូវគ្នា" in offer.inner_text()
    b.click(offer.locator('a[href*="/place/?offer="]'), step="place")
    b.click("main form.card .sticky-save button[type=submit]", step="placed")
    main = b.page.locator("main").inner_text()
    assert "/employment/youth/" in b.page.url, main
    assert b.page.locator("main li.placement").count() == 1, main

    b.goto("employment:follow_ups_due", step="follow-ups")
    b.click(b.page.locator('main a.button[href$="/follow-up/3/"]').first, step="follow-up")
    b.page.check("#id_still_working_0")
    b.page.fill("#id_wage", "៤៥០០០០")
    b.page.check("#id_satisfaction_0")
    b.click("main form.card .sticky-save button[type=submit]", step="followed-up")
    main = b.page.locator("main").inner_text()
    assert "/employment/youth/" in b.page.url, main
    assert STILL_WORKING in main
