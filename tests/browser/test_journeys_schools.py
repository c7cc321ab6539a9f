"""Journeys through the schools and the early-warning screens: a teacher's roll call, the class
pages around it, the administrators' school setup, and a flag reviewed into an intervention.

The demo world of the browser suite is small (60 people per organisation), but each teacher's
grade 7 class is a full class of 45, as in a rural lower-secondary school: the roll call is taken
on all of them.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

# teacher.sabay is the homeroom teacher of a grade 7 class this year in the demo world.
TEACHER = "teacher.sabay"
STATUS_CYCLE = "PALE"  # each tap moves a pupil to the next status
CLASS_OF = 45
PHONE_WIDTH = 360
MIN_TAP_HEIGHT = 44  # px: a comfortable target for a thumb
# One intervention (not the menu's link to their list).
INTERVENTION_LINK = "main a[href^='/risk/interventions/']:not([href='/risk/interventions/'])"


def class_id_of(b) -> str:
    match = re.search(r"/schools/classes/([0-9a-f-]{36})/", b.page.url)
    assert match, f"not a class page: {b.page.url}"
    return match.group(1)


def statuses(b) -> list[str]:
    return b.page.locator("main form.rollcall li.pupil").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-status'))"
    )


def test_roll_call(browse, viewport):
    """A teacher opens their class, goes to the last school day, taps pupils absent, late or
    excused, saves, and sees the counts; then the class's other pages."""
    b = browse(TEACHER)
    b.goto("education:school_list", step="classes")
    b.click(b.page.locator("main ul.risk-list a.button").first, step="today")
    class_id = class_id_of(b)
    # The demo's last recorded day is a school day before today; walk back until one opens a form.
    for attempt in range(10):
        if b.page.locator("main form.rollcall").count():
            break
        b.click(b.page.locator("main .day-nav a.button").first, step=f"earlier-{attempt}")
    form = b.page.locator("main form.rollcall")
    assert form.count() == 1, "no school day with a roll call form in the last ten"
    taps = b.page.locator("main form.rollcall button.tap")
    assert taps.count() >= 1, "the roll call's tap buttons are missing (rollcall.js did not run)"

    # Every pupil row: one full-width button, inside the screen, tall enough for a thumb.
    rows = taps.evaluate_all(
        "buttons => buttons.map(b => { const r = b.getBoundingClientRect();"
        " return {left: r.left, right: r.right, height: r.height}; })"
    )
    width = b.page.evaluate("() => window.innerWidth")
    for row in rows:
        assert row["left"] >= 0, f"a pupil row starts off the screen: {row}"
        assert row["right"] <= width, f"a pupil row leaves the screen: {row}"
        assert row["height"] >= MIN_TAP_HEIGHT, f"a pupil row is too small to tap: {row}"
    assert len(rows) >= CLASS_OF, f"the class has {len(rows)} pupils on this day, not a full class"
    if viewport.startswith("360"):
        # 45 rows one under the other: one scroll, no sideways movement, a thumb's height each.
        assert width == PHONE_WIDTH
        assert b.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_WIDTH

    before = statuses(b)
    presses = [n % 3 + 1 for n in range(len(before))]  # absent, late, excused, absent, ...
    for index, count in enumerate(presses):
        for _ in range(count):
            taps.nth(index).click()
    expected = [STATUS_CYCLE[(STATUS_CYCLE.index(s) + n) % 4] for s, n in zip(before, presses, strict=True)]
    assert statuses(b) == expected
    counts = {code: int(b.page.locator(f"main [data-count={code}]").inner_text()) for code in STATUS_CYCLE}
    assert counts == {code: expected.count(code) for code in STATUS_CYCLE}
    if b.page.locator("#reason").count():
        b.page.fill("#reason", "Corrected from the paper register.")
    # htmx swaps the sheet in place; the saved statuses come back from the server.
    with b.page.expect_response(lambda r: r.request.method == "POST"):
        b.page.locator("main form.rollcall button[type=submit]").click()
    b.page.locator("#rollcall [role=status]").wait_for()
    b.checkpoint(step="saved")
    assert statuses(b) == expected

    b.follow("education:class_marks", step="marks", class_id=class_id)
    b.follow("education:incident_add", step="behaviour", class_id=class_id)
    assert b.page.locator("#id_enrolment option").count() >= 1
    b.follow("education:attendance_import", step="import", class_id=class_id)
    template = reverse("education:attendance_template", kwargs={"class_id": class_id})
    link = b.page.locator(f'main a[href="{template}"]')
    assert link.count() == 1
    with b.page.expect_download() as download:
        link.click()
    assert download.value.failure() is None
    response = b.context.request.get(template)
    assert response.status == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.body()[:2] == b"PK"  # an .xlsx is a zip file


