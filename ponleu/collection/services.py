"""Writes of the collection app: forms and their versions, publication, the organisation's
form key, and receiving submissions from phones (idempotent by instanceID)."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.organisations.models import Organisation, Team
from ponleu.registry.choices import Sex

from . import odk_crypto, xlsform
from .choices import Binding, CollectionAction, SubmissionStatus
from .models import Attachment, CollectionForm, FormKey, FormMedia, FormVersion, Submission

# What a phone may attach: photos, sound, video, signatures and documents; ``.enc`` files of
# an encrypted submission are checked again once decrypted.
ALLOWED_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".webp",
        ".gif",
        ".m4a",
        ".mp3",
        ".ogg",
        ".amr",
        ".aac",
        ".3gp",
        ".mp4",
        ".wav",
        ".csv",
        ".geojson",
        ".pdf",
        ".txt",
    }
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _require(actor, capability: str, scope: Scope = Scope.OWN) -> None:
    if actor.organisation_id is None or actor.scope_for(capability) < scope:
        raise PermissionDenied()


# --- the organisation's key ---------------------------------------------------------------------


@transaction.atomic
def form_key_for(*, actor, organisation: Organisation) -> FormKey:
    """The organisation's key pair, made on first use."""
    key = FormKey.objects.filter(organisation=organisation).first()
    if key is not None:
        return key
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    key = FormKey.objects.filter(organisation=organisation).first()
    if key is not None:
        return key
    pair = odk_crypto.new_key_pair()
    key = FormKey(organisation=organisation, public_key=pair.public_b64, private_key=pair.private_pem)
    key.save()
    audit.record(actor=actor, action=CollectionAction.KEY_CREATED, target=key)
    return key


# --- forms --------------------------------------------------------------------------------------


@transaction.atomic
def form_upload(*, actor, data: bytes, binding: str = "", encrypt: bool = True) -> FormVersion:
    """Compile an XLSForm and store it as a new version of its form (made on first upload).

    Raises ``xlsform.XLSFormInvalid`` with every problem placed by sheet, row and column.
    """
    _require(actor, "collection.manage", Scope.ORG)
    organisation = Organisation.objects.get(pk=actor.organisation_id)
    public_key = form_key_for(actor=actor, organisation=organisation).public_key if encrypt else None
    compiled = xlsform.compile_xlsform(data, public_key=public_key)
    form = (
        CollectionForm.objects.select_for_update()
        .filter(organisation=organisation, form_id=compiled.form_id)
        .first()
    )
    if form is None:
        form = CollectionForm.objects.create(
            organisation=organisation, form_id=compiled.form_id, title=compiled.title, binding=binding
        )
    elif form.versions.filter(version=compiled.version).exists():
        raise xlsform.XLSFormInvalid(
            [
                xlsform.Problem(
                    _("version %(version)s of this form is already uploaded; give the new one a new version.")
                    % {"version": compiled.version},
                    sheet="settings",
                    column="version",
                )
            ]
        )
    version = FormVersion.objects.create(
        form=form,
        version=compiled.version,
        title=compiled.title,
        source=data,
        xml=compiled.xml,
        md5=compiled.md5,
        encrypted=compiled.encrypted,
        created_by_id=actor.user_id,
    )
    before = form.current_version.version if form.current_version_id else None
    form.current_version = version
    form.title = compiled.title
    if binding:
        form.binding = binding
    form.save(update_fields=["current_version", "title", "binding"])
    audit.record(
        actor=actor,
        action=CollectionAction.FORM_UPLOADED,
        target=form,
        changes={"version": [before, version.version]},
    )
    return version


@transaction.atomic
def form_media_add(*, actor, version: FormVersion, filename: str, data: bytes) -> FormMedia:
    _require(actor, "collection.manage", Scope.ORG)
    if version.form.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    name = posixpath.basename(filename.replace("\\", "/"))
    media, _created = FormMedia.objects.update_or_create(
        version=version,
        filename=name,
        defaults={"data": data, "md5": hashlib.md5(data, usedforsecurity=False).hexdigest()},
    )
    audit.record(
        actor=actor,
        action=CollectionAction.FORM_MEDIA_ADDED,
        target=version.form,
        changes={"media": [None, f"{version.version}/{name}"], "md5": [None, media.md5]},
    )
    return media


