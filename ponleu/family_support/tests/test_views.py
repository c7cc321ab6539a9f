"""The family support pages: the household's section, the assessment, a need linked to the
directory and referred, a visit, graduation refused then granted; every page in Khmer too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.family_support.choices import PlanStatus
from ponleu.family_support.models import SupportNeed, SupportPlan
from ponleu.referrals.models import Referral
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def assessment(**levels) -> dict:
    data = {"assessed_on": "2026-11-20", "next_visit_on": "2026-12-01"}
    for domain, values in factories.levels(**levels).items():
        data[f"level_{domain}"] = values["level"]
        data[f"note_{domain}"] = values["note"]
    return data


def test_from_the_household_page_to_graduation(world):
    actor = world.actor("caseworker_a")
    clinic = factories.health_centre(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        household, child = factories.household_with_child(actor)
        page = worker.get(reverse("registry:household_detail", kwargs={"household_id": household.pk}))
        section = reverse("family_support:household_plans", kwargs={"household_id": household.pk})
        assert section in page.content.decode()
        partial = worker.get(section, HTTP_HX_REQUEST="true")
        assert partial.status_code == 200
        assert "<html" not in partial.content.decode()
        assert (
            reverse("family_support:plan_start", kwargs={"household_id": household.pk})
            in partial.content.decode()
        )

        start = reverse("family_support:plan_start", kwargs={"household_id": household.pk})
        assert worker.get(start).status_code == 200
        refused = worker.post(start, {**assessment(health="serious"), "level_safety": ""})
        assert refused.status_code == 400
        assert not SupportPlan.objects.exists()
        created = worker.post(start, assessment(health="serious", documents="some"))
        plan = SupportPlan.objects.get()
        assert created.status_code == 302
        detail = reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk})
        assert created["Location"] == detail

        need_url = reverse("family_support:need_edit", kwargs={"plan_id": plan.pk, "need_domain": "health"})
        providers = worker.get(need_url, {"service": "primary_health"}, HTTP_HX_REQUEST="true")
        assert clinic.name_en in providers.content.decode()
        saved = worker.post(
            need_url,
            {
                "version": plan.version,
                "level": "serious",
                "note": "",
                "service": "primary_health",
                "provider": clinic.pk,
            },
        )
        assert saved.status_code == 302, saved.content.decode()
        plan.refresh_from_db()
        refer = reverse("family_support:need_refer", kwargs={"plan_id": plan.pk, "need_domain": "health"})
        referred = worker.post(
            refer,
            {
                "version": plan.version,
                "person": child.pk,
                "reason": "Fever",
                "urgency": "routine",
                "shared_fields": ["name", "age"],
            },
        )
        referral = Referral.objects.get()
        assert referred["Location"] == reverse(
            "referrals:referral_detail", kwargs={"referral_id": referral.pk}
        )
        assert referral.reference in worker.get(detail).content.decode()

        plan.refresh_from_db()
        graduate = reverse("family_support:plan_graduate", kwargs={"plan_id": plan.pk})
        refused = worker.post(graduate, {"version": plan.version}, follow=True)
        text = refused.content.decode()
        assert "cannot graduate while a need is still open" in text
        assert "Health is not met yet" in text
        assert "Civil documents is not met yet" in text

        visit = reverse("family_support:visit_new", kwargs={"plan_id": plan.pk})
        assert worker.get(visit).status_code == 200
        recorded = worker.post(
            visit,
            {
                "version": plan.version,
                "visited_on": "2026-11-21",
                "note": "Seen at the clinic",
                "met": ["health", "documents"],
            },
        )
        assert recorded.status_code == 302, recorded.content.decode()
        plan.refresh_from_db()
        graduated = worker.post(graduate, {"version": plan.version, "note": "All met"}, follow=True)
        assert "has graduated" in graduated.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.GRADUATED
    assert set(
        SupportNeed.objects.filter(plan=plan, met_on__isnull=False).values_list("domain", flat=True)
    ) == {
        "health",
        "documents",
    }


def test_a_page_of_a_plan_is_one_access_event(world):
    actor = world.actor("caseworker_a")
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        household, _ = factories.household_with_child(actor)
        plan = factories.plan(actor, household)
        before = AccessEvent.objects.count()
        response = worker.get(reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 200
    events = list(AccessEvent.objects.order_by("id")[before:])
    assert [(e.action, e.target_ids) for e in events] == [("family_support.plan.viewed", [str(plan.pk)])]


def test_the_pages_read_in_khmer(world):
    actor = world.actor("caseworker_a")
    user = world.user("caseworker_a")
    user.language = "km"
    user.save(update_fields=["language"])
    worker = client_of(user)
    with clock.frozen(NOW):
        household, _ = factories.household_with_child(actor)
        plan = factories.plan(actor, household)
        pages = [
            reverse("family_support:plan_list"),
            reverse("family_support:household_plans", kwargs={"household_id": household.pk}),
            reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk}),
            reverse("family_support:need_edit", kwargs={"plan_id": plan.pk, "need_domain": "health"}),
            reverse("family_support:visit_new", kwargs={"plan_id": plan.pk}),
        ]
        for url in pages:
            text = worker.get(url).content.decode()
            assert "ផែនការ" in text or "ការគាំទ្រគ្រួសារ" in text, url
            assert "Family support" not in text, url
