"""Early childhood work in Khmer on the phone and on the laptop: a nursery worker takes the
factory nursery's attendance of the day (one tap a child) and records a development check of a
child due, item by item, then reads the child's results by domain and the next check due.

The first run takes the day's roll call; the next finds it taken and saves it again with the
version it read (the same day cannot be recorded twice). Each run checks a different child:
the one checked first is no longer due.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The demo's nurseries are Angkor Light's (Puok), run by its nursery worker.
NURSERY_WORKER = "nursery.angkor-light"
FACTORY_NURSERY = "Factory A nursery"


@pytest.mark.languages("km")
def test_a_nursery_worker_takes_the_days_attendance_and_records_a_check(browse, viewport, language):
    b = browse(NURSERY_WORKER)
    b.goto("early_childhood:nursery_list", step="nurseries")
    nursery = b.page.locator('main a[href^="/early-childhood/nurseries/"]', has_text=FACTORY_NURSERY).first
    b.click(nursery, step="nursery")
    b.click('main a[href$="/day/"]', step="day")
    rows = b.page.locator("form.rollcall li.pupil")
    taps = b.page.locator("form.rollcall li.pupil button.tap")
    assert taps.count() == rows.count() >= 8
    already = b.page.locator('form.rollcall input[name="version"]').count() == 1
    present = b.page.locator('form.rollcall li.pupil[data-status="P"]').count()
    assert present == 0 or already
    for index in range(3):  # three more children came (or, on a day already taken, three change)
        taps.nth(index).click()
    b.checkpoint(step="tapped", state="tapped")
    counted = int(b.page.locator('form.rollcall [data-count="P"]').inner_text())
    b.click("form.rollcall .sticky-save button[type=submit]", step="saved")
    assert "/early-childhood/nurseries/" in b.page.url, b.page.url
    assert "/day/" not in b.page.url, b.page.locator("main").inner_text()
    # The day reopens as saved.
    b.click('main a[href$="/day/"]', step="day-again", state="taken")
    assert b.page.locator('form.rollcall li.pupil[data-status="P"]').count() == counted
    # A child due for a development check: every item answered, one domain not yet.
    b.goto("early_childhood:checks_due", step="due")
    b.click(b.page.locator('main a[href*="/checks/new/"]').first, step="check")
    items = b.page.locator("main form fieldset input[type=radio][value='1']")
    assert items.count() >= 5
    for index in range(items.count()):
        items.nth(index).check()
    b.page.locator("main form fieldset").nth(2).locator("input[type=radio][value='0']").first.check()
    b.click("main form .sticky-save button[type=submit]", step="checked")
    main = b.page.locator("main").inner_text()
    assert "/early-childhood/children/" in b.page.url, main
    assert "ការពិនិត្យចុងក្រោយ" in main  # the latest check, by domain
    assert "មិនទាន់" in main  # one domain not yet achieved