@transaction.atomic
def form_publish(*, actor, form: CollectionForm, team_ids) -> CollectionForm:
    """Publish the form to these teams of the organisation (none: withdrawn from every phone)."""
    _require(actor, "collection.manage", Scope.ORG)
    if form.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    teams = list(Team.objects.filter(organisation_id=form.organisation_id, pk__in=list(team_ids)))
    if len(teams) != len(set(team_ids)):
        raise PermissionDenied()
    before = sorted(str(pk) for pk in form.teams.values_list("pk", flat=True))
    form.teams.set(teams)
    audit.record(
        actor=actor,
        action=CollectionAction.FORM_PUBLISHED,
        target=form,
        changes={"teams": [before, sorted(str(team.pk) for team in teams)]},
    )
    return form


# --- submissions --------------------------------------------------------------------------------


class SubmissionRefused(Exception):
    """A submission the server will not store; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Received:
    submission: Submission
    created: bool  # False: the instance was already here (a resend, or more of its attachments)


def _check_upload(upload: Upload, *, encrypted: bool) -> None:
    name = upload.name
    if encrypted and name.endswith(odk_crypto.ENCRYPTED_SUFFIX):
        name = name[: -len(odk_crypto.ENCRYPTED_SUFFIX)]
    extension = posixpath.splitext(name.lower())[1]
    if extension not in ALLOWED_EXTENSIONS and not (encrypted and name == odk_crypto.XML_NAME):
        raise SubmissionRefused(_("Files of this type cannot be attached: %(name)s") % {"name": upload.name})
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise SubmissionRefused(
            _("The file %(name)s is larger than 10 MB.") % {"name": upload.name}, status=413
        )


def _expected_files(instance: xlsform.Instance, version: FormVersion) -> list[str]:
    if instance.encrypted:
        return instance.files()
    wanted = xlsform.binary_paths(version.xml)
    names: list[str] = []

    def walk(element, prefix):
        path = f"{prefix}/{element.tag.rsplit('}', 1)[-1]}"
        if path in wanted and (element.text or "").strip():
            names.append(element.text.strip())
        for child in element:
            walk(child, path)

    walk(instance.root, "")
    return names


def _store_files(submission: Submission, uploads: list[Upload]) -> None:
    if not uploads and submission.status != SubmissionStatus.INCOMPLETE:
        return
    present = set(submission.attachments.values_list("name", flat=True))
    expected = set(submission.expected_files)
    for upload in uploads:
        if upload.name in present or upload.name not in expected:
            continue  # a file resent, or one the submission does not name
        attachment = Attachment(
            submission=submission, name=upload.name, content_type=upload.content_type, size=len(upload.data)
        )
        attachment.file.save("attachment", _content(upload.data), save=False)
        attachment.save()
        present.add(upload.name)
    if expected <= present and submission.status == SubmissionStatus.INCOMPLETE:
        submission.status = SubmissionStatus.RECEIVED
        submission.save(update_fields=["status"])


def _content(data: bytes):
    from django.core.files.base import ContentFile  # noqa: PLC0415 - only attachments need it

    return ContentFile(data)


def _form_for(actor, instance: xlsform.Instance) -> tuple[CollectionForm, FormVersion]:
    form = CollectionForm.objects.fillable_by(actor).filter(form_id=instance.form_id).first()
    if form is None:
        raise SubmissionRefused(_("This form is not one you may send."), status=404)
    version = form.versions.filter(version=instance.version).first()
    if version is None:
        raise SubmissionRefused(_("This version of the form is not known to the server."))
    if version.encrypted and not instance.encrypted:
        raise SubmissionRefused(_("This form's submissions must arrive encrypted."))
    if not instance.encrypted and not xlsform.matches_version(
        instance.root, xlsform.version_paths(version.xml)
    ):
        raise SubmissionRefused(_("The submission does not match its form version."))
    return form, version


def submission_receive(*, actor, device_token=None, xml: bytes, uploads: list[Upload]) -> Received:
    """Store a submission from a phone, once per instanceID, joining attachments sent later.

    Raises ``SubmissionRefused`` for what cannot be stored; nothing is half saved.
    """
    _require(actor, "collection.submit")
    try:
        instance = xlsform.read_instance(xml)
    except xlsform.InstanceInvalid as refused:
        raise SubmissionRefused(str(refused)) from None
    form, version = _form_for(actor, instance)
    for upload in uploads:
        _check_upload(upload, encrypted=instance.encrypted)
    try:
        with transaction.atomic():
            return _receive(actor, device_token, form, version, instance, xml, uploads)
    except IntegrityError:
        # Two posts of the same instance at once: the other one stored it; this one joins it.
        with transaction.atomic():
            return _receive(actor, device_token, form, version, instance, xml, uploads)


def _receive(actor, device_token, form, version, instance, xml: bytes, uploads) -> Received:
    existing = (
        Submission.objects.select_for_update().filter(form=form, instance_id=instance.instance_id).first()
    )
    if existing is not None:
        if existing.submitted_by_id == actor.user_id:
            _store_files(existing, uploads)
            _after_complete(actor, existing)
        return Received(existing, created=False)
    form_teams = set(form.teams.values_list("pk", flat=True))
    team_id = next((team for team in actor.team_ids if team in form_teams), None)
    expected = _expected_files(instance, version)
    submission = Submission(
        organisation_id=form.organisation_id,
        form=form,
        form_version=version,
        instance_id=instance.instance_id,
        deprecated_id=instance.deprecated_id,
        team_id=team_id,
        submitted_by_id=actor.user_id,
        device_token=device_token,
        xml=xml.decode("utf-8"),
        encrypted=instance.encrypted,
        expected_files=expected,
        status=SubmissionStatus.INCOMPLETE if expected else SubmissionStatus.RECEIVED,
    )
    submission.save()
    if instance.deprecated_id:
        replaced = Submission.objects.filter(
            form=form, instance_id=instance.deprecated_id, submitted_by_id=actor.user_id
        ).first()
        if replaced is not None:
            replaced.superseded_by = submission
            replaced.status = SubmissionStatus.SUPERSEDED
            replaced.save(update_fields=["superseded_by", "status"])
    audit.record(
        actor=actor,
        action=CollectionAction.SUBMISSION_EDITED
        if instance.deprecated_id
        else CollectionAction.SUBMISSION_RECEIVED,
        target=submission,
        changes={"form": [None, form.form_id], "version": [None, version.version]},
    )
    _store_files(submission, uploads)
    _after_complete(actor, submission)
    return Received(submission, created=True)


def _after_complete(actor, submission: Submission) -> None:
    """Once every file is here: decrypt an encrypted submission, then save a bound form's."""
    if submission.status != SubmissionStatus.RECEIVED:
        return
    if submission.encrypted and "base64EncryptedKey" in submission.xml:
        _decrypt(actor, submission)
    _enqueue_processing(actor, submission)


