"""Encrypted submissions: the phone's side written here from the ODK XForms encryption
specification (as ODK Collect does it), the server's side is Ponleu's."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ponleu.audit.models import AuditEvent
from ponleu.collection.choices import CollectionAction, SubmissionStatus
from ponleu.collection.models import Attachment, FormKey, Submission

from .helpers import basic, device_token, instance_xml, publish_visit

pytestmark = pytest.mark.django_db


def _public_key(form_xml: str):
    root = ElementTree.fromstring(form_xml.encode())
    element = next(el for el in root.iter() if el.tag.endswith("}submission"))
    der = base64.b64decode(element.get("base64RsaPublicKey"))
    return serialization.load_der_public_key(der)


def _rsa(public, data: bytes, mgf_hash) -> str:
    """Java's RSA/NONE/OAEPWithSHA256AndMGF1Padding (MGF1's hash as the provider chooses)."""
    return base64.b64encode(
        public.encrypt(data, OAEP(mgf=MGF1(algorithm=mgf_hash), algorithm=hashes.SHA256(), label=None))
    ).decode()


def encrypt_like_collect(
    form_xml: str,
    xml: bytes,
    media: dict[str, bytes],
    *,
    instance_id: str,
    mgf_hash=None,
    tamper: bool = False,
):
    """The manifest and the encrypted files ODK Collect would send for this instance."""
    public = _public_key(form_xml)
    mgf_hash = mgf_hash or hashes.SHA256()
    key = os.urandom(32)  # a random AES-256 key per record
    seed = bytearray(hashlib.md5(instance_id.encode() + key, usedforsecurity=False).digest())
    files, signed = {}, []
    for counter, (name, plain) in enumerate([*media.items(), ("submission.xml", xml)]):
        seed[counter % 16] = (seed[counter % 16] + 1) % 256  # one byte up before each file
        padder = padding.PKCS7(128).padder()  # "AES/CFB/PKCS5Padding": PKCS#7 on 16-byte blocks
        padded = padder.update(plain) + padder.finalize()
        encryptor = Cipher(algorithms.AES(key), modes.CFB(bytes(seed))).encryptor()
        files[f"{name}.enc"] = encryptor.update(padded) + encryptor.finalize()
        signed.append(f"{name}::{hashlib.md5(plain, usedforsecurity=False).hexdigest()}")
    wrapped = _rsa(public, key, mgf_hash)
    root = ElementTree.fromstring(form_xml.encode())
    primary = next(el for el in root.iter() if el.tag.endswith("}instance"))[0]
    form_id, version = primary.get("id"), primary.get("version")
    text = "\n".join([form_id, version, wrapped, instance_id, *signed]) + "\n"
    if tamper:
        text = text.replace("submission.xml::", "submission.xml::0")
    signature = _rsa(public, hashlib.md5(text.encode(), usedforsecurity=False).digest(), mgf_hash)
    media_xml = "".join(f"<media><file>{name}.enc</file></media>" for name in media)
    manifest = (
        f'<data xmlns="http://opendatakit.org/submissions" id="{form_id}" encrypted="yes" version="{version}">'
        f"<base64EncryptedKey>{wrapped}</base64EncryptedKey>"
        f"<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>{media_xml}"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature>"
        f'<meta xmlns="http://openrosa.org/xforms"><instanceID>{instance_id}</instanceID></meta></data>'
    ).encode()
    return manifest, files


def _send(client, manifest: bytes, files: dict[str, bytes]):
    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", manifest, "text/xml")}
    for index, (name, content) in enumerate(files.items()):
        data[f"f{index}"] = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post("/collect/submission", data, HTTP_X_OPENROSA_VERSION="1.0")


@pytest.fixture
def setup(world):
    version = publish_visit(world, encrypt=True)
    client = Client(HTTP_AUTHORIZATION=basic("field_worker", device_token(world)))
    return version, client


@pytest.mark.parametrize("mgf_hash", [hashes.SHA256(), hashes.SHA1()], ids=["android", "jdk"])  # noqa: S303
def test_a_submission_encrypted_as_odk_collect_does_is_decrypted(world, setup, mgf_hash):
    version, client = setup
    xml = instance_xml(instance_id="uuid:enc-1", note="ផ្ទះលេខ ៧", photo="photo.jpg")
    manifest, files = encrypt_like_collect(
        version.xml, xml, {"photo.jpg": b"\xff\xd8jpeg-bytes"}, instance_id="uuid:enc-1", mgf_hash=mgf_hash
    )
    assert b"jpeg-bytes" not in files["photo.jpg.enc"]
    response = _send(client, manifest, files)
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.encrypted
    assert submission.status == SubmissionStatus.RECEIVED
    assert submission.xml == xml.decode()
    (photo,) = Attachment.objects.filter(submission=submission)
    assert photo.name == "photo.jpg"
    with photo.file.open("rb") as handle:
        assert handle.read() == b"\xff\xd8jpeg-bytes"
    decrypted = AuditEvent.objects.get(action=CollectionAction.SUBMISSION_DECRYPTED)
    assert decrypted.target_id == str(submission.pk)


def test_the_form_carries_the_organisations_public_key_and_the_private_key_is_sealed(world, setup):
    version, _client = setup
    key = FormKey.objects.get(organisation=world.org)
    assert f'base64RsaPublicKey="{key.public_key}"' in version.xml
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM collection_formkey")
        (stored,) = cursor.fetchone()
    assert "PRIVATE KEY" not in stored
    assert key.private_key.startswith("-----BEGIN PRIVATE KEY-----")


def test_media_sent_before_the_manifest_completes_are_joined_then_decrypted(world, setup):
    version, client = setup
    xml = instance_xml(instance_id="uuid:enc-2", photo="photo.jpg")
    manifest, files = encrypt_like_collect(version.xml, xml, {"photo.jpg": b"jpeg"}, instance_id="uuid:enc-2")
    assert _send(client, manifest, {"submission.xml.enc": files["submission.xml.enc"]}).status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.INCOMPLETE
    assert _send(client, manifest, {"photo.jpg.enc": files["photo.jpg.enc"]}).status_code == 202
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.RECEIVED
    assert "uuid:enc-2" in submission.xml
    assert "base64EncryptedKey" not in submission.xml


def test_a_tampered_submission_is_kept_as_an_error_never_as_data(world, setup):
    version, client = setup
    manifest, files = encrypt_like_collect(
        version.xml, instance_xml(instance_id="uuid:enc-3"), {}, instance_id="uuid:enc-3", tamper=True
    )
    assert _send(client, manifest, files).status_code == 201
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.ERROR
    assert "signature" in submission.status_reason
    assert AuditEvent.objects.filter(action=CollectionAction.SUBMISSION_FAILED, target_id=str(submission.pk))
    assert not AuditEvent.objects.filter(action=CollectionAction.SUBMISSION_DECRYPTED)
    assert "base64EncryptedKey" in submission.xml  # still the manifest: nothing decrypted was kept


def test_a_plain_submission_to_an_encrypted_form_is_refused(world, setup):
    _version, client = setup
    response = client.post(
        "/collect/submission",
        {"xml_submission_file": SimpleUploadedFile("submission.xml", instance_xml(), "text/xml")},
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_submission_encrypted_for_another_key_is_an_error(world, setup):
    from ponleu.collection import odk_crypto

    version, client = setup
    stranger = odk_crypto.new_key_pair().public_b64
    foreign_form = version.xml.replace(FormKey.objects.get().public_key, stranger)
    manifest, files = encrypt_like_collect(
        foreign_form, instance_xml(instance_id="uuid:enc-4"), {}, instance_id="uuid:enc-4"
    )
    assert _send(client, manifest, files).status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.ERROR
