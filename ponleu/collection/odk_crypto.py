"""ODK's submission encryption (the ODK XForms encryption specification), server side.

The phone encrypts each file of a submission with one random AES-256 key in CFB mode with
PKCS#7 padding, each file with its own IV: the md5 of the instanceID and the key is the seed,
and before each file (media in the manifest's order, then the XML) one byte of the seed,
cycling, goes up by one. The key travels RSA-OAEP-wrapped (SHA-256) under the form's public
key in the submission manifest, with a signature: the md5 of the form id, version, wrapped
key, instanceID and each file's name and md5, wrapped the same way.

Java names the key wrapping "RSA/NONE/OAEPWithSHA256AndMGF1Padding"; Android's provider uses
SHA-256 in MGF1 too, the desktop JDK SHA-1, so both are accepted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils.translation import gettext as _

RSA_BITS = 2048
ENCRYPTED_SUFFIX = ".enc"
XML_NAME = "submission.xml"


class DecryptionFailed(Exception):
    pass


@dataclass(frozen=True)
class KeyPair:
    public_b64: str  # DER SubjectPublicKeyInfo, base64: what base64RsaPublicKey holds
    private_pem: str


def new_key_pair() -> KeyPair:
    private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(public_b64=base64.b64encode(public_der).decode("ascii"), private_pem=pem.decode("ascii"))


def oaep(mgf_hash: hashes.HashAlgorithm) -> OAEP:
    return OAEP(mgf=MGF1(algorithm=mgf_hash), algorithm=hashes.SHA256(), label=None)


def unwrap(private_pem: str, wrapped_b64: str) -> bytes:
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    try:
        wrapped = base64.b64decode(wrapped_b64, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionFailed(_("The wrapped key is not base64.")) from None
    for mgf_hash in (hashes.SHA256(), hashes.SHA1()):  # noqa: S303 - MGF1 of the desktop JDK's OAEP
        try:
            return private.decrypt(wrapped, oaep(mgf_hash))
        except ValueError:
            continue
    raise DecryptionFailed(_("The key was not wrapped with this organisation's public key."))


def iv_seed(instance_id: str, key: bytes) -> bytearray:
    digest = hashlib.md5(usedforsecurity=False)
    digest.update(instance_id.encode("utf-8"))
    digest.update(key)
    return bytearray(digest.digest())


def next_iv(seed: bytearray, counter: int) -> bytes:
    seed[counter % 16] = (seed[counter % 16] + 1) & 0xFF
    return bytes(seed)


def decrypt_file(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecryptionFailed(_("A file does not decrypt with the submission's key.")) from None


def signature_text(*, form_id: str, version: str, wrapped_key: str, instance_id: str, files) -> bytes:
    """``files``: (original name, plaintext) in the order they were encrypted."""
    parts = [form_id]
    if version:
        parts.append(version)
    parts += [wrapped_key, instance_id]
    parts += [f"{name}::{hashlib.md5(data, usedforsecurity=False).hexdigest()}" for name, data in files]
    return ("\n".join(parts) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Manifest:
    form_id: str
    version: str
    instance_id: str
    wrapped_key: str
    media: tuple[str, ...]  # encrypted names, in order
    xml_file: str
    signature: str


def decrypt_submission(private_pem: str, manifest: Manifest, files: dict[str, bytes]) -> tuple[bytes, dict]:
    """The plaintext XML and {original media name: plaintext} of an encrypted submission."""
    key = unwrap(private_pem, manifest.wrapped_key)
    if len(key) != 32:
        raise DecryptionFailed(_("The submission key is not an AES-256 key."))
    seed = iv_seed(manifest.instance_id, key)
    plain: list[tuple[str, bytes]] = []
    for counter, name in enumerate([*manifest.media, manifest.xml_file]):
        if name not in files:
            raise DecryptionFailed(_("A file named in the manifest is missing."))
        original = name[: -len(ENCRYPTED_SUFFIX)] if name.endswith(ENCRYPTED_SUFFIX) else name
        plain.append((original, decrypt_file(key, next_iv(seed, counter), files[name])))
    xml = plain[-1][1]
    if manifest.signature:
        expected = hashlib.md5(
            signature_text(
                form_id=manifest.form_id,
                version=manifest.version,
                wrapped_key=manifest.wrapped_key,
                instance_id=manifest.instance_id,
                files=[*plain[:-1], (XML_NAME, xml)],
            ),
            usedforsecurity=False,
        ).digest()
        if unwrap(private_pem, manifest.signature) != expected:
            raise DecryptionFailed(_("The submission's signature does not match its files."))
    return xml, dict(plain[:-1])