def _decrypt(actor, submission: Submission) -> None:
    instance = xlsform.read_instance(submission.xml.encode())
    root = instance.root

    def text(name: str) -> str:
        return next(((el.text or "").strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == name), "")

    media = tuple(
        (el.text or "").strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "file" and el.text
    )
    manifest = odk_crypto.Manifest(
        form_id=instance.form_id,
        version=instance.version,
        instance_id=instance.instance_id,
        wrapped_key=text("base64EncryptedKey"),
        media=media,
        xml_file=text("encryptedXmlFile"),
        signature=text("base64EncryptedElementSignature"),
    )
    key = FormKey.objects.get(organisation_id=submission.organisation_id)
    attachments = {item.name: item for item in submission.attachments.all()}
    files = {}
    for name, item in attachments.items():
        with item.file.open("rb") as handle:
            files[name] = handle.read()
    try:
        xml, plain_media = odk_crypto.decrypt_submission(key.private_key, manifest, files)
        plain_instance = xlsform.read_instance(xml)
    except (odk_crypto.DecryptionFailed, xlsform.InstanceInvalid) as failed:
        _failed(actor, submission, str(failed))  # both raise translated messages
        return
    if plain_instance.instance_id != submission.instance_id or not xlsform.matches_version(
        plain_instance.root, xlsform.version_paths(submission.form_version.xml)
    ):
        _failed(actor, submission, _("The decrypted submission does not match its form version."))
        return
    for item in attachments.values():
        item.file.delete(save=False)
        item.delete()
    for name, data in plain_media.items():
        attachment = Attachment(
            submission=submission, name=name, content_type="application/octet-stream", size=len(data)
        )
        attachment.file.save("attachment", _content(data), save=False)
        attachment.save()
    submission.xml = xml.decode("utf-8")
    submission.expected_files = sorted(plain_media)
    submission.save(update_fields=["xml", "expected_files"])
    audit.record(
        actor=actor,
        action=CollectionAction.SUBMISSION_DECRYPTED,
        target=submission,
        changes={"files": [None, len(plain_media)]},
    )


