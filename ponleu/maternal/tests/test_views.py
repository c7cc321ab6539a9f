"""The pregnancy pages: from the woman's record to the registered newborn, the list by due
date and its reminders, masking for a reader without sensitive access, and the same 404 for a
pregnancy out of reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.audit.models import AccessEvent
from ponleu.common import clock
from ponleu.maternal.models import AntenatalVisit, Pregnancy
from ponleu.notifications.models import Notification
from ponleu.referrals.models import Referral
from ponleu.registry import services as registry_services
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
BIRTH = dt.datetime(2027, 2, 5, 9, 0, tzinfo=dt.UTC)


def client_of(user):
    client = Client()
    login(client, user)
    return client


def detail_url(pregnancy):
    return reverse("maternal:pregnancy_detail", kwargs={"pregnancy_id": pregnancy.pk})


def test_a_pregnancy_from_the_womans_record_to_her_registered_newborn(world):
    actor = world.actor("caseworker_a")
    centre = factories.health_centre(world)
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        woman = factories.woman(actor)
        record = worker.get(
            reverse("registry:person_detail", kwargs={"person_id": woman.pk})
        ).content.decode()
        register = reverse("maternal:pregnancy_register", kwargs={"person_id": woman.pk})
        assert register in record
        assert worker.get(register).status_code == 200
        refused = worker.post(register, {"last_period_on": "", "due_on": ""})
        assert refused.status_code == 400
        assert "last period" in refused.content.decode()
        response = worker.post(
            register,
            {"due_on": "2027-02-08", "planned_place": "facility", "planned_facility": str(centre.pk)},
        )
        pregnancy = Pregnancy.objects.get()
        assert response.headers["Location"] == detail_url(pregnancy)
        assert pregnancy.last_period_on == dt.date(2026, 5, 4)
        page = worker.get(detail_url(pregnancy)).content.decode()
        assert "Chan Sophea" in page
        assert "28 weeks" in page
        anc = reverse("maternal:anc_new", kwargs={"pregnancy_id": pregnancy.pk})
        response = worker.post(
            anc,
            {
                "version": 1,
                "visited_on": "2026-11-21",
                "place": "facility",
                "facility": str(centre.pk),
                "danger_signs": ["bleeding"],
            },
        )
        visit = AntenatalVisit.objects.get()
        refer = reverse("maternal:anc_refer", kwargs={"pregnancy_id": pregnancy.pk, "anc_id": visit.pk})
        assert response.headers["Location"] == refer
        assert Notification.objects.filter(recipient=world.user("caseworker_a")).exists()
        assert worker.get(refer).status_code == 200
        response = worker.post(
            refer,
            {"version": 2, "provider": str(centre.pk), "service": "primary_health", "urgency": "urgent"},
        )
        referral = Referral.objects.get()
        assert response.headers["Location"] == reverse(
            "referrals:referral_detail", kwargs={"referral_id": referral.pk}
        )
    with clock.frozen(BIRTH):
        worker = client_of(world.user("caseworker_a"))  # a new day, a new session
        birth = reverse("maternal:birth_record", kwargs={"pregnancy_id": pregnancy.pk})
        response = worker.post(
            birth,
            {
                "version": 3,
                "born_on": "2027-02-04",
                "outcome": "live_birth",
                "place": "facility",
                "facility": str(centre.pk),
                "attendant": "midwife",
            },
        )
        newborn = reverse("maternal:newborn_register", kwargs={"pregnancy_id": pregnancy.pk})
        assert response.headers["Location"] == newborn
        response = worker.post(
            newborn, {"version": 4, "family_name_km": "ចាន់", "given_name_km": "ពិសី", "sex": "F"}
        )
        assert response.status_code == 302
        pregnancy.refresh_from_db()
        child = pregnancy.newborn
        assert child.given_name_km == "ពិសី"
        page = worker.get(detail_url(pregnancy)).content.decode()
        assert "ចាន់ ពិសី" in page or "ពិសី" in page
        assert "No birth certificate yet" in page
        listed = worker.get(reverse("maternal:pregnancy_list") + "?certificate=missing").content.decode()
        assert detail_url(pregnancy) in listed
        registry_services.identifier_add(actor=actor, person=child, type="birth_certificate", value="BC-0001")
        assert "Birth certificate recorded" in worker.get(detail_url(pregnancy)).content.decode()
        listed = worker.get(reverse("maternal:pregnancy_list") + "?certificate=missing").content.decode()
        assert detail_url(pregnancy) not in listed


def test_the_list_by_due_date_and_the_antenatal_visits_overdue(world):
    actor = world.actor("caseworker_a")
    worker = client_of(world.user("caseworker_a"))
    with clock.frozen(NOW):
        late = factories.pregnancy(actor, factories.woman(actor), last_period_on=dt.date(2026, 5, 4))
        early = factories.pregnancy(
            actor, factories.woman(actor, given_name_latin="Nary"), last_period_on=dt.date(2026, 10, 1)
        )
        page = worker.get(reverse("maternal:pregnancy_list")).content.decode()
        assert page.index(detail_url(late)) < page.index(detail_url(early))
        overdue = worker.get(reverse("maternal:pregnancy_list") + "?anc=overdue").content.decode()
        assert detail_url(late) in overdue
        assert detail_url(early) not in overdue
        partial = worker.get(reverse("maternal:pregnancy_list") + "?anc=overdue", HTTP_HX_REQUEST="true")
        assert partial.status_code == 200
    event = (
        AccessEvent.objects.filter(action="maternal.pregnancy.listed", target_type="maternal.pregnancy")
        .order_by("-pk")
        .first()
    )
    assert event.target_ids == [str(late.pk)]


def test_a_reader_without_sensitive_access_sees_initials_and_masked_health(world):
    supervisor = world.actor("supervisor")
    reader = client_of(world.user("field_worker"))
    with clock.frozen(NOW):
        # A woman in the field worker's own caseload; the supervisor records her pregnancy.
        woman = factories.woman(world.actor("field_worker"))
        pregnancy = factories.pregnancy(supervisor, woman)
        factories.anc(supervisor, pregnancy, dt.date(2026, 11, 20), danger_signs=["convulsions"])
        page = reader.get(detail_url(pregnancy)).content.decode()
        listed = reader.get(reverse("maternal:pregnancy_list")).content.decode()
        form = reader.get(reverse("maternal:anc_new", kwargs={"pregnancy_id": pregnancy.pk}))
    assert "C. S." in page
    assert "Sophea" not in page
    assert "2027" not in page  # no due date
    assert "Convulsions" not in page
    assert "masked" in page
    assert "Sophea" not in listed
    assert detail_url(pregnancy) in listed
    assert form.status_code == 403


def test_a_pregnancy_out_of_reach_is_not_found(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        pregnancy = factories.pregnancy(actor, factories.woman(actor))
        other = client_of(world.user("caseworker_b"))
        partner = client_of(world.user("partner"))
        for client in (other, partner):
            assert client.get(detail_url(pregnancy)).status_code == 404
            assert (
                client.get(reverse("maternal:anc_new", kwargs={"pregnancy_id": pregnancy.pk})).status_code
                == 404
            )
        worker = client_of(world.user("caseworker_a"))
        assert worker.get("/maternal/pregnancies/not-a-uuid/").status_code == 404


def test_the_list_costs_the_same_for_one_pregnancy_or_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = world.actor("caseworker_a")
    worker = client_of(world.user("caseworker_a"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert worker.get(reverse("maternal:pregnancy_list")).status_code == 200
        return len(captured)

    with clock.frozen(NOW):
        factories.pregnancy(actor, factories.woman(actor))
        worker.get(reverse("maternal:pregnancy_list"))  # warm-up: the session's actor
        one = queries()
        for name in ("Nary", "Dalin", "Sreymom", "Bopha"):
            factories.pregnancy(actor, factories.woman(actor, given_name_latin=name))
        many = queries()
    assert one == many
