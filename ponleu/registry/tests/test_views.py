import datetime as dt

import pytest
from django.urls import reverse

from ponleu.audit.models import AccessEvent
from ponleu.registry.models import Person

from . import factories

pytestmark = pytest.mark.django_db


@pytest.mark.dated
def test_list_shows_people_in_scope_with_filters(world, login_as, today):
    actor = world.actor("caseworker_a")
    factories.person(actor)
    two = today - dt.timedelta(days=2 * 365)  # two years old, or a day short of it
    factories.person(actor, given_name_latin="Sophea", given_name_km="សុភា", sex="F", date_of_birth=two)
    factories.person(world.actor("caseworker_b"), village=factories.KBAL_THNAL, given_name_latin="Vanna")
    client = login_as(world.user("caseworker_a"))
    page = client.get(reverse("registry:person_list")).content.decode()
    assert "Sok Dara" in page
    assert "Sok Sophea" in page
    assert "Vanna" not in page
    page = client.get(reverse("registry:person_list"), {"sex": "F"}).content.decode()
    assert "Sok Sophea" in page
    assert "Sok Dara" not in page
    page = client.get(reverse("registry:person_list"), {"age_band": "0-4"}).content.decode()
    assert "Sok Sophea" in page
    assert "Sok Dara" not in page
    page = client.get(reverse("registry:person_list"), {"q": "sokh darah"}).content.decode()
    assert "Sok Dara" in page
    assert "Why" in page


# Session, user, second factor, session row, membership, organisation, grants, areas and teams:
# read by the platform's middleware on every request, before the view runs.
PLATFORM = ("django_session", "accounts_user", "otp_", "organisations_", "access_", "membership_")


def test_list_query_count_does_not_grow_with_rows(world, login_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = world.actor("caseworker_a")
    client = login_as(world.user("caseworker_a"))
    factories.person(actor)
    client.get(reverse("registry:person_list"))  # warm-up
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("registry:person_list")).status_code == 200
    for index in range(19):
        factories.person(actor, given_name_latin=f"Child{index}", given_name_km="")
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(reverse("registry:person_list")).content.decode()
    assert page.count('class="card person-row"') == 20
    assert len(one) == len(twenty)
    own = [
        q["sql"]
        for q in twenty.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE")) and not any(t in q["sql"] for t in PLATFORM)
    ]
    assert len(own) <= 10, own  # the list itself: one read plus the access event


def test_detail_of_a_forbidden_and_of_a_missing_person_look_the_same(world, login_as):
    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_b"))
    forbidden = client.get(reverse("registry:person_detail", kwargs={"person_id": person.pk}))
    missing = client.get(
        reverse("registry:person_detail", kwargs={"person_id": "00000000-0000-0000-0000-000000000000"})
    )
    assert forbidden.status_code == missing.status_code == 404
    # The same page, ids aside (the emergency-access link names the id that was asked for).
    assert forbidden.content.replace(str(person.pk).encode(), b"<id>") == missing.content.replace(
        b"00000000-0000-0000-0000-000000000000", b"<id>"
    )


def test_detail_is_access_audited_and_masks_sensitive_records(world, login_as):
    person = factories.person(world.actor("caseworker_a"), is_sensitive=True)
    own = login_as(world.user("caseworker_a")).get(
        reverse("registry:person_detail", kwargs={"person_id": person.pk})
    )
    assert "Sok Dara" in own.content.decode()
    event = AccessEvent.objects.latest("id")
    assert event.action == "registry.person.viewed"
    assert event.target_ids[0] == str(person.pk)
    # A teacher may see people they own only: no; a supervisor sees the area but view_sensitive
    # is "area" for them, so use the field worker who owns nothing: 404.
    assert (
        login_as(world.user("field_worker"))
        .get(reverse("registry:person_detail", kwargs={"person_id": person.pk}))
        .status_code
        == 404
    )
    dpo_page = login_as(world.user("dpo")).get(
        reverse("registry:person_detail", kwargs={"person_id": person.pk})
    )
    assert "Sok Dara" in dpo_page.content.decode()