# --- what a submission becomes ------------------------------------------------------------------

JOB_KIND = "collection.process"


def _enqueue_processing(actor, submission: Submission) -> None:
    """A complete submission of a bound form is saved into the registry by a job."""
    if submission.status != SubmissionStatus.RECEIVED or not submission.form.binding:
        return
    from ponleu.jobs import services as jobs  # noqa: PLC0415 - only bound forms start a job

    from .tasks import submission_process_task  # noqa: PLC0415 - the task imports this module

    job = jobs.job_create(actor=actor, kind=JOB_KIND, capability="collection.submit")
    transaction.on_commit(lambda: submission_process_task.enqueue(str(job.pk), str(submission.pk)))


def submission_process_run(*, job_id, submission_id) -> None:
    from ponleu.jobs import services as jobs  # noqa: PLC0415

    def work(job, actor):
        with transaction.atomic():
            submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
            if submission is None or submission.status != SubmissionStatus.RECEIVED:
                return {}
            submission_process(actor=actor, submission=submission)
            return {"submission": str(submission.pk), "status": submission.status}

    jobs.job_run(
        job_id=job_id,
        kind=JOB_KIND,
        work=work,
        refused=_("The person who sent this form may no longer register people."),
    )


@dataclass(frozen=True)
class Registrant:
    names: dict
    sex: str
    date_of_birth: str
    relationship: str


def _text(root, name: str) -> str:
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == name:
            return (element.text or "").strip()
    return ""


def _names(full: str) -> dict:
    family, _sep, given = full.strip().partition(" ")
    return {"family_name_km": family, "given_name_km": given.strip()}


def household_registration(xml: str) -> tuple[dict, list[Registrant], str]:
    """The household, its people and the phone in a household registration submission."""
    root = xlsform.read_instance(xml.encode()).root
    people = [
        Registrant(
            names=_names(_text(root, "head_name")),
            sex=_text(root, "head_sex"),
            date_of_birth=_text(root, "head_birth_date"),
            relationship="head",
        )
    ]
    for member in (el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "members"):
        people.append(
            Registrant(
                names=_names(_text(member, "member_name")),
                sex=_text(member, "member_sex"),
                date_of_birth=_text(member, "member_birth_date"),
                relationship="other",
            )
        )
    return {"village": _text(root, "village_code")}, people, _text(root, "phone")


def child_registration(xml: str) -> tuple[Registrant, str]:
    """The child and their village in a child registration submission."""
    root = xlsform.read_instance(xml.encode()).root
    child = Registrant(
        names=_names(_text(root, "child_name")),
        sex=_text(root, "child_sex"),
        date_of_birth=_text(root, "birth_date"),
        relationship="",
    )
    return child, _text(root, "village_code")


def submission_process(*, actor, submission: Submission) -> Submission:
    """Save a bound form's submission: search first; likely duplicates wait for review,
    otherwise what it describes is registered through the registry's services."""
    if submission.form.binding == Binding.CHILD_REGISTRATION:
        return _child_process(actor, submission)
    if submission.form.binding == Binding.HOME_VISIT:
        return _home_visit_process(actor, submission)
    return _household_process(actor, submission)


def home_visit(xml: str) -> dict:
    """The case, the day and what was seen in a home visit submission."""
    root = xlsform.read_instance(xml.encode()).root
    return {
        name: _text(root, name)
        for name in ("case_reference", "visit_date", "child_seen", "concerns", "notes")
    }


def _case_for(actor, reference: str):
    """The case one may see with this reference: its id, or its MoSVY case number when one
    case alone has it."""
    import uuid  # noqa: PLC0415

    from ponleu.cases.models import Case  # noqa: PLC0415

    cases = Case.objects.visible_to(actor)
    try:
        return cases.filter(pk=uuid.UUID(reference)).first()
    except ValueError:
        found = list(cases.filter(mosvy_number=reference)[:2]) if reference else []
        return found[0] if len(found) == 1 else None


