"""Growth monitoring in Khmer on the phone (and the laptop): a worker's growth monitoring day
in a village of the demo's Kong Pisei team, twenty children one after the other, the z-scores
shown as the numbers are typed; a child with a MUAC of 112 mm is referred to the nearest
health centre on the same screen before the worker moves on to the next child. Each viewport
takes one of the demo's two villages (a child is measured once a day).

The numbers typed are a length of 80 cm with its median weight for length (10.6 kg) and a MUAC
of 140 mm, so no child but the one with 112 mm is severely malnourished whatever their age;
that child is the first from the seventh on who is six months or older (MUAC classifies from
six months), read from the assessment shown before saving.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WORKER = "nutrition.chetana"  # Kong Pisei team: the demo's growth monitoring villages
VILLAGE_OF = {"360x740": 0, "1280x800": 1}
CHILDREN = 20
SAM_FROM = 6


def _type(b, *, muac: str, value: int) -> int:
    """Type the numbers (the length in Khmer digits, as a Khmer keyboard gives them) and wait
    for the assessment of the MUAC typed last; returns the child's age in months it shows."""
    b.page.fill("#id_length_cm", "៨០")
    b.page.fill("#id_weight_kg", "10.6")
    b.page.fill("#id_muac_mm", muac)
    b.page.wait_for_selector(f'#assessment[data-muac="{value}"] [data-age-months]')
    return int(b.page.get_attribute("#assessment [data-age-months]", "data-age-months"))


@pytest.mark.languages("km")
def test_a_growth_monitoring_day_refers_a_child_with_severe_acute_malnutrition(browse, viewport, language):
    b = browse(WORKER)
    b.goto("nutrition:home", step="nutrition")
    village = b.page.locator('main a[href^="/nutrition/day/"]').nth(VILLAGE_OF[viewport])
    b.click(village, step="day")
    b.click("main a.button", step="first-child")
    referred = None
    for index in range(CHILDREN):
        want_sam = referred is None and index >= SAM_FROM
        months = _type(b, muac="140", value=140)
        if want_sam and months >= 6:
            _type(b, muac="១១២", value=112)
            assert b.page.locator("#assessment .finding.severe").count() >= 1
            b.checkpoint(step="sam-typed", state="sam-typed")
            b.click("main form.measure-form button[type=submit]", step="sam-saved")
            assert b.page.locator("#sam-alert").count() == 1, b.page.locator("main").inner_text()
            # The nearest health centre is proposed; refer before leaving the child.
            assert b.page.locator("#sam-alert input[name=provider]").count() >= 1
            b.click("#sam-alert button[type=submit]", step="referred")
            main = b.page.locator("main").inner_text()
            assert "បានបញ្ជូនថ្ងៃនេះ" in main, main
            assert b.page.locator("#sam-alert").count() == 0
            referred = b.page.url
            if index == CHILDREN - 1:
                break
            b.click(b.page.locator("main a", has_text="កុមារបន្ទាប់").last, step="next-after-referral")
            continue
        if index == 0:
            b.checkpoint(step="assessed", state="assessed")
        b.click("main form.measure-form button[type=submit]", step="saved")
    assert referred is not None
    # The referred child's growth chart: the WHO curves and their point of today.
    b.page.goto(referred)
    b.click(b.page.locator("main a", has_text="ក្រាហ្វិកការលូតលាស់"), step="chart")
    assert b.page.locator("svg.growth-chart polyline").count() >= 6
    b.goto("nutrition:home", step="lists")
    assert "បានបញ្ជូន" in b.page.locator("main").inner_text()
