"""The collection screens: forms (upload, errors, standard forms, publication) and the device page."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ponleu.accounts.models import DeviceToken
from ponleu.collection.models import CollectionForm
from ponleu.collection.standard_forms import StandardForm, q, workbook
from ponleu.collection.views import collect_settings
from ponleu.testing.world import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_odk_settings_are_zlib_compressed_base64_json():
    payload = collect_settings(
        server_url="https://p.example/collect", username="sokha", token="pnl_x", project="org"
    )
    settings = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings["general"] == {
        "server_url": "https://p.example/collect",
        "username": "sokha",
        "password": "pnl_x",
    }
    assert settings["project"] == {"name": "org"}


def test_the_device_page_issues_a_collect_only_token_and_shows_the_qr_code(world, login_as):
    client = login_as(world.members["field_worker"].user)
    assert client.get("/collect/device/").status_code == 200
    wrong = client.post("/collect/device/", {"name": "Phone", "password": "not-it"})
    assert wrong.status_code == 400
    assert not DeviceToken.objects.exists()
    response = client.post("/collect/device/", {"name": "Sokha's phone", "password": TEST_PASSWORD})
    assert response.status_code == 201
    assert "<svg" in response.content.decode()
    token = DeviceToken.objects.get()
    assert sorted(token.capabilities) == ["collection.submit", "web.use"]
    assert "pnl_" not in response.content.decode()  # the token travels in the QR code only


def test_an_upload_with_errors_names_sheet_row_and_column_in_khmer(world, login_as):
    user = world.members["org_admin"].user
    user.language = "km"
    user.save(update_fields=["language"])
    client = login_as(user)
    broken = workbook(
        StandardForm(
            form_id="broken",
            title=("ខូច", "Broken", "Cassé"),
            survey=(q("text", "a", "ក", "A", "A"), q("text", "a", "ខ", "B", "B")),
        )
    )
    response = client.post(
        "/collect/manage/",
        {"xlsform": SimpleUploadedFile("form.xlsx", broken)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "សន្លឹក “survey”, ជួរទី 3, ជួរឈរ “name”: ឈ្មោះនេះប្រើពីរដង" in page
    assert not CollectionForm.objects.exists()


def test_the_standard_forms_install_and_publish_to_a_team(world, login_as):
    client = login_as(world.members["org_admin"].user)
    response = client.post("/collect/manage/", {"standard": "home_visit"})
    assert response.status_code == 302
    form = CollectionForm.objects.get()
    assert form.form_id == "ponleu_home_visit"
    assert client.post(response.url, {"teams": [str(world.team_a.pk)]}).status_code == 302
    assert list(form.teams.all()) == [world.team_a]
    assert client.post("/collect/manage/", {"standard": "nothing"}).status_code == 400


def test_a_field_worker_cannot_manage_forms(world, login_as):
    client = login_as(world.members["field_worker"].user)
    assert client.get("/collect/manage/").status_code == 403


def test_an_unbound_forms_submissions_export_as_csv_and_xlsx_within_scope(world, login_as):
    import csv
    import io

    from openpyxl import load_workbook

    from ponleu.collection import services

    from .helpers import actor, instance_xml, publish_visit

    version = publish_visit(world)
    services.submission_receive(
        actor=actor(world.members["field_worker"]), xml=instance_xml(note="=HYPERLINK(1) ផ្ទះ"), uploads=[]
    )
    supervisor = login_as(world.members["supervisor"].user)
    url = f"/collect/manage/{version.form_id}/"
    response = supervisor.get(url + "?export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="visit.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["instance_id", "form_version", "status", "received_at", "submitted_by"]
    assert rows[0][5:8] == ["note", "seen", "photo"]
    assert rows[1][0] == "uuid:0001"
    assert rows[1][5] == "'=HYPERLINK(1) ផ្ទះ"  # neutralised, never a formula
    book = load_workbook(io.BytesIO(supervisor.get(url + "?export=xlsx").content))
    assert book.active.max_row == 2
    admin = login_as(world.members["org_admin"].user)  # manages forms, sees no submission
    assert len(list(csv.reader(io.StringIO(admin.get(url + "?export=csv").content.decode("utf-8-sig"))))) == 1
