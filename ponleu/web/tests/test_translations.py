"""Every app's Khmer and French catalogue is complete, and the shell really speaks Khmer.

Many users read only Khmer: an untranslated or fuzzy message shows them English (a fuzzy one
is left out of the compiled catalogue), so a catalogue with either fails here.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

PACKAGE_DIR = Path(__file__).resolve().parents[2]
TRANSLATED_LANGUAGES = ("km", "fr")


def _catalogues() -> list[Path]:
    return sorted(
        path
        for language in TRANSLATED_LANGUAGES
        for path in PACKAGE_DIR.glob(f"**/locale/{language}/LC_MESSAGES/*.po")
    )


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _gaps(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parts[-3])
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            gaps.append(f"fuzzy: {msgid!r}")
        elif not all(_strings(message)):
            gaps.append(f"untranslated: {msgid!r}")
    return gaps


def test_the_platform_catalogues_exist():
    apps = {path.relative_to(PACKAGE_DIR).parts[0] for path in _catalogues()}
    assert {"common", "accounts", "access", "audit", "web"} <= apps


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_a_message_reads_the_same_in_every_app(language):
    # Django merges every app's catalogue into one: when two apps translate the same message
    # differently, one of them is silently ignored.
    seen: dict[tuple, dict[str, object]] = {}
    for path in PACKAGE_DIR.glob(f"**/locale/{language}/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        app = path.relative_to(PACKAGE_DIR).parts[0]
        for message in catalog:
            if message.id and not message.fuzzy and all(_strings(message)):
                seen.setdefault((message.context, message.id), {})[app] = message.string
    clashes = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not clashes, "\n".join(f"{key[1]!r}: {apps}" for key, apps in clashes.items())


@pytest.mark.parametrize("path", _catalogues(), ids=lambda path: str(path.relative_to(PACKAGE_DIR)))
def test_catalogue_has_no_untranslated_or_fuzzy_message(path):
    gaps = _gaps(path)
    assert not gaps, f"{path.relative_to(PACKAGE_DIR)}:\n" + "\n".join(gaps)


def test_django_form_errors_read_in_khmer():
    # Django's own Khmer catalogue leaves these untranslated; ponleu/web/django_messages.py
    # brings them into the web catalogue, which takes precedence.
    with translation.override("km"):
        with pytest.raises(ValidationError) as refused:
            forms.DateField().clean("31/02/2026")
        assert refused.value.messages == ["សូមបញ្ចូលកាលបរិច្ឆេទឱ្យបានត្រឹមត្រូវ។"]
        with pytest.raises(ValidationError) as refused:
            forms.CharField(max_length=3).clean("abcdef")
        assert refused.value.messages == ["តម្លៃនេះត្រូវមានមិនលើសពី 3 តួអក្សរ (ឥឡូវមាន 6)។"]


def _khmer_page(client, url: str, khmer: tuple[str, ...], english: tuple[str, ...]) -> None:
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in khmer:
        assert text in page, f"{url}: {text!r} missing"
    for text in english:
        assert text not in page, f"{url}: {text!r} still in English"


@pytest.mark.django_db
def test_the_shell_speaks_khmer_to_a_khmer_user(client, settings, world, login_as):
    settings.LANGUAGE_CODE = settings.KHMER_DEFAULT_LANGUAGE
    _khmer_page(client, reverse("accounts:login"), ("ឈ្មោះអ្នកប្រើ", "ពាក្យសម្ងាត់"), ("Password",))
    for key in ("org_admin", "dpo"):
        user = world.user(key)
        user.language = "km"
        user.save()
    client = login_as(world.user("org_admin"))
    _khmer_page(client, reverse("web:home"), ("ទំព័រដើម", "ចាកចេញ", "តួនាទី"), ("Log out", "Main menu"))
    _khmer_page(client, reverse("web:policy"), ("តួនាទី និងអ្វីដែលតួនាទីនីមួយៗអាចធ្វើបាន",), ("Capability",))
    _khmer_page(client, reverse("accounts:devices"), ("សោឧបករណ៍",), ("Device tokens", "Log out everywhere"))
    client = login_as(world.user("dpo"))
    _khmer_page(client, reverse("audit:event_list"), ("កំណត់ត្រាសវនកម្ម", "ត្រង"), ("Audit trail", "Filter"))
