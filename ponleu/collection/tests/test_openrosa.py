"""OpenRosa conformance, written from the OpenRosa specifications (Form List API, Form
Submission API, the authentication and header requirements) as ODK Collect exercises them."""

from __future__ import annotations

import base64
import hashlib

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ponleu.accounts import services as account_services
from ponleu.accounts.models import DeviceToken
from ponleu.collection import openrosa, services
from ponleu.collection.choices import SubmissionStatus
from ponleu.collection.models import Attachment, Submission

from .helpers import actor, basic, device_token, instance_xml, publish_visit

pytestmark = pytest.mark.django_db
OPENROSA = {"HTTP_X_OPENROSA_VERSION": "1.0"}
FORMS_NS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE_NS = "{http://openrosa.org/http/response}"


@pytest.fixture
def device(world):
    token = device_token(world)
    client = Client(HTTP_AUTHORIZATION=basic("field_worker", token), **OPENROSA)
    client.token = token
    return client


def _headers_ok(response):
    assert response["X-OpenRosa-Version"] == "1.0"
    assert int(response["X-OpenRosa-Accept-Content-Length"]) == openrosa.ACCEPT_CONTENT_LENGTH


def _post(client, xml: bytes, *files):
    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")}
    for index, (name, content, kind) in enumerate(files):
        data[f"file{index}"] = SimpleUploadedFile(name, content, kind)
    return client.post("/collect/submission", data)


def _message(response) -> tuple[str, str]:
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    message = root.find(f"{RESPONSE_NS}message")
    return message.get("nature", ""), message.text