def _home_visit_process(actor, submission: Submission) -> Submission:
    """A home visit becomes a note on a case the sender may work on, through the cases app."""
    from ponleu.cases.choices import InteractionType  # noqa: PLC0415
    from ponleu.cases.services.contact import note_add  # noqa: PLC0415

    visit = home_visit(submission.xml)
    case = _case_for(actor, visit["case_reference"])
    if case is None:
        return _failed(actor, submission, _("No case you may work on has this reference."))
    try:
        with transaction.atomic():
            note = note_add(
                actor=actor,
                case=case,
                interaction=InteractionType.HOME_VISIT,
                happened_on=_date(visit["visit_date"]),
                observations="\n\n".join(filter(None, [visit["notes"], visit["concerns"]])),
                present=_("the child") if visit["child_seen"] == "yes" else "",
            )
    except (ValidationFailed, PermissionDenied) as refused:
        return _refused(actor, submission, refused)
    return _settled(actor, submission, CollectionAction.SUBMISSION_PROCESSED, case_note=note)


def _likely(actor, people, village: str, phone: str) -> list[str]:
    """Ids of the people already registered that these people may be ("hidden": one the
    actor may not see)."""
    from ponleu.registry.selectors.search import person_matches  # noqa: PLC0415

    found: set[str] = set()
    for person in people:
        matches = person_matches(
            actor=actor,
            names=person.names,
            date_of_birth=_date(person.date_of_birth),
            village_code=village,
            phone=phone if person.relationship == "head" else "",
        )
        found |= {str(candidate.person.pk) for candidate in matches.candidates}
        if matches.hidden:
            found.add("hidden")
    return sorted(found)


def _to_review(actor, submission: Submission, found: list[str]) -> Submission:
    before = submission.status
    submission.status = SubmissionStatus.REVIEW
    submission.likely_matches = found
    submission.save(update_fields=["status", "likely_matches"])
    audit.record(
        actor=actor,
        action=CollectionAction.SUBMISSION_TO_REVIEW,
        target=submission,
        changes={"status": [before, submission.status], "likely_matches": [None, len(found)]},
    )
    return submission


def _child_process(actor, submission: Submission) -> Submission:
    child, village = child_registration(submission.xml)
    found = _likely(actor, [child], village, "")
    if found:
        return _to_review(actor, submission, found)
    return _register_child(actor, submission, child, village)


def _refused(actor, submission: Submission, refused) -> Submission:
    """The registry refused what the submission describes: the reason in the sender's words
    (the job runs in their language), each field by its label, never the exception's text."""
    details = [
        _("%(field)s: %(problem)s") % {"field": _field_label(field), "problem": " ".join(map(str, messages))}
        for field, messages in (refused.errors or {}).items()
    ]
    return _failed(actor, submission, " ".join([str(refused.message), *details]))


