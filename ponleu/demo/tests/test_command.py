"""`ponleu demo` and `ponleu demo code` act only on a database of the demo's own, never in production.

The world holds a superuser and passwords and second-factor keys derived from a public seed:
built beside real accounts, or read on a real database, it would be a way in.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.oath import totp

from ponleu.demo import staff
from ponleu.demo.models import DemoWorld
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation
from ponleu.testing.world import load_units, make_user

pytestmark = pytest.mark.django_db
SEED = 11
# The demo's districts beyond the test world's (Phnom Penh's Mean Chey, Kampong Speu's Kong Pisei,
# Siem Reap's Prasat Bakong), with one commune and one village each.
MORE_UNITS = [
    ("12", None, "ភ្នំពេញ"),
    ("1206", "12", "មានជ័យ"),
    ("05", None, "កំពង់ស្ពឺ"),
    ("0503", "05", "គងពិសី"),
    ("1709", "17", "ប្រាសាទបាគង"),
]


def _gazetteer():
    """The few units the demo's organisations, teams and villages need."""
    load_units()
    for code, parent, name in MORE_UNITS:
        AdminUnit.objects.create(
            code=code,
            level="district" if parent else "province",
            parent_id=parent,
            name_km=name,
            type_km="",
            type_latin="",
            type_en="",
        )
        if parent:
            AdminUnit.objects.create(
                code=f"{code}01",
                level="commune",
                parent_id=code,
                name_km=name,
                type_km="",
                type_latin="",
                type_en="",
            )
            AdminUnit.objects.create(
                code=f"{code}0101",
                level="village",
                parent_id=f"{code}01",
                name_km=name,
                type_km="",
                type_latin="",
                type_en="",
            )


def _demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _code_now(username: str) -> str:
    return f"{totp(bytes.fromhex(staff.totp_key_for(username, SEED)), step=30, t0=0, digits=6):06d}"


def test_the_demo_builds_on_an_empty_database_and_gives_codes_only_while_it_holds_no_other_user(settings):
    _gazetteer()
    assert not get_user_model().objects.exists()
    assert "built (seed 11)" in _demo("--seed", str(SEED), "--people-per-org", "8")
    world = DemoWorld.objects.get()
    assert set(world.accounts.values_list("username", flat=True)) == set(
        get_user_model().objects.values_list("username", flat=True)
    )
    assert "sysadmin" in _demo("logins")
    # A code is the one the account's authenticator shows (the same 30-second window, or the next).
    before = _code_now("sysadmin")
    code = _demo("code", "sysadmin").strip()
    assert code in {before, _code_now("sysadmin")}
    assert re.fullmatch(r"\d{6}\n", _demo("code", "caseworker.sabay"))
    with pytest.raises(CommandError, match="'nobody' is not an account of the demo world"):
        _demo("code", "nobody")
    assert "already present" in _demo("--seed", str(SEED))
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="PONLEU_MODE is production"):
        _demo("code", "sysadmin")
    settings.PRODUCTION = False

    # Someone made a real account here: the database is not the demo's any more.
    make_user("dara")
    for args in (("code", "dara"), ("code", "sysadmin"), ("logins",), ()):
        with pytest.raises(CommandError, match="holds 1 user account\\(s\\) the demo did not create"):
            _demo(*args)


def test_the_demo_refuses_a_database_that_holds_users_already_and_builds_nothing():
    _gazetteer()
    make_user("dara")
    with pytest.raises(CommandError, match="holds 1 user account\\(s\\) the demo did not create"):
        _demo("--seed", str(SEED), "--people-per-org", "8")
    assert not Organisation.objects.exists()
    assert not DemoWorld.objects.exists()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["dara"]


def test_the_demo_refuses_a_database_with_organisations_even_without_users():
    _gazetteer()
    Organisation.objects.create(name_km="អង្គការ", name_en="A real one", short_name="real")
    with pytest.raises(CommandError, match="holds 1 organisation\\(s\\) already"):
        _demo("--seed", str(SEED), "--people-per-org", "8")
    assert not get_user_model().objects.exists()


def test_no_code_without_a_demo_world_even_for_a_demo_username():
    make_user("sysadmin")
    with pytest.raises(CommandError, match="holds no demo world"):
        _demo("code", "sysadmin")
    with pytest.raises(CommandError, match="holds no demo world"):
        _demo("logins")


def test_in_production_the_demo_is_refused_even_on_an_empty_database(settings):
    _gazetteer()
    settings.PRODUCTION = True
    for args in ((), ("code", "sysadmin"), ("logins",)):
        with pytest.raises(CommandError, match="PONLEU_MODE is production"):
            _demo(*args)
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()
