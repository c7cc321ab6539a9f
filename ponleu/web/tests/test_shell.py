import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_khmer_by_default(client, settings):
    settings.LANGUAGE_CODE = settings.KHMER_DEFAULT_LANGUAGE
    assert settings.LANGUAGE_CODE == "km"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["Content-Language"] == "km"
    assert '<html lang="km">' in response.content.decode()


def test_home_renders_in_the_users_language_and_switches(world, login_as):
    user = world.user("caseworker_a")
    user.language = "km"
    user.save()
    client = login_as(user)
    page = client.get(reverse("web:home")).content.decode()
    assert '<html lang="km">' in page
    response = client.post(reverse("accounts:language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Today" in page
    client.post(reverse("accounts:language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get(reverse("web:home")).content.decode()


def test_language_is_remembered_across_logins(world, client, login_as):
    user = world.user("supervisor")
    client = login_as(user)
    client.post(reverse("accounts:language"), {"language": "fr"})
    client.logout()
    client.cookies.clear()
    user.refresh_from_db()
    client = login_as(user)
    assert '<html lang="fr">' in client.get(reverse("web:home")).content.decode()


def test_navigation_shows_only_what_the_role_may_use(world, login_as):
    teacher_page = login_as(world.user("teacher")).get(reverse("web:home")).content.decode()
    assert reverse("web:policy") not in teacher_page
    admin_page = login_as(world.user("org_admin")).get(reverse("web:home")).content.decode()
    assert reverse("web:policy") in admin_page


def test_policy_grid_is_refused_to_roles_without_users_manage(world, login_as):
    assert login_as(world.user("caseworker_a")).get(reverse("web:policy")).status_code == 403
    page = login_as(world.user("org_admin")).get(reverse("web:policy")).content.decode()
    assert "registry.view" in page


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_khmer_dates_use_khmer_digits():
    import datetime as dt

    from ponleu.web.dates import format_date

    assert format_date(dt.date(2025, 11, 9), "long", "km") == "៩ វិច្ឆិកា ២០២៥"
    assert format_date(dt.date(2025, 11, 9), "long", "en") == "9 November 2025"
    assert format_date(dt.date(2025, 11, 9), "long", "fr") == "9 novembre 2025"


def test_csrf_failure_page_keeps_to_the_policy(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "<style" not in body
    assert "style=" not in body
    assert "ponleu.css" in body
