"""Journeys through case management, as caseworkers, supervisors and administrators use it.

- a caseworker opens the caseload and records a home visit (with a photo) on a case;
- the case list with its filters (an HTMX partial) and its pages;
- a trafficking case walked in Khmer from the referral to the follow-up visits after closure,
  with the supervisor's approvals of the plan and of the closure, every screen of the case on
  the way, and the six MoSVY forms fetched as PDFs;
- the supervisor's team caseload; a child labour case's details; the case types (administrator).

The PDFs and the attachment are files, not pages: they are fetched from the page (as a click on
their link does) and checked for their status, content type and first bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from ponleu.common import clock

pytestmark = pytest.mark.browser

CASEWORKER = "caseworker.sabay"
SUPERVISOR = "supervisor.sabay"
ADMIN = "admin.sabay"

# A child in the caseworker's district of the demo world, with no case in alternative care (a
# placement may not overlap another of the same child), one per viewport: a run opens one case.
CHILD = {"360x740": "គុយ សុវណ្ណារ៉ា", "1280x800": "ប៊ុន ស្រីរ័ត្ន"}

# A 1x1 PNG: a photo taken during a home visit.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def case_id_of(b) -> str:
    found = re.search(rf"/cases/({UUID})/", b.page.url)
    assert found, f"not on a case's page: {b.page.url}"
    return found.group(1)


def submit(b, *, step: str, state: str = ""):
    """Submit the page's form (the one in the main content)."""
    return b.click("main form.card button[type=submit]", step=step, state=state)


def take_step(
    b,
    event: str,
    *,
    step: str,
    reason: str = "",
    closure_reason: str = "",
    saved: str = "",
    saved_state: str = "",
):
    """From the case page: the workflow button for ``event``, then its form (the closure's
    asks for a reason, the others only for a note); ``saved_state`` tags the case page after."""
    b.click(f'#steps a[href$="/steps/{event}/"]', step=step, state="closure" if closure_reason else "")
    assert b.page.locator("main [role=alert]").count() == 0, b.page.locator("main").inner_text()
    if closure_reason:
        b.page.select_option("#id_closure_reason", closure_reason)
    if reason:
        b.page.fill("#id_reason", reason)
    submit(b, step=saved or f"{step}-done", state=saved_state)
    assert re.search(rf"/cases/{UUID}/$", b.page.url.split("#")[0]), b.page.locator("main").inner_text()


def stage(b) -> str:
    return b.page.locator("main .badge.stage").first.inner_text()


