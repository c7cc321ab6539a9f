"""Journeys through referrals, in Khmer on the phone and on the laptop:

- a caseworker, from a case, finds a free health service in the child's commune, chooses to
  share the family's phone number too, records the caregiver's consent to share it with any
  health centre, sends the referral and prints the slip the family takes to the centre (it has
  no account on Ponleu);
- a caseworker refers a child from a case to another organisation on Ponleu (its family support
  programme), with consent naming that organisation; the receiving organisation's worker finds
  it among the children referred to them, acknowledges it, accepts the child into their own
  registry, starts the service and records the outcome; the referrer sees the outcome on the
  case it was made from, and on the referral.

Each run makes referrals of its own (the demo world's children are referred again in each run);
the slip is a file, fetched from the page as a click on its link does.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ponleu.common import clock

pytestmark = pytest.mark.browser

CASEWORKER = "caseworker.sabay"
# The receiving side: Chetana's supervisor accepts referrals for the whole organisation.
RECEIVER = "supervisor.chetana"
# Chetana's programme in the demo directory, which takes referrals from Battambang too.
CHETANA_PROGRAMME = "កម្មវិធីគាំទ្រគ្រួសារ និងការបង្រួបបង្រួមចេតនា"
CHETANA = "អង្គការចេតនា"
# Which of the caseworker's referrable children each run takes: a child of its own, whom no
# earlier run has referred nor asked consent for.
HEALTH_CHILD = {"360x740": 0, "1280x800": 1}
PARTNER_CHILD = {"360x740": 2, "1280x800": 3}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def today() -> str:
    return clock.today().isoformat()


def open_referrable_case(b, index: int) -> str:
    """A case of the caseworker's own whose child they may refer (the case page offers "Refer to
    a service"): the one of the ``index``-th such child, so that each run refers a child of its own."""
    b.goto("/cases/?status=open&mine=1", step="my-cases")
    hrefs = b.page.locator("#case-rows a.title").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    children: list[str] = []
    for href in hrefs:
        b.goto(href, step="case")
        refer = b.page.locator('#services a[href*="/referrals/directory/"]')
        if not refer.count():
            continue
        child = re.search(rf"person=({UUID})", refer.get_attribute("href")).group(1)
        if child not in children:
            children.append(child)
        if len(children) > index:
            return href
    raise AssertionError(f"fewer than {index + 1} children of the caseworker's open cases can be referred")


def search_directory(b, *, service: str, step: str) -> None:
    """From the case: the directory, opened on the child's commune; a free ``service`` there."""
    b.click('#services a[href*="/referrals/directory/"]', step="directory")
    assert b.page.input_value("#id_commune"), "the directory did not open on the child's commune"
    b.page.select_option("#id_service", service)
    b.page.select_option("#id_cost", "free")
    with b.page.expect_response(lambda r: "/referrals/directory/?" in r.url):
        b.page.locator("main form.card button[type=submit]").click()
    b.page.wait_for_selector("#results li.card")
    b.checkpoint(step=step, state="results")


def draft(b, card, *, service: str, reason: str) -> str:
    """Refer to the provider of ``card``, save the draft; returns the referral's address."""
    b.click(card.locator('a[href*="/referrals/new/"]'), step="new-referral")
    b.page.select_option("#id_service", service)
    b.page.fill("#id_reason", reason)
    # The family's phone too, so that the provider can call them back (consent must cover it).
    b.page.check('main input[name="shared_fields"][value="phone"]')
    b.click("main form.card button[type=submit]", step="draft")
    assert re.search(rf"/referrals/{UUID}/$", b.page.url), b.page.locator("main").inner_text()
    return urlsplit(b.page.url).path


def record_consent(b, *, step: str, **choices) -> None:
    """From the draft's "consent does not cover" alert: the caregiver's consent to share."""
    b.click('main [role=alert] a[href*="/consent/new/"]', step=step)
    b.page.select_option("#id_purpose", "share")
    for field, value in choices.items():
        if field == "recipient_label":
            b.page.select_option("#id_recipient", label=value)
        else:
            b.page.select_option(f"#id_{field}", value)
    b.page.check('main input[name="data_categories"][value="contact"]')
    b.page.select_option("#id_given_by", "caregiver")
    b.page.fill("#id_given_by_name", "សុខ ស្រីនាង")
    b.page.select_option("#id_child_assent", "given")
    b.page.fill("#id_given_on", today())
    b.page.select_option("#id_method", "signed_form")
    b.click("main form.card button[type=submit]", step=f"{step}-saved")
    assert "/consent/" not in b.page.url, b.page.locator("main").inner_text()


