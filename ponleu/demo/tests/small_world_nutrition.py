"""The demo's growth monitoring: a year in two villages with Cambodian prevalence (one where the gazetteer has one), severe cases
referred the same day but the newest, the journey's village of twenty children under five."""

from __future__ import annotations

from ponleu.nutrition.models import FollowUp, GrowthMeasurement, SamAlert


def the_small_world_has_a_year_of_growth_monitoring_in_two_villages():
    rows = GrowthMeasurement.objects.all()
    # The test gazetteer has one village in the team's district (the real one, two).
    assert rows.values("village").distinct().count() == 1
    assert rows.values("measured_on").distinct().count() == 12
    assert rows.values("person").distinct().count() == 20
    # The latest measurement of each child: prevalence near Cambodia's (synthetic, 20 children: loose bounds).
    latest = {}
    for row in rows.order_by("person_id", "-measured_on"):
        latest.setdefault(row.person_id, row)
    stunted = sum("stunting" in r.findings or "severe_stunting" in r.findings for r in latest.values())
    wasted = sum("wasting" in r.findings or "severe_wasting" in r.findings for r in latest.values())
    assert 0.05 <= stunted / len(latest) <= 0.45
    assert wasted / len(latest) <= 0.3
    alerts = SamAlert.objects.all()
    assert 1 <= alerts.count() <= 20
    assert alerts.filter(status="open").count() == 1
    assert all(a.referred_on == a.raised_on for a in alerts.filter(status="referred"))
    assert FollowUp.objects.exists()