def test_school_setup(browse):
    """An administrator reads the schools and school years, a school's classes, a year's days."""
    b = browse("admin.sabay")
    b.goto("education:school_manage", step="manage")
    b.click(b.page.locator("main a[href*='/schools/manage/']").first, step="school")
    b.follow("education:school_manage", step="manage-again")
    b.click(b.page.locator("main a[href*='/schools/years/']").first, step="year")


def test_class_pupils(browse):
    """An administrator opens a school that has classes, then the pupils of one class."""
    b = browse("admin.sabay")
    b.goto("education:school_manage", step="manage")
    schools = b.page.locator("main a[href*='/schools/manage/']").evaluate_all(
        "links => links.map(a => a.pathname)"
    )
    for path in schools:
        b.goto(path, step="school")
        if b.page.locator("main a[href*='/pupils/']").count():
            break
    b.click(b.page.locator("main a[href*='/pupils/']").first, step="pupils")
    assert b.page.locator("main ul.risk-list > li").count() >= 1


def test_review_a_flag(browse):
    """A supervisor opens the risk list, a school's dashboard, a flagged student and their flag,
    then an intervention of the organisation, and records its outcome at the end of the term."""
    b = browse("supervisor.sabay")
    b.goto("early_warning:risk_list", step="risk-list")
    b.click(b.page.locator("main section.card h2 a").first, step="dashboard")
    b.click(b.page.locator("main a[href*='/risk/students/']").first, step="student")
    b.goto("early_warning:intervention_list", step="interventions")
    b.click(b.page.locator(INTERVENTION_LINK).first, step="intervention")
    b.click(b.page.locator("main a[href*='/risk/students/']").first, step="intervention-student")
    b.page.go_back()
    b.page.locator("main input[name=outcome][value=stayed]").check()
    b.click("main form:has(input[name=form][value=outcome]) button[type=submit]", step="outcome")
    b.follow("early_warning:effectiveness", step="effectiveness")


@pytest.mark.languages("km")
def test_decide_a_flag(browse):
    """A caseworker opens the risk list, reviews a flag awaiting review, decides on a home visit,
    and sees the decision on the student's risk page."""
    b = browse("caseworker2.sabay")
    # The flags awaiting review: the demo world has already decided some (a pupil referred back
    # to school from its flag), whose pages hold no decision to make.
    b.goto(reverse("early_warning:risk_list") + "?awaiting=1", step="risk-list")
    review = b.page.locator("main a[href*='/risk/flags/']")
    assert review.count() >= 1, "no flag awaiting this caseworker's review"
    b.click(review.first, step="flag")
    b.page.locator("main input[name=decision][value=home_visit]").check()
    b.page.fill("#id_reason", "ទៅលេងផ្ទះជាមួយមេឃុំ")
    b.click("main form button[type=submit]", step="decided")
    assert "/risk/students/" in b.page.url, f"the decision did not return to the risk page: {b.page.url}"
    assert b.page.locator("main ~ * .messages, .messages").count() >= 1


def test_follow_interventions(browse):
    """A caseworker reads the interventions, opens one and a student's risk page."""
    b = browse("caseworker.sabay")
    b.goto("early_warning:intervention_list", step="interventions")
    b.click(b.page.locator(INTERVENTION_LINK).first, step="intervention")
    b.click(b.page.locator("main a[href*='/risk/students/']").first, step="student")


def test_judge_a_model(browse):
    """The M&E officer of the organisation that imported its school history opens the trained
    model's card (test results beside the rule index, the table by group) and puts it in use, or
    retires it when it already is."""
    b = browse("me.chetana")
    b.goto("early_warning:model_list", step="models")
    b.click(b.page.locator("main a[href^='/risk/models/']:not([href='/risk/models/'])").first, step="model")
    assert b.page.locator("main table").count() >= 1, "the model card has no table by group"
    status = b.page.locator("main p.meta").first.inner_text()
    b.page.fill("#reason", "ផ្ទៀងផ្ទាត់លទ្ធផលតេស្ត")
    b.click(b.page.locator("main form button[name=action]").first, step="decided")
    assert b.page.locator(".messages").count() == 1
    assert b.page.locator("main p.meta").first.inner_text() != status, "the model's status did not change"


def test_models_and_rules(browse):
    """The M&E officer reads the models page and the rule index settings."""
    b = browse("me.sabay")
    b.goto("early_warning:model_list", step="models")
    b.follow("early_warning:rule_settings", step="rules")
    b.click("main form button[type=submit]", step="rules-saved")