def send(b, referral_url: str) -> str:
    """Back on the draft, now covered by consent: send it; returns its reference."""
    b.goto(referral_url, step="covered", state="covered")
    assert b.page.locator("main [role=alert]").count() == 0, b.page.locator("main").inner_text()
    b.click('main form[action$="/send/"] button[type=submit]', step="sent", state="sent")
    assert b.page.locator("ul.messages li").count() == 1
    return b.page.locator("main h1").inner_text().split()[-1]


def fetch_file(b, href: str) -> tuple[int, str, bytes]:
    status, content_type, head = b.page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return [r.status, r.headers.get('content-type') || '', Array.from(bytes.slice(0, 8))];
        }""",
        href,
    )
    return status, content_type, bytes(head)


@pytest.mark.languages("km")
def test_a_free_health_service_in_the_childs_commune(browse, viewport, language):
    b = browse(CASEWORKER)
    open_referrable_case(b, HEALTH_CHILD[viewport])
    search_directory(b, service="primary_health", step="free-health")
    # Nearest first: the health centre of the child's own commune.
    centre = b.page.locator("#results li.card").first
    assert "មណ្ឌលសុខភាព" in centre.locator("h2").inner_text()
    referral_url = draft(
        b, centre, service="primary_health", reason=f"កុមារក្តៅខ្លួន និងក្អកជាងមួយសប្ដាហ៍។ ({viewport})"
    )
    # Not sent without consent covering the phone number: the page says what is missing.
    assert b.page.locator("main [role=alert]").count() == 1
    record_consent(b, step="consent", recipient_kind="health_centre")
    reference = send(b, referral_url)
    assert reference.startswith("PR-")
    # The slip the family takes to the centre: a PDF with the reference and its QR code.
    slip = b.page.locator('main a[href$="/slip.pdf"]')
    assert slip.count() == 1
    status, content_type, head = fetch_file(b, slip.get_attribute("href"))
    assert (status, content_type, head[:4]) == (200, "application/pdf", b"%PDF")


@pytest.mark.languages("km")
def test_the_receiving_organisation_answers_and_the_referrer_sees_it_on_the_case(browse, viewport, language):
    worker = browse(CASEWORKER)
    case_url = open_referrable_case(worker, PARTNER_CHILD[viewport])
    search_directory(worker, service="social_assistance", step="free-assistance")
    programme = worker.page.locator("#results li.card").filter(has_text=CHETANA_PROGRAMME)
    assert programme.count() == 1, worker.page.locator("#results").inner_text()
    referral_url = draft(
        worker,
        programme,
        service="social_assistance",
        reason=f"គ្រួសារគ្មានចំណូល ហើយកុមារឈប់រៀនដើម្បីជួយការងារ។ ({viewport})",
    )
    record_consent(worker, step="consent", recipient_label=CHETANA)
    reference = send(worker, referral_url)

    receiver = browse(RECEIVER)
    receiver.goto("web:home", step="home")
    receiver.follow("referrals:referral_list", step="referrals")
    row = receiver.page.locator("main a", has_text=reference)
    assert row.count() >= 1, receiver.page.locator("main").inner_text()
    receiver.click(row.first, step="received", state="received")
    # What the referring side chose to share, and nothing of its own notes.
    assert "សុខ ស្រីនាង" not in receiver.page.locator("main").inner_text()
    receiver.click(
        'main form[action$="/steps/acknowledge/"] button', step="acknowledged", state="acknowledged"
    )
    accept = receiver.page.locator('main form[action$="/steps/accept/"]')
    accept.locator('input[name="create_new"]').check()
    receiver.click(accept.locator("button"), step="accepted", state="accepted")
    assert receiver.page.locator('main a[href*="/people/"]').count() >= 1  # the child, in their registry
    receiver.click('main form[action$="/steps/start_service/"] button', step="started", state="started")
    outcome = f"គ្រួសារទទួលបានប័ណ្ណសមធម៌ និងប្រាក់ឧបត្ថម្ភ។ ({viewport})"
    complete = receiver.page.locator('main form[action$="/steps/complete/"]')
    complete.locator("textarea").first.fill(outcome)
    complete.locator("textarea").nth(1).fill("ម្ដាយអរគុណ ហើយកុមារនឹងត្រឡប់ទៅរៀនវិញ។")
    receiver.click(complete.locator("button"), step="completed", state="completed")
    assert outcome in receiver.page.locator("main").inner_text()

    # The referrer: the outcome on the referral, and written back on the case.
    worker.goto(referral_url, step="outcome", state="outcome")
    assert outcome in worker.page.locator("main").inner_text()
    worker.goto(case_url, step="case-after")
    assert outcome in worker.page.locator("#notes").inner_text()