def _field_label(field: str) -> str:
    """A registry field's label in the reader's language (its name if it has none)."""
    from django.core.exceptions import FieldDoesNotExist  # noqa: PLC0415

    from ponleu.registry.models import Person  # noqa: PLC0415 - only a refusal needs the labels

    try:
        return str(Person._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return _("the %(field)s field") % {"field": field.replace("_", " ")}


def _failed(actor, submission: Submission, reason: str) -> Submission:
    """The submission marked as an error with a reason a person can act on, audited (the
    reason itself is not copied into the audit row: it may quote what was typed)."""
    before = submission.status
    submission.status = SubmissionStatus.ERROR
    submission.status_reason = reason[:300]
    submission.save(update_fields=["status", "status_reason"])
    audit.record(
        actor=actor,
        action=CollectionAction.SUBMISSION_FAILED,
        target=submission,
        changes={"status": [before, submission.status]},
    )
    return submission


def _settled(actor, submission: Submission, action: str, **became) -> Submission:
    """The submission processed: it became ``became`` (its household or its person), audited."""
    submission.status = SubmissionStatus.PROCESSED
    for field, record in became.items():
        setattr(submission, field, record)
    submission.save(update_fields=["status", *became])
    audit.record(
        actor=actor,
        action=action,
        target=submission,
        changes={field: [None, str(record.pk)] for field, record in became.items()},
    )
    return submission


def _register_child(actor, submission: Submission, child: Registrant, village: str) -> Submission:
    from ponleu.registry.services.people import person_create  # noqa: PLC0415

    data = {**child.names, "sex": _sex(child.sex), "village": village, "kind": "child"}
    if child.date_of_birth:
        data["date_of_birth"] = child.date_of_birth
    try:
        with transaction.atomic():
            person = person_create(actor=actor, data=data)
    except (ValidationFailed, PermissionDenied) as refused:
        return _refused(actor, submission, refused)
    return _settled(actor, submission, CollectionAction.SUBMISSION_PROCESSED, person=person)


def _household_process(actor, submission: Submission) -> Submission:
    household_data, people, phone = household_registration(submission.xml)
    found = _likely(actor, people, household_data["village"], phone)
    if found:
        return _to_review(actor, submission, found)
    return _register(actor, submission, household_data, people, phone)


def _kind(person: Registrant) -> str:
    """The head is an adult; another member is a child under 18 (or of unknown age)."""
    if person.relationship == "head":
        return "adult"
    from ponleu.common import clock  # noqa: PLC0415
    from ponleu.registry.validators import age_on  # noqa: PLC0415

    age = age_on(_date(person.date_of_birth), clock.today())
    return "child" if age is None or age < 18 else "adult"


# The standard forms' sex choices by name, as the registry's codes: the registry also reads a
# label, but only in the language the job runs in (the sender's), so "female" failed in Khmer.
FORM_SEX = {"female": Sex.FEMALE, "male": Sex.MALE, "": Sex.UNKNOWN}


def _sex(text: str) -> str:
    return FORM_SEX.get(text.strip().casefold(), text)  # anything else: the registry refuses it


def _date(text: str):
    import datetime as dt  # noqa: PLC0415

    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _register(actor, submission: Submission, household_data, people, phone) -> Submission:
    from ponleu.registry.services.households import household_create  # noqa: PLC0415
    from ponleu.registry.services.people import person_create  # noqa: PLC0415

    try:
        with transaction.atomic():
            household = household_create(actor=actor, data=household_data)
            for person in people:
                data = {
                    **person.names,
                    "sex": _sex(person.sex),
                    "village": household_data["village"],
                    "kind": _kind(person),
                }
                if person.date_of_birth:
                    data["date_of_birth"] = person.date_of_birth
                person_create(
                    actor=actor,
                    data=data,
                    phones=[{"number": phone, "owner": "self"}]
                    if phone and person.relationship == "head"
                    else [],
                    household=household,
                    relationship=person.relationship,
                    is_primary_caregiver=person.relationship == "head",
                )
    except (ValidationFailed, PermissionDenied) as refused:
        return _refused(actor, submission, refused)
    return _settled(actor, submission, CollectionAction.SUBMISSION_PROCESSED, household=household)


@transaction.atomic
def review_register(*, actor, submission: Submission) -> Submission:
    """The reviewer finds no duplicate: register the household (or child) as sent."""
    _reviewable(actor, submission)
    if submission.form.binding == Binding.CHILD_REGISTRATION:
        child, village = child_registration(submission.xml)
        return _register_child(actor, submission, child, village)
    household_data, people, phone = household_registration(submission.xml)
    return _register(actor, submission, household_data, people, phone)


@transaction.atomic
def review_match(*, actor, submission: Submission, household) -> Submission:
    """The reviewer finds the household already registered: the submission is that household."""
    likely = _reviewable(actor, submission)
    if submission.form.binding == Binding.CHILD_REGISTRATION:
        raise Conflict()  # a child is matched to a person, never to a household
    if not household.members.filter(person_id__in=likely).exists():
        raise ValidationFailed(
            _("Choose one of the households the review proposed: this one holds none of the likely matches."),
            field="household",
        )
    return _settled(actor, submission, CollectionAction.SUBMISSION_MATCHED, household=household)


@transaction.atomic
def review_match_person(*, actor, submission: Submission, person) -> Submission:
    """The reviewer finds the child already registered: the submission is that person."""
    likely = _reviewable(actor, submission)
    if submission.form.binding != Binding.CHILD_REGISTRATION:
        raise Conflict()
    if str(person.pk) not in likely:
        raise ValidationFailed(
            _("Choose one of the children the review proposed: this one is not a likely match."),
            field="person",
        )
    return _settled(actor, submission, CollectionAction.SUBMISSION_MATCHED_PERSON, person=person)


def _reviewable(actor, submission: Submission) -> list[str]:
    """The reviewer may decide it, and nobody has: the row stays locked until the decision
    commits, so two reviewers at once cannot both register it. Returns the ids of the likely
    matches the search proposed, the only people (and their households) it may be matched to."""
    found = (
        Submission.objects.actionable_by(actor, "collection.review")
        .select_for_update()
        .filter(pk=submission.pk)
        .values_list("status", "likely_matches")
        .first()
    )
    if found is None:
        raise PermissionDenied()
    status, likely = found
    if status != SubmissionStatus.REVIEW:
        raise Conflict()
    return [pk for pk in likely or [] if pk != "hidden"]