def test_without_credentials_the_server_challenges_with_basic(world):
    publish_visit(world)
    client = Client(**OPENROSA)
    for method, url in (
        ("head", "/collect/formList"),
        ("get", "/collect/formList"),
        ("head", "/collect/submission"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith('Basic realm="Ponleu"')
        _headers_ok(response)


def test_the_password_is_never_a_device_credential(world):
    from ponleu.testing.world import TEST_PASSWORD

    response = Client(HTTP_AUTHORIZATION=basic("field_worker", TEST_PASSWORD), **OPENROSA).get(
        "/collect/formList"
    )
    assert response.status_code == 401


def test_a_token_works_only_with_its_own_username(world, device):
    other = Client(HTTP_AUTHORIZATION=basic("caseworker_a", device.token), **OPENROSA)
    assert other.get("/collect/formList").status_code == 401


def test_form_list_lists_what_the_device_user_may_fill(world, device):
    version = publish_visit(world)
    head = device.head("/collect/formList")
    assert head.status_code == 200
    _headers_ok(head)
    response = device.get("/collect/formList")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    _headers_ok(response)
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{FORMS_NS}xforms"
    (entry,) = root.findall(f"{FORMS_NS}xform")
    assert entry.findtext(f"{FORMS_NS}formID") == "visit"
    assert entry.findtext(f"{FORMS_NS}version") == "1"
    assert entry.findtext(f"{FORMS_NS}hash") == f"md5:{version.md5}"
    assert entry.find(f"{FORMS_NS}manifestUrl") is None  # no media: no manifest
    download = device.get(entry.findtext(f"{FORMS_NS}downloadUrl"))
    assert download.status_code == 200
    _headers_ok(download)
    assert download.content.decode() == version.xml
    # The device user of another team sees an empty list.
    b_client = Client(
        HTTP_AUTHORIZATION=basic("caseworker_b", device_token(world, "caseworker_b")), **OPENROSA
    )
    assert ElementTree.fromstring(b_client.get("/collect/formList").content).findall(f"{FORMS_NS}xform") == []
    assert b_client.get(f"/collect/forms/{version.pk}/form.xml").status_code == 404


def test_manifest_lists_media_with_hashes_and_each_downloads(world, device):
    version = publish_visit(world)
    services.form_media_add(
        actor=actor(world.members["org_admin"]), version=version, filename="logo.png", data=b"png"
    )
    entry = ElementTree.fromstring(device.get("/collect/formList").content).find(f"{FORMS_NS}xform")
    manifest = device.get(entry.findtext(f"{FORMS_NS}manifestUrl"))
    assert manifest.status_code == 200
    _headers_ok(manifest)
    ns = "{http://openrosa.org/xforms/xformsManifest}"
    (media,) = ElementTree.fromstring(manifest.content).findall(f"{ns}mediaFile")
    assert media.findtext(f"{ns}filename") == "logo.png"
    assert media.findtext(f"{ns}hash") == "md5:" + hashlib.md5(b"png", usedforsecurity=False).hexdigest()
    assert device.get(media.findtext(f"{ns}downloadUrl")).content == b"png"


def test_head_submission_answers_204_with_the_accepted_length(world, device):
    response = device.head("/collect/submission")
    assert response.status_code == 204
    _headers_ok(response)


def test_a_submission_is_stored_once_and_a_resend_succeeds_without_a_second_row(world, device):
    publish_visit(world)
    first = _post(device, instance_xml(), ("photo.jpg", b"jpeg-bytes", "image/jpeg"))
    assert first.status_code == 201
    _headers_ok(first)
    assert _message(first)[0] == "submit_success"
    again = _post(device, instance_xml(), ("photo.jpg", b"jpeg-bytes", "image/jpeg"))
    assert again.status_code == 202
    assert _message(again)[0] == "submit_success"
    submission = Submission.objects.get()
    assert submission.instance_id == "uuid:0001"
    assert submission.submitted_by == world.members["field_worker"].user
    assert submission.status == SubmissionStatus.RECEIVED


def test_attachments_sent_in_several_posts_are_joined(world, device):
    publish_visit(world)
    xml = instance_xml(photo="photo.jpg")
    assert _post(device, xml).status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.INCOMPLETE
    assert _post(device, xml, ("photo.jpg", b"jpeg-bytes", "image/jpeg")).status_code == 202
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.RECEIVED
    (attachment,) = Attachment.objects.filter(submission=submission)
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"jpeg-bytes"


def test_an_edit_is_a_new_version_that_supersedes_the_old(world, device):
    publish_visit(world)
    _post(device, instance_xml(instance_id="uuid:a"))
    assert (
        _post(device, instance_xml(instance_id="uuid:b", note="fixed", deprecated="uuid:a")).status_code
        == 201
    )
    old, new = Submission.objects.get(instance_id="uuid:a"), Submission.objects.get(instance_id="uuid:b")
    assert old.status == SubmissionStatus.SUPERSEDED
    assert old.superseded_by == new
    assert new.deprecated_id == "uuid:a"
    assert "fixed" in new.xml


def test_old_submissions_keep_their_version(world, device):
    first = publish_visit(world, version="1")
    _post(device, instance_xml(version="1", instance_id="uuid:v1"))
    from ponleu.collection.standard_forms import workbook

    from .helpers import VISIT

    second = services.form_upload(
        actor=actor(world.members["org_admin"]), data=workbook(VISIT, version="2"), encrypt=False
    )
    assert _post(device, instance_xml(version="1", instance_id="uuid:v1-late")).status_code == 201
    assert _post(device, instance_xml(version="2", instance_id="uuid:v2")).status_code == 201
    versions = dict(Submission.objects.values_list("instance_id", "form_version"))
    assert versions == {"uuid:v1": first.pk, "uuid:v1-late": first.pk, "uuid:v2": second.pk}


@pytest.mark.parametrize(
    ("xml", "status"),
    [
        (b"<data id='visit' version='1'><note>", 400),  # not XML
        (b"<data id='visit' version='1'><note>x</note></data>", 400),  # no instanceID
        (instance_xml(version="9"), 400),  # a version the server does not know
        (
            instance_xml().replace(b"<note>", b"<surname>").replace(b"</note>", b"</surname>"),
            400,
        ),  # not its version
        (instance_xml().replace(b'id="visit"', b'id="nobody"'), 404),  # unknown form
    ],
)
def test_bad_submissions_get_an_openrosa_error_and_store_nothing(world, device, xml, status):
    publish_visit(world)
    response = _post(device, xml)
    assert response.status_code == status
    _headers_ok(response)
    assert _message(response)[0] == "error"
    assert not Submission.objects.exists()


def test_a_post_without_the_xml_part_is_refused(world, device):
    publish_visit(world)
    response = device.post("/collect/submission", {"other": SimpleUploadedFile("a.xml", b"<x/>")})
    assert response.status_code == 400


def test_disallowed_and_oversized_attachments_are_refused(world, device, monkeypatch):
    publish_visit(world)
    refused = _post(device, instance_xml(photo="run.exe"), ("run.exe", b"MZ", "application/octet-stream"))
    assert refused.status_code == 400
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 8)
    big = _post(device, instance_xml(photo="photo.jpg"), ("photo.jpg", b"0123456789", "image/jpeg"))
    assert big.status_code == 413
    monkeypatch.setattr(openrosa, "ACCEPT_CONTENT_LENGTH", 100)
    too_long = _post(device, instance_xml())
    assert too_long.status_code == 413
    assert not Submission.objects.exists()


def test_a_revoked_device_gets_401_and_its_revocation_is_audited(world, device):
    from ponleu.audit.models import AuditEvent

    publish_visit(world)
    token = DeviceToken.objects.get(user=world.members["field_worker"].user)
    account_services.token_revoke(actor=actor(world.members["field_worker"]), token=token)
    assert AuditEvent.objects.filter(action="accounts.token.revoked", target_id=str(token.pk)).exists()
    assert device.get("/collect/formList").status_code == 401
    assert _post(device, instance_xml()).status_code == 401
    assert not Submission.objects.exists()


def test_a_token_without_the_collect_capability_is_refused(world):
    membership = world.members["field_worker"]
    from ponleu.testing.world import TEST_PASSWORD

    issued = account_services.token_issue(
        actor=actor(membership),
        membership=membership,
        name="API",
        capabilities=["registry.view"],
        password=TEST_PASSWORD,
    )
    client = Client(HTTP_AUTHORIZATION=basic("field_worker", issued.plaintext), **OPENROSA)
    assert client.get("/collect/formList").status_code == 403


def test_another_users_resend_of_an_instance_adds_nothing(world, device):
    publish_visit(world)
    _post(device, instance_xml(photo="photo.jpg"))
    supervisor = Client(HTTP_AUTHORIZATION=basic("supervisor", device_token(world, "supervisor")), **OPENROSA)
    response = _post(supervisor, instance_xml(photo="photo.jpg"), ("photo.jpg", b"x", "image/jpeg"))
    assert response.status_code == 202
    assert not Attachment.objects.exists()
    assert Submission.objects.get().submitted_by == world.members["field_worker"].user


def test_basic_credentials_that_are_not_base64_are_a_challenge(world):
    client = Client(HTTP_AUTHORIZATION="Basic %%%", **OPENROSA)
    assert client.get("/collect/formList").status_code == 401
    client = Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"no-colon").decode(), **OPENROSA)
    assert client.get("/collect/formList").status_code == 401
