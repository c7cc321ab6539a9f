"""Small forms and a device for the collection tests."""

from __future__ import annotations

import base64

from ponleu.access.actors import actor_for_membership
from ponleu.accounts import services as account_services
from ponleu.collection import services
from ponleu.collection.standard_forms import StandardForm, choice, q, workbook
from ponleu.testing.world import TEST_PASSWORD

VISIT = StandardForm(
    form_id="visit",
    title=("ការចុះសួរ", "Visit", "Visite"),
    survey=(
        q("text", "note", "កំណត់ត្រា", "Note", "Note"),
        q("select_one yes_no", "seen", "បានជួប", "Seen", "Vu"),
        q("image", "photo", "រូបថត", "Photo", "Photo"),
    ),
    choices=(choice("yes_no", "yes", "បាទ", "Yes", "Oui"), choice("yes_no", "no", "ទេ", "No", "Non")),
)


def actor(membership):
    return actor_for_membership(membership, is_verified=True)


def publish_visit(world, *, version="1", encrypt=False, teams=None):
    admin = actor(world.members["org_admin"])
    uploaded = services.form_upload(actor=admin, data=workbook(VISIT, version=version), encrypt=encrypt)
    services.form_publish(
        actor=admin,
        form=uploaded.form,
        team_ids=[t.pk for t in (teams if teams is not None else [world.team_a])],
    )
    return uploaded


def device_token(world, key="field_worker") -> str:
    membership = world.members[key]
    issued = account_services.token_issue(
        actor=actor(membership),
        membership=membership,
        name="Phone",
        capabilities=["collection.submit"],
        password=TEST_PASSWORD,
    )
    return issued.plaintext


def basic(username: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()


def instance_xml(version: str = "1", instance_id: str = "uuid:0001", *, note="ok", photo="", deprecated=""):
    meta = f"<instanceID>{instance_id}</instanceID>" + (
        f"<deprecatedID>{deprecated}</deprecatedID>" if deprecated else ""
    )
    return (
        f'<data id="visit" version="{version}"><note>{note}</note><seen>yes</seen>'
        f"<photo>{photo}</photo><meta>{meta}</meta></data>"
    ).encode()
