"""Journeys from "Today", the home page: a caseworker records a home visit that was due and sees
the count fall by one; a teacher starts today's roll call in one tap. Each page's content starts
within 120 px of the top on the phone (the harness checks it on every step)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

CASEWORKER = "caseworker.sabay"
# A homeroom teacher no other journey takes a roll call as (test_roll_call saves teacher.sabay's).
TEACHER = "teacher.chetana"
# A field worker whose session no journey ends (test_shell.py logs field.chetana in and out).
HOLDER = "field.sabay"
# The home page on a phone's first visit (empty cache): the budget, tighter than the
# harness's for any first page.
HOME_FIRST_VISIT_BYTES = 50 * 1024
HOME_FIRST_VISIT_REQUESTS = 6


def count_of(b, key: str) -> int:
    """The count an item shows on Today; an item with nothing in it is not shown at all."""
    badge = b.page.locator(f'main section[data-item="{key}"] .count')
    return int(badge.get_attribute("data-count")) if badge.count() else 0


def test_a_due_visit_from_today(browse, viewport, language):
    b = browse(CASEWORKER)
    b.goto("web:home", step="today")
    first = b.run.pages[-1]
    assert first.kind == "first"
    assert first.weight.bytes <= HOME_FIRST_VISIT_BYTES, first.weight.describe()
    assert first.weight.requests <= HOME_FIRST_VISIT_REQUESTS, first.weight.describe()
    before = count_of(b, "cases.visits")
    assert before >= 1, "the demo caseworker has no home visit due today or overdue"
    item = b.page.locator('main section[data-item="cases.visits"]')
    b.click(item.locator("li a").first, step="case")
    b.click('#notes a[href$="/notes/new/"]', step="visit-form")
    assert b.page.input_value("#id_interaction") == "home_visit"
    b.page.fill("#id_place", "ផ្ទះកុមារ ភូមិស្វាយ")
    b.page.fill("#id_present", "ជីដូន និងកុមារ")
    b.page.fill("#id_observations", f"កុមារសុខសប្បាយ ហើយទៅសាលារៀន។ ({viewport} {language})")
    b.click("main form.card button[type=submit]", step="visit-saved")
    assert b.page.locator("ul.messages li").count() == 1
    b.follow("web:home", step="today-after")
    assert count_of(b, "cases.visits") == before - 1
    # The item's link opens the full list, filtered, with as many cases as the count.
    if before - 1:
        b.click('main section[data-item="cases.visits"] h2 a', step="full-list")
        assert b.page.locator("#case-rows a.title").count() == min(before - 1, 25)


@pytest.mark.languages("km")
def test_a_teacher_starts_todays_roll_call_in_one_tap(browse, viewport, language):
    b = browse(TEACHER)
    b.goto("web:home", step="today")
    one_tap = b.page.locator('main section[data-item="education.roll_calls"] a.button')
    if one_tap.count():
        b.click(one_tap.first, step="roll-call")
        assert b.page.url.split("?date=")[1][:10] == b.page.input_value("#day")
        assert b.page.locator("main form.rollcall").count() == 1
    else:
        # Not a school day (a weekend, a holiday, the long holidays): nothing to take, and the
        # class's roll call for today says why.
        b.follow("education:school_list", step="classes")
        b.click(b.page.locator("main ul.risk-list a.button").first, step="roll-call")
        assert b.page.locator("main form.rollcall").count() == 0


def test_the_menu_on_a_phone(browse, viewport, language):
    """Every section is reachable: the bottom bar on a phone (and "More"), the row on a laptop."""
    b = browse("supervisor.sabay")
    b.goto("web:home", step="today")
    links = b.page.locator("nav.main li:not(.more) a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert reverse("web:home") in hrefs
    visible = b.page.locator("nav.main li:not(.more) a:visible").count()
    if viewport.startswith("360"):
        assert visible == 4
        bar = b.page.locator("nav.main").bounding_box()
        assert bar["y"] + bar["height"] == pytest.approx(740, abs=1)  # at the bottom of the screen
        b.page.locator("nav.main li.more a.open").click()
        assert b.page.locator("nav.main li:not(.more) a:visible").count() == len(hrefs)
    else:
        assert visible == len(hrefs)
    b.follow("audit:event_list", step="audit")


def test_a_job_cancelled_and_one_that_failed(browse, viewport, language):
    """The M&E officer starts a training and cancels it from the list of jobs before it starts
    (HTMX, in place); reads the classes whose roll calls were missed; and finds on Today the
    training that failed (too few dropouts in this organisation's history: the first run starts
    one and runs it, the next find it there), whose link opens the jobs that failed."""
    b = browse("me.sabay")
    b.goto("early_warning:model_list", step="models")
    b.click("main form button[type=submit]", step="training")
    b.follow("jobs:job_list", step="jobs")
    queued = b.page.locator('main li.card[data-job="queued"]').first
    job_id = queued.get_attribute("id")
    queued.locator("button[type=submit]").click()
    b.page.locator(f'#{job_id}[data-job="cancelled"]').wait_for(timeout=10_000)
    b.checkpoint(step="cancelled")
    b.goto("early_warning:model_list", step="models-again")
    b.follow("early_warning:data_quality", step="roll-calls-missing")
    b.goto("web:home", step="today")
    if not count_of(b, "jobs.failed"):
        b.goto("early_warning:model_list", step="models-train")
        b.click("main form button[type=submit]", step="training-again")
        b.goto("web:home", step="today-waiting")  # away from the progress, which polls
        b.server.run_tasks()
        b.goto("web:home", step="today-failed")
    failed = count_of(b, "jobs.failed")
    assert failed >= 1, "the training that failed is not on Today"
    b.click('main section[data-item="jobs.failed"] h2 a', step="failed-jobs", state="failed")
    assert b.page.locator('main li.card[data-job="failed"]').count() == min(failed, 30)
    assert b.page.locator("main li.card .alert.error").count() >= 1, "a failed job does not say why"


def test_a_phone_revoked_by_the_administrator(browse, viewport, language):
    """A field worker issues a token for a phone; the organisation's administrator finds it among
    the organisation's devices (from the users page) and revokes it."""
    holder = browse(HOLDER)
    holder.goto("accounts:devices", step="own-devices")
    name = f"ទូរស័ព្ទបាត់ {viewport} {language}"
    holder.page.fill("#id_name", name)
    holder.page.locator('main input[name="capabilities"]').first.check()
    holder.page.fill("#id_password", holder.server.password(HOLDER))
    holder.click("main form[novalidate] button[type=submit]", step="issued")
    admin = browse("admin.sabay")
    admin.goto("web:home", step="today")
    admin.follow("accounts:users", step="users")
    admin.follow("accounts:organisation_devices", step="devices")
    card = admin.page.locator("main li.card", has_text=name)
    assert card.count() == 1, "the new token is not among the organisation's devices"
    admin.click(card.locator("button[type=submit]"), step="revoked", state="revoked")
    assert admin.page.locator("ul.messages li").count() == 1
    assert admin.page.locator("main li.card", has_text=name).count() == 0
