"""The menu shows what the user may use, and the way to their messages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client) -> str:
    body = client.get(reverse("web:home")).content.decode()
    return body[body.index('<nav class="main"') : body.index("</nav>", body.index('<nav class="main"'))]


def test_every_user_reaches_their_messages_from_the_menu(world, login_as):
    for key in ("dpo", "teacher", "caseworker_a"):
        assert f'href="{reverse("notifications:inbox")}"' in _menu(login_as(world.user(key))), key


def test_the_menu_leaves_out_what_the_role_cannot_use(world, login_as):
    teacher = _menu(login_as(world.user("teacher")))
    assert f'href="{reverse("cases:case_list")}"' not in teacher
    assert f'href="{reverse("audit:event_list")}"' not in teacher
    assert f'href="{reverse("cases:case_list")}"' in _menu(login_as(world.user("caseworker_a")))