def fetch_file(b, href: str) -> tuple[int, str, bytes]:
    """Fetch a file the page links to, as the browser does when the link is clicked."""
    status, content_type, head = b.page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return [r.status, r.headers.get('content-type') || '', Array.from(bytes.slice(0, 8))];
        }""",
        href,
    )
    return status, content_type, bytes(head)


def in_days(days: int) -> str:
    # The server's day, in Phnom Penh (the machine's date.today() is UTC, a day behind in the evening).
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def test_caseload_home_visit(browse, viewport, language):
    """A caseworker's day: the caseload, a home visit due, the visit recorded with a photo."""
    b = browse(CASEWORKER)
    b.goto("cases:caseload", step="caseload")
    assert b.page.locator("main ul.stages li").count() > 0
    due = b.page.locator('main a.title[href*="/notes/new/"]')
    if due.count():
        b.click(due.first, step="visit-form")
    else:  # no visit due this week: the first open case, then its "add a note or visit" button
        b.click(b.page.locator("section[aria-labelledby=cases-title] a.title").first, step="case")
        b.click('#notes a[href$="/notes/new/"]', step="visit-form")
    assert b.page.input_value("#id_interaction") == "home_visit"
    b.page.fill("#id_place", "ផ្ទះកុមារ ភូមិស្វាយ")
    b.page.fill("#id_present", "ម្ដាយ និងកុមារ")
    observations = f"កុមារមានសុខភាពល្អ ហើយទៅសាលារៀនរៀងរាល់ថ្ងៃ។ ({viewport} {language})"
    b.page.fill("#id_observations", observations)
    b.page.set_input_files(
        "#id_attachments", files=[{"name": "visit.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    submit(b, step="visit-saved")
    assert b.page.locator("ul.messages li").count() == 1
    note = b.page.locator("#note-list li").filter(has_text=observations)
    assert note.count() == 1
    # The photo: decrypted only for a reader of the case, served as the file it was.
    href = note.locator('a[href*="/attachments/"]').first.get_attribute("href")
    status, content_type, head = fetch_file(b, href)
    assert (status, content_type, head[:4]) == (200, "image/png", PHOTO[:4])
    notes = b.partial(urlsplit(b.page.url).path, step="notes-partial", params={"part": "notes"})
    assert observations in notes


def test_case_list(browse):
    """The list of cases: filters applied by HTMX, the next page, a case opened from the list."""
    b = browse(CASEWORKER)
    b.goto("cases:case_list", step="list")
    rows = b.partial("cases:case_list", step="filtered", params={"status": "open", "mine": "1"})
    assert "case-list" in rows
    with b.page.expect_response(lambda r: "/cases/?" in r.url):
        b.page.select_option("#filter-status", "open")
    b.page.wait_for_url(re.compile(r"status=open"))  # the filtered list keeps its address
    b.goto("cases:case_list", step="all")
    pages = b.page.locator('main nav.actions a[href*="page=2"]')
    if pages.count():
        b.click(pages.first, step="page-2")
    b.click(b.page.locator("#case-rows a.title").first, step="case")
    assert b.page.locator("#steps").count() == 1


def test_team_caseload(browse):
    """The supervisor's team: caseworkers' cases by stage and the approvals waiting."""
    b = browse(SUPERVISOR)
    b.goto("cases:case_list", step="list")
    b.follow("cases:team_caseload", step="team")
    assert b.page.locator("main .card").count() >= 2
    approval = b.page.locator("section[aria-labelledby=approvals-title] a.title")
    if approval.count():
        b.click(approval.first, step="approval-case")
        assert b.page.locator("#steps .alert.warning").count() >= 1


def test_child_labour_details(browse, viewport, language):
    """A child labour case: workplace, hazards and hours, from the case list filtered by type."""
    b = browse(CASEWORKER)
    b.goto("/cases/?case_type=child_labour&mine=1", step="labour-cases")
    b.click(b.page.locator("#case-rows a.title").first, step="case")
    b.click('#specifics a[href$="/details/"]', step="details")
    b.page.select_option("#id_workplace_type", index=1)
    b.page.fill("#id_workplace", f"ឡឥដ្ឋ ភូមិស្វាយ ({viewport} {language})")
    b.page.locator("main fieldset input[type=checkbox]").first.check()
    b.page.fill("#id_hours_per_week", "24")
    submit(b, step="details-saved")
    assert (
        "24" in b.page.locator("#specifics").inner_text() or "២៤" in b.page.locator("#specifics").inner_text()
    )


def test_case_types(browse, viewport, language):
    """The administrator reads the organisation's case types and saves one."""
    b = browse(ADMIN)
    b.goto("cases:case_type_list", step="types")
    b.click(b.page.locator("main ul.case-list a.title").first, step="type")
    assert b.page.locator("main fieldset").count() >= 2
    submit(b, step="type-saved")
    assert b.page.locator("ul.messages li").count() == 1
    submit(b, step="standard-added")  # the standard types that are missing (none, here)


def open_trafficking_case(b, viewport: str) -> None:
    b.goto("cases:case_list", step="list")
    b.follow("cases:case_open", step="open")
    b.page.fill("#child-search", CHILD[viewport])
    b.click("main form[role=search] button[type=submit]", step="search", state="matches")
    child = b.page.locator('main ul.case-list a.title[href*="person="]')  # the best match first
    assert child.count() >= 1, b.page.locator("main").inner_text()
    b.click(child.first, step="child", state="form")
    b.page.select_option("#id_case_type", "trafficking")
    b.page.select_option("#id_subtype", "trafficking")
    b.page.select_option("#id_source", "police")
    b.page.fill("#id_source_detail", "ប៉ុស្តិ៍នគរបាលព្រំដែន ប៉ោយប៉ែត")
    b.page.fill(
        "#id_summary",
        f"កុមារត្រូវបានបញ្ជូនមកវិញពីប្រទេសថៃ ក្រោយពីធ្វើការនៅកសិដ្ឋានមួយ។ ({viewport})",
    )
    submit(b, step="opened")
    assert b.page.locator("ul.messages li").count() == 1


@pytest.mark.languages("km")
def test_trafficking_case_to_closure(browse, viewport):
    """A trafficking case in Khmer: referral, intake, screening, assessment, plan, the supervisor's
    approval, services, visits, a conference, care and reunification, closure approved by the
    supervisor, the 3-, 6- and 12-month follow-up visits, and the case closed."""
    worker = browse(CASEWORKER)
    open_trafficking_case(worker, viewport)
    case_id = case_id_of(worker)
    case_url = f"/cases/{case_id}/"
    assert worker.page.locator("main .badge.sensitive").count() >= 1

    # Intake: the child is in immediate danger, so a safety plan within 24 hours.
    take_step(worker, "start_intake", step="intake")
    take_step(worker, "mark_urgent", step="urgent")
    assert worker.page.locator("main .alert.error").count() == 1
    worker.click('main [role=alert] a[href$="/safety-plan/"]', step="safety-plan")
    worker.page.fill("#id_dangers", "មេខ្យល់ដែលបាននាំកុមារទៅប្រទេសថៃ ស្គាល់គ្រួសារ។")
    worker.page.fill("#id_safe_place", "មណ្ឌលស្នាក់នៅបណ្ដោះអាសន្ន")
    worker.page.fill("#id_steps", "កុមារមិនចេញក្រៅតែម្នាក់ឯង ហើយទូរស័ព្ទមកបុគ្គលិកសង្គមពេលមានបញ្ហា។")
    submit(worker, step="safety-plan-saved")
    assert worker.page.locator("main .alert.error").count() == 0
    worker.click('#specifics a[href$="/details/"]', step="trafficking-details")
    worker.page.select_option("#id_destination", "thailand")
    worker.page.fill("#id_destination_place", "ខេត្តចន្ទបុរី")
    worker.page.fill("#id_route", "បាត់ដំបង → ប៉ោយប៉ែត → អរញ្ញប្រទេស")
    worker.page.select_option("#id_legal_status", "complaint")
    worker.page.check("#id_legal_aid")
    worker.page.fill("#id_legal_aid_provider", "សមាគមមេធាវីការពារកុមារ")
    submit(worker, step="trafficking-details-saved")
    worker.click('main a[href$="/edit/"]', step="edit")
    worker.page.fill("#id_mosvy_number", f"BTB-{viewport}")
    submit(worker, step="edited")
    take_step(worker, "complete_screening", step="screening")

    # Assessment: the danger factors, then the Child Status Index.
    worker.click('#assessments a[href*="/assessments/danger"]', step="danger-factors")
    boxes = worker.page.locator("main form .check input[type=checkbox]")
    for n in range(min(3, boxes.count())):
        boxes.nth(n).check()
    submit(worker, step="danger-factors-saved")
    worker.click('#assessments a[href*="/assessments/csi"]', step="csi")
    for n, group in enumerate(worker.page.locator("main form fieldset").all()):
        group.locator("input[type=radio]").nth(n % 4).check()
    submit(worker, step="csi-saved")
    assert worker.page.locator("#assessments svg").count() == 1  # the CSI chart
    take_step(worker, "complete_assessment", step="assessment-done")

    # The case plan: a goal, an action, submitted for approval.
    worker.click('#plan a[href$="/goals/new/"]', step="goal")
    worker.page.select_option("#id_domain", index=2)
    worker.page.fill("#id_description", "កុមាររស់នៅដោយសុវត្ថិភាពជាមួយគ្រួសារ")
    submit(worker, step="goal-saved")
    worker.click('#plan a[href*="/actions/new/?goal="]', step="action")
    worker.page.fill("#id_description", "ទៅសួរសុខទុក្ខគ្រួសាររៀងរាល់ពីរសប្ដាហ៍")
    worker.page.fill("#id_due_on", in_days(30))
    submit(worker, step="action-saved")
    take_step(worker, "submit_plan", step="submit-plan")
    assert worker.page.locator("#steps .alert.warning").count() == 1

    # The supervisor finds it among the approvals waiting, reassigns the team, approves.
    boss = browse(SUPERVISOR)
    boss.goto("cases:team_caseload", step="team")
    boss.click(f'section[aria-labelledby=approvals-title] a[href="{case_url}"]', step="approval")
    boss.click('main a[href$="/assign/"]', step="assign")
    boss.page.select_option("#id_team", index=1)
    boss.page.fill("#id_reason", "ក្រុមស្រុកបាណន់ទទួលបន្ទុក")
    submit(boss, step="assigned")
    take_step(boss, "approve_plan", step="approve-plan")

    # Implementation: services, a home visit, a conference, care, reunification.
    worker.goto(case_url, step="implementation")
    worker.click('#services a[href$="/services/new/"]', step="service")
    worker.page.select_option("#id_service_type", "legal_aid")
    worker.page.fill("#id_provider", "សមាគមមេធាវីការពារកុមារ")
    worker.page.fill("#id_cost", "50")
    worker.page.fill("#id_outcome", "បណ្ដឹងត្រូវបានដាក់ទៅតុលាការ")
    submit(worker, step="service-saved")
    worker.click('#notes a[href$="/notes/new/"]', step="note")
    worker.page.fill("#id_place", "មណ្ឌលស្នាក់នៅបណ្ដោះអាសន្ន")
    worker.page.fill("#id_observations", "កុមារមានសុវត្ថិភាព ហើយចង់ត្រឡប់ទៅផ្ទះវិញ។")
    worker.page.locator("main fieldset input[type=checkbox]").first.check()  # the goal worked on
    submit(worker, step="note-saved")
    worker.click('#conferences a[href$="/conferences/new/"]', step="conference")
    worker.page.fill("#id_participants", "បុគ្គលិកសង្គម អ្នកគ្រប់គ្រង មេឃុំ ឪពុកម្ដាយ")
    worker.page.fill("#id_decisions", "ត្រៀមការធ្វើសមាហរណកម្មកុមារទៅក្នុងគ្រួសារវិញ")
    worker.page.fill("#id_next_review_on", in_days(30))
    submit(worker, step="conference-saved")
    worker.click('#care a[href$="/placements/new/"]', step="placement")
    worker.page.select_option("#id_placement_type", "emergency_shelter")
    worker.page.fill("#id_carer", "មណ្ឌលសុវត្ថិភាព")
    worker.page.fill("#id_started_on", in_days(-7))
    submit(worker, step="placement-saved")
    worker.click('#care a[href$="/end/"]', step="placement-end")
    worker.page.fill("#id_end_reason", "កុមារត្រឡប់ទៅគ្រួសារវិញ")
    submit(worker, step="placement-ended")
    worker.click('#assessments a[href*="/assessments/reintegration"]', step="readiness")
    boxes = worker.page.locator("main form .check input[type=checkbox]")
    for n in range(boxes.count()):
        boxes.nth(n).check()
    submit(worker, step="readiness-saved")
    worker.click('#care a[href$="/reunification/"]', step="reunification")
    worker.page.fill("#id_reunified_with", "ឪពុកម្ដាយ")
    submit(worker, step="reunified")
    worker.click('#plan a[href*="/actions/"]:not([href*="/actions/new/"])', step="action-done")
    worker.page.select_option("#id_status", "done")
    submit(worker, step="action-done-saved")
    worker.click('#plan a[href*="/goals/"]:not([href$="/goals/new/"])', step="goal-status")
    worker.page.select_option("#id_status", "achieved")
    submit(worker, step="goal-status-saved")

    # Review and closure, approved by the supervisor: the child was reunified, so follow-up.
    take_step(worker, "start_review", step="review")
    take_step(
        worker,
        "request_closure",
        step="closure",
        closure_reason="reintegrated",
        reason="កុមាររស់នៅជាមួយគ្រួសារដោយសុវត្ថិភាព។",
    )
    boss.goto("cases:team_caseload", step="team-again")
    boss.click(f'section[aria-labelledby=approvals-title] a[href="{case_url}"]', step="closure-approval")
    take_step(boss, "approve_closure", step="approve-closure")
    assert boss.page.locator("#follow-up li").count() == 3

    # After closure: the 3-, 6- and 12-month visits, then the case is closed.
    worker.goto(case_url, step="follow-up", state="follow-up")
    for months in (3, 6, 12):
        worker.click(worker.page.locator('#follow-up a[href*="/follow-ups/"]').first, step=f"visit-{months}")
        worker.page.select_option("#id_outcome", "doing_well")
        worker.page.fill("#id_observations", "កុមារទៅសាលារៀន ហើយគ្រួសារមានចំណូល។")
        submit(worker, step=f"visit-{months}-saved")
    take_step(worker, "complete_follow_up", step="closed", saved_state="closed")
    assert worker.page.locator("main dl.facts").first.inner_text().count("\n") > 0

    # The six MoSVY forms, printed in Khmer.
    links = worker.page.locator('#forms a[href*="/forms/"]')
    assert links.count() == 6
    for href in [links.nth(n).get_attribute("href") for n in range(links.count())]:
        status, content_type, head = fetch_file(worker, href)
        assert (status, content_type, head[:5]) == (200, "application/pdf", b"%PDF-"), href
