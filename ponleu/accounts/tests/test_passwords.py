"""Passwords: Argon2id first, at least 12 characters, not in the shipped list of common ones."""

from __future__ import annotations

import gzip
import importlib
import importlib.resources

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ponleu.accounts.passwords import COMMON_PASSWORDS_FILE, CommonPasswordValidator, common_passwords

# Long enough for the length rule, but found in the list: only the list refuses them.
LONG_COMMON = [
    "1qaz2wsx3edc",
    "qwertyuiopasdfghjkl",
    "password1234",
    "iloveyou1234",
    "1q2w3e4r5t6y",
    "passwordpassword",
    "qwerty123456",
    "welcome12345",
    "zaq12wsxcde3",
    "administrator",
]


def test_the_list_has_at_least_100000_entries_and_covers_djangos():
    entries = common_passwords()
    assert len(entries) >= 100_000
    django_list = importlib.resources.files("django.contrib.auth") / "common-passwords.txt.gz"
    with gzip.open(django_list, "rt") as handle:
        django_entries = {line.strip().lower() for line in handle if line.strip()}
    assert django_entries <= entries
    assert COMMON_PASSWORDS_FILE.with_name("common-passwords.md").exists(), "source and licence note"


@pytest.mark.parametrize("password", LONG_COMMON)
def test_long_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_common" in [error.code for error in refused.value.error_list]


def test_case_and_surrounding_spaces_do_not_help():
    validator = CommonPasswordValidator()
    for variant in ("Password1234", "PASSWORD1234", " password1234 "):
        with pytest.raises(ValidationError):
            validator.validate(variant)


def test_every_one_of_the_first_100000_listed_is_refused():
    validator = CommonPasswordValidator()
    refused = 0
    for word in sorted(common_passwords())[:100_000]:
        try:
            validator.validate(word)
        except ValidationError:
            refused += 1
    assert refused == 100_000


def test_short_passwords_are_refused_even_when_uncommon():
    with pytest.raises(ValidationError) as refused:
        validate_password("kR7#vq2!Lm")
    assert "password_too_short" in [error.code for error in refused.value.error_list]


def test_a_long_uncommon_passphrase_is_accepted():
    validate_password("ដើមត្នោត river 7 kites at dawn")


def test_production_hashes_with_argon2id_first():
    base = importlib.import_module("config.settings.base")
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "MD5" not in " ".join(base.PASSWORD_HASHERS)
    encoded = Argon2PasswordHasher().encode("a passphrase only for this test", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
