"""Programme work in Khmer on the phone and on the laptop: a facilitator takes the attendance
of the child club (45 members, one tap each) with twelve children who came without being
registered; a field worker records an awareness campaign with its crowd.

Each viewport names its session and its event after itself: the same session (group, day and
topic) or event cannot be recorded twice.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The demo's child club of Sabay meets in Banan, facilitated by Sabay's first caseworker.
FACILITATOR = "caseworker.sabay"
FIELD_WORKER = "field.sabay"
CLUB = "ក្លឹបកុមារ"
BANAN_VILLAGE_FROM_CLUB = "main dl.facts"


@pytest.mark.languages("km")
def test_a_facilitator_takes_the_attendance_of_the_child_club(browse, viewport, language):
    b = browse(FACILITATOR)
    b.goto("programmes:group_list", step="groups")
    club = b.page.locator('main a[href^="/programmes/groups/"]', has_text=CLUB).first
    b.click(club, step="club")
    b.click('main a[href$="/sessions/new/"]', step="attendance")
    taps = b.page.locator("form.rollcall li.pupil button.tap")
    assert taps.count() == 45
    for index in range(30):  # one tap a member who came
        taps.nth(index).click()
    assert b.page.locator('form.rollcall [data-count="P"]').inner_text() == "30"
    b.page.fill("#id_topic", f"សិទ្ធិកុមារ {viewport}")
    b.page.fill("#c-F-6-11", "៧")
    b.page.fill("#c-M-12-14", "5")
    b.checkpoint(step="tapped", state="tapped")
    b.click("form.rollcall .sticky-save button[type=submit]", step="saved")
    main = b.page.locator("main").inner_text()
    assert "/programmes/groups/" in b.page.url, main
    assert f"សិទ្ធិកុមារ {viewport}" in main
    # The session reopens with its attendance as saved.
    b.click(b.page.locator("main a", has_text=f"សិទ្ធិកុមារ {viewport}"), step="session")
    assert b.page.locator('li.pupil[data-status="P"]').count() == 30
    assert b.page.input_value("#c-F-6-11") == "7"


@pytest.mark.languages("km")
def test_a_field_worker_records_an_awareness_campaign_with_a_crowd(browse, viewport, language):
    b = browse(FIELD_WORKER)
    b.goto("programmes:event_list", step="events")
    b.click('main a[href$="/events/new/"]', step="new-event")
    b.page.check("#id_kind_1")
    b.page.select_option("#id_topic", "trafficking")
    b.page.fill("#id_title", f"ចំណាកស្រុកដោយសុវត្ថិភាព {viewport}")
    b.page.select_option("#id_audience", "community")
    b.page.fill("#id_village", "02010101")
    b.page.fill("[name='c-F-18+']", "៦៤")
    b.page.fill("[name='c-M-18+']", "41")
    b.page.fill("#c-F-12-14-d", "2")
    b.click("main form.card .sticky-save button[type=submit]", step="event")
    main = b.page.locator("main").inner_text()
    assert "/programmes/events/" in b.page.url, main
    assert "១០៧" in main or "107" in main


COMMITTEE = "គណៈកម្មាធិការតាមដានពលកម្មកុមារ"
CHILD_AT_THE_KILN = {"360x740": "ចាន់ វណ្ណៈ", "1280x800": "ចាន់ សុភ័ក្រ"}


@pytest.mark.languages("km")
def test_a_committee_visit_to_a_brick_kiln_opens_a_child_labour_case(browse, viewport, language):
    b = browse(FACILITATOR)
    b.goto("programmes:group_list", step="groups")
    committee = b.page.locator('main a[href^="/programmes/groups/"]', has_text=COMMITTEE).first
    b.click(committee, step="committee")
    b.click('main a[href$="/visits/new/"]', step="visit-form")
    b.page.select_option("#id_workplace", "brick_kiln")
    b.page.fill("#id_workplace_name", "ឡឥដ្ឋ ភូមិថ្មី")
    b.page.fill("#id_child-name", CHILD_AT_THE_KILN[viewport])
    b.page.check("#id_child-sex_1")
    b.page.fill("#id_child-age", "១២")
    b.page.fill("#id_child-work", "លើកឥដ្ឋ")
    b.click("main form.card .sticky-save button[type=submit]", step="visit")
    assert "/programmes/visits/" in b.page.url, b.page.locator("main").inner_text()
    # One step from the child seen to a case: the registry searched by the name given first.
    b.click('main a[href*="/programmes/seen/"]', step="search", state="searched")
    assert b.page.input_value("#id_given_name_km") == CHILD_AT_THE_KILN[viewport].split(" ")[1]
    b.click("#register button[type=submit]", step="case")
    assert "/cases/" in b.page.url, b.page.locator("main").inner_text()