def test_masked_for_a_viewer_without_view_sensitive(world, login_as, client):
    from ponleu.registry import services

    person = factories.person(world.actor("caseworker_a"), is_sensitive=True)
    # caseworker_b sees team/area records only; give the record to team B's area by moving it.
    services.person_update(
        actor=world.actor("supervisor"), person=person, version=1, data={"village": factories.KBAL_THNAL}
    )
    page = login_as(world.user("caseworker_b")).get(
        reverse("registry:person_detail", kwargs={"person_id": person.pk})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "S. D. (sensitive record)" in text
    assert "Sok Dara" not in text
    assert "ដារ៉ា" not in text


def test_create_flow_searches_first_then_registers(world, login_as):
    existing = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    names = {
        "family_name_latin": "Sokh",
        "given_name_latin": "Darah",
        "date_of_birth": "01/06/2015",
        "village": factories.THMEI,
    }
    page = client.post(reverse("registry:person_create"), {**names, "step": "match"}).content.decode()
    assert "Possible existing records" in page
    assert reverse("registry:person_detail", kwargs={"person_id": existing.pk}) in page
    form = client.post(reverse("registry:person_create"), {**names, "step": "details"}).content.decode()
    assert 'value="Sokh"' in form
    assert 'name="step" value="save"' in form
    response = client.post(
        reverse("registry:person_create"),
        {
            **names,
            "step": "save",
            "kind": "child",
            "sex": "M",
            "date_of_birth_precision": "month",
            "phone": "០១២៣៤៥៦៧៨",
            "phone_owner": "mother",
        },
    )
    assert response.status_code == 302
    created = Person.objects.exclude(pk=existing.pk).get()
    assert created.date_of_birth == dt.date(2015, 6, 1)
    assert str(created.phones.get().number) == "+85512345678"


def test_create_with_bad_input_shows_messages_on_the_fields(world, login_as):
    client = login_as(world.user("caseworker_a"))
    response = client.post(
        reverse("registry:person_create"),
        {
            "step": "save",
            "kind": "child",
            "sex": "M",
            "date_of_birth_precision": "day",
            "family_name_latin": "Sok",
            "date_of_birth": "01/01/2090",
            "village": "12345678",
            "phone": "99",
            "phone_owner": "self",
            "identifier_type": "national_id",
            "identifier_value": "abc",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The date of birth is in the future." in text
    assert "There is no village with the code" in text
    assert "is not a valid phone number" in text
    assert "A national ID number has 9 or 10 digits." in text
    assert Person.objects.count() == 0


def test_edit_conflict_is_shown_not_overwritten(world, login_as):
    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    url = reverse("registry:person_edit", kwargs={"person_id": person.pk})
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    data = {
        "kind": "child",
        "family_name_latin": "Sok",
        "given_name_latin": "Dara",
        "sex": "M",
        "date_of_birth": "09/03/2015",
        "date_of_birth_precision": "day",
        "village": factories.THMEI,
        "version": 1,
    }
    assert client.post(url, {**data, "nickname": "Mab"}).status_code == 302
    second = client.post(url, {**data, "nickname": "Toch"})
    assert second.status_code == 409
    assert "Someone else changed this record" in second.content.decode()
    person.refresh_from_db()
    assert person.nickname == "Mab"


def test_household_detail_shows_members_and_relationships(world, login_as):
    from ponleu.registry import services

    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    mother = factories.person(
        actor, kind="adult", given_name_latin="Sophea", sex="F", date_of_birth=dt.date(1990, 1, 1)
    )
    household = factories.household(actor)
    services.household_member_add(actor=actor, household=household, person=child, relationship="child")
    services.household_member_add(
        actor=actor, household=household, person=mother, relationship="mother", is_primary_caregiver=True
    )
    client = login_as(world.user("caseworker_a"))
    page = client.get(
        reverse("registry:household_detail", kwargs={"household_id": household.pk})
    ).content.decode()
    assert "Sok Sophea" in page
    assert "Mother" in page
    assert "primary caregiver" in page
    detail = client.get(reverse("registry:person_detail", kwargs={"person_id": child.pk})).content.decode()
    assert "Sok Sophea" in detail
    other = login_as(world.user("partner")).get(
        reverse("registry:household_detail", kwargs={"household_id": household.pk})
    )
    assert other.status_code == 404


def test_consent_withdrawal_from_the_screen_counts_at_once(world, login_as):
    from ponleu.registry.policies import consent_allows

    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    response = client.post(
        reverse("registry:consent_add", kwargs={"person_id": person.pk}),
        {
            "purpose": "family_tracing",
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "given_on": "01/11/2026",
            "method": "verbal_witnessed",
        },
    )
    assert response.status_code == 400
    assert "needs the name of a witness" in response.content.decode()
    client.post(
        reverse("registry:consent_add", kwargs={"person_id": person.pk}),
        {
            "purpose": "family_tracing",
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "given_on": "01/11/2026",
            "method": "verbal_witnessed",
            "witness_name": "Village chief",
        },
    )
    assert consent_allows(person, "family_tracing")
    consent = person.consents.get()
    client.post(
        reverse("registry:consent_withdraw", kwargs={"person_id": person.pk, "consent_id": consent.pk}),
        {"reason": "The family asked"},
    )
    assert not consent_allows(person, "family_tracing")


def test_consent_to_share_names_an_organisation_or_a_kind_of_service_with_what_and_the_childs_assent(
    world, login_as
):
    from ponleu.registry.policies import consent_gaps

    child = factories.person(world.actor("caseworker_a"), date_of_birth=dt.date(2012, 3, 9))
    client = login_as(world.user("caseworker_a"))
    url = reverse("registry:consent_add", kwargs={"person_id": child.pk})
    form = client.get(url).content.decode()
    assert f'value="{world.other_org.pk}"' in form
    response = client.post(
        url,
        {
            "purpose": "share",
            "recipient": world.other_org.pk,
            "data_categories": ["basic", "reason", "contact"],
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "child_assent": "given",
            "given_on": "01/11/2026",
            "method": "signed_form",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert consent_gaps(child, "share", world.other_org, categories={"basic", "contact"}) == []
    assert consent_gaps(child, "share", world.other_org, categories={"health"})
    client.post(
        url,
        {
            "purpose": "share",
            "recipient_kind": "health_centre",
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "child_assent": "given",
            "given_on": "01/11/2026",
            "method": "signed_form",
        },
    )
    assert consent_gaps(child, "share", "Any health centre", recipient_kind="health_centre") == []
    detail = client.get(reverse("registry:person_detail", kwargs={"person_id": child.pk})).content.decode()
    assert "Health centre" in detail
