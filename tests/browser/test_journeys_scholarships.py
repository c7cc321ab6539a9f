"""Scholarships in Khmer on the phone and on the laptop: the coordinator of Angkor Light's project
runs the first term's payments of a scheme, sees three children below the attendance condition,
pays one of them anyway with the reason, records the rest as paid by bank transfer and prints
the receipts.

The demo leaves the current first term un-run in both of the project's schemes, three holders
below the condition in each: the phone runs the riel scheme, the laptop the dollar one.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The manager of Angkor Light's project; no other journey logs in as this account.
COORDINATOR = "supervisor.angkor-light"
SCHEME = {"360x740": "Poor Pupils' Scholarship", "1280x800": "Sunrise Dollar Scholarship"}


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


@pytest.mark.languages("km")
def test_a_coordinator_runs_the_terms_payments_overrides_one_and_pays(browse, viewport, language):
    b = browse(COORDINATOR)
    b.goto("scholarships:scheme_list", step="schemes")
    scheme = b.page.locator('main a[href^="/scholarships/schemes/"]', has_text=SCHEME[viewport])
    assert scheme.count() == 1, b.page.locator("main").inner_text()
    b.click(scheme, step="scheme")
    # The current school year is chosen already; its first term.
    b.page.select_option("#run-term", "1")
    b.click('main form[action$="/run/"] button[type=submit]', step="run")
    main = b.page.locator("main")
    failed = main.locator("ul.withheld li.payment.fail")
    assert failed.count() == 3, main.inner_text()
    assert main.locator("ul.withheld li.payment").count() == 3  # none without attendance recorded
    # Each shows its figures: days present, absent, excused, recorded, and the percentage.
    assert "%" in failed.first.inner_text()

    first = failed.first
    first.locator("input[name=reason]").fill("ឈឺ ចូលមន្ទីរពេទ្យពីរសប្ដាហ៍ មានលិខិតពេទ្យ")
    b.click(first.locator("button[type=submit]"), step="override")
    assert main.locator("ul.withheld li.payment").count() == 2
    due = main.locator('form[action$="/pay/"] input[name=payments]')
    assert due.count() == 4  # three above the condition, one paid despite it
    assert main.locator("em", has_text="ឈឺ ចូលមន្ទីរពេទ្យ").count() == 1

    b.page.select_option("#id_channel", "bank")
    b.page.fill("#id_reference", f"ACLEDA-{viewport}")
    b.click('main form[action$="/pay/"] button[type=submit]', step="paid")
    assert main.locator("li.payment.paid").count() == 4, main.inner_text()
    assert main.locator("ul.withheld li.payment").count() == 2

    receipts = main.locator('a[href*="/receipts/"]')
    assert receipts.count() == 1
    status, content_type, head = fetch_file(b, receipts.get_attribute("href"))
    assert (status, content_type, head[:5]) == (200, "application/pdf", b"%PDF-")
