"""A pregnancy followed from the first antenatal visit to a registered newborn, in Khmer on
the phone and on the laptop: the midwife liaison opens the pregnancies, finds a woman of her
district in the registry and registers her pregnancy from her last period (the due date and
the weeks computed), records ANC1 with a danger sign and is taken to refer her to a health
facility of the directory (a draft referral, sent from its own page under consent), records
the birth in a health facility, registers the newborn in the mother's household (a birth
certificate then asked for), a postnatal visit and family planning counselling with the
method she agreed to have recorded.

Each viewport takes a woman of its own (one ongoing pregnancy per woman).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from ponleu.common import clock

pytestmark = pytest.mark.browser

# The demo's midwife liaison (ponleu/demo/staff.py): no other journey logs in as her.
LIAISON = "midwife.sabay"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def days_ago(days: int) -> str:
    # The server's day, in Phnom Penh, as the other journeys read it.
    return (clock.today() - dt.timedelta(days=days)).isoformat()


def open_registration(b, from_the_end: bool) -> None:
    """The registration form of a woman of the liaison's district whose record offers it and
    who was never pregnant before (one with an ongoing pregnancy is sent to that pregnancy
    instead; the form lists a woman's earlier pregnancies). The phone takes the first such
    woman of the registry's list, the laptop the last, so that the two runs never meet."""
    b.goto("/people/?sex=F&kind=adult&area=0201&per_page=100", step="women")
    hrefs = b.page.locator('#results a[href^="/people/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    hrefs = [h for h in dict.fromkeys(hrefs) if re.fullmatch(rf"/people/{UUID}/", h)]
    for href in reversed(hrefs) if from_the_end else hrefs:
        b.goto(href, step="woman")
        link = b.page.locator('main a[href^="/maternal/women/"]')
        if not link.count():
            continue
        b.click(link.first, step="register")
        fresh = not b.page.locator("#previous").count()
        if re.search(rf"/maternal/women/{UUID}/new/$", b.page.url) and fresh:
            return
    raise AssertionError("no woman of the liaison's district to register a pregnancy for")


def submit(b, *, step: str, state: str = "") -> None:
    b.click("main form.card button[type=submit]", step=step, state=state)


@pytest.mark.languages("km")
def test_a_pregnancy_from_anc1_to_a_registered_newborn(browse, viewport, language):
    b = browse(LIAISON)
    b.goto("web:home", step="home")
    b.follow("maternal:pregnancy_list", step="pregnancies")
    assert b.page.locator("#pregnancies li.card").count() >= 1  # the demo's women, by due date

    # Registered from her last period, 30 weeks ago: the due date and the weeks computed.
    open_registration(b, from_the_end=viewport != "360x740")
    b.page.fill("#id_last_period_on", days_ago(30 * 7 + 2))
    b.page.check('input[name="planned_place"][value="facility"]')
    if b.page.locator("#id_planned_facility option").count() > 1:
        b.page.select_option("#id_planned_facility", index=1)
    submit(b, step="registered")
    assert re.search(rf"/maternal/pregnancies/{UUID}/$", b.page.url), b.page.locator("main").inner_text()
    pregnancy_url = urlsplit(b.page.url).path
    weeks = b.page.locator("#pregnancy").inner_text()
    assert "៣០ សប្ដាហ៍" in weeks or "30 សប្ដាហ៍" in weeks, weeks

    # ANC1 with a danger sign: her worker is alerted and the page offers the referral.
    b.click('#antenatal a[href$="/anc/new/"]', step="anc")
    b.page.check('input[name="place"][value="facility"]')
    b.page.check('input[name="danger_signs"][value="bleeding"]')
    submit(b, step="anc-danger", state="refer")
    assert re.search(rf"/anc/{UUID}/refer/$", b.page.url), b.page.locator("main").inner_text()
    assert b.page.locator("#id_provider option").count() > 1, "no health facility serves her commune"
    b.page.select_option("#id_provider", index=1)
    b.page.select_option("#id_urgency", "emergency")
    submit(b, step="referred")
    assert re.search(rf"/referrals/{UUID}/$", b.page.url), b.page.locator("main").inner_text()

    b.goto(pregnancy_url, step="pregnancy-anc1", state="anc1")
    antenatal = b.page.locator("#antenatal")
    assert "ANC1" in antenatal.inner_text()
    assert antenatal.locator('a[href^="/referrals/"]').count() == 1

    # The birth in a health facility, then the newborn in the mother's household.
    b.click('#antenatal a[href$="/birth/"]', step="birth")
    b.page.check('input[name="outcome"][value="live_birth"]')
    b.page.check('input[name="place"][value="facility"]')
    b.page.select_option("#id_facility", index=1)
    b.page.select_option("#id_attendant", "midwife")
    submit(b, step="born", state="newborn")
    assert re.search(r"/newborn/$", b.page.url), b.page.locator("main").inner_text()
    b.page.fill("#id_given_name_km", "ស្រីពេជ្រ")
    b.page.check('input[name="sex"][value="F"]')
    submit(b, step="newborn-registered", state="delivered")
    birth = b.page.locator("#birth")
    assert birth.locator('a[href^="/people/"]').count() == 1
    assert birth.locator(".alert").count() == 1  # the birth certificate is still to come

    # A postnatal visit within 48 hours, and family planning with her agreement.
    b.click('#postnatal a[href$="/pnc/new/"]', step="pnc")
    b.page.check('input[name="place"][value="home"]')
    submit(b, step="pnc-saved")
    assert b.page.locator("#postnatal li").count() == 1
    b.click('#planning a[href$="/planning/new/"]', step="planning")
    b.page.check("#id_consent_given")
    b.page.select_option("#id_method", "implant")
    submit(b, step="planning-saved")
    assert "ថ្នាំដាក់ក្រោមស្បែក" in b.page.locator("#planning").inner_text()

    # The newborn's record: a child of the mother's household.
    b.click(birth.locator('a[href^="/people/"]'), step="newborn-record")
    assert b.page.locator('main a[href^="/people/households/"]').count() >= 1
