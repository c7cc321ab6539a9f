"""Reads of the collection app. Every id a request names is looked up through these."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from ponleu.audit import services as audit
from ponleu.registry.choices import DataCategory, PersonAction
from ponleu.registry.policies import export_cleared, exported_name

from .choices import CollectionAction, SubmissionStatus
from .models import CollectionForm, FormMedia, FormVersion, Submission
from .standard_forms import IDENTIFYING
from .xlsform import binary_paths, read_instance


def fillable_forms(*, actor):
    """Each with ``has_media``: whether its current version has media (a manifest to fetch),
    counted in the same query, whatever the number of forms."""
    return (
        CollectionForm.objects.fillable_by(actor)
        .select_related("current_version")
        .annotate(has_media=Exists(FormMedia.objects.filter(version_id=OuterRef("current_version_id"))))
        .order_by("title", "form_id")
    )


def fillable_version(*, actor, version_id) -> FormVersion:
    """A version of a form the actor may fill (any version: a phone may hold an older one).
    Which device fetched which form is recorded, as a read."""
    version = FormVersion.objects.select_related("form").get(
        pk=version_id, form__in=CollectionForm.objects.fillable_by(actor)
    )
    audit.record_access(
        actor=actor,
        action=CollectionAction.FORM_DOWNLOADED,
        target_type="collection.formversion",
        target_ids=[version.pk],
    )
    return version


def forms_visible(*, actor):
    return (
        CollectionForm.objects.visible_to(actor).select_related("current_version").prefetch_related("teams")
    )


def submissions_visible(*, actor):
    return Submission.objects.visible_to(actor).select_related("form", "form_version")


META_COLUMNS = ("instance_id", "form_version", "status", "received_at", "submitted_by")


def _leaves(element, prefix: str, row: dict) -> None:
    path = f"{prefix}/{element.tag.rsplit('}', 1)[-1]}"
    if len(element) == 0:
        text = (element.text or "").strip()
        row[path] = f"{row[path]} | {text}" if path in row else text  # a repeat's answers, joined
        return
    for child in element:
        _leaves(child, path, row)


def _people_behind(submissions) -> dict:
    """Submission id -> the registry people it became (its person, or its household's members)."""
    from ponleu.registry.models import HouseholdMember  # noqa: PLC0415 - only exports read the roster

    household_ids = {s.household_id for s in submissions if s.household_id}
    members: dict = {}
    for member in HouseholdMember.objects.filter(household_id__in=household_ids).select_related("person"):
        members.setdefault(member.household_id, []).append(member.person)
    return {
        s.pk: [s.person] if s.person_id else members.get(s.household_id, []) if s.household_id else []
        for s in submissions
    }


def _identity_categories(columns: list[str], versions) -> dict[str, str]:
    """Column path -> the consent category its answers identify a person by."""
    photos = set().union(*(binary_paths(version.xml) for version in versions))
    found = {}
    for path in columns:
        if path in photos:
            found[path] = DataCategory.PHOTO
        elif path.rsplit("/", 1)[-1] in IDENTIFYING:
            found[path] = IDENTIFYING[path.rsplit("/", 1)[-1]]
    return found


def submissions_export(*, actor, form: CollectionForm) -> tuple[list[str], list[list]]:
    """A form's submissions as a table (one column per question, repeats joined), only those
    the actor may see; replaced and encrypted-but-undecrypted ones are left out.

    Names, dates of birth, phones and photos of the people a submission became are written
    only where the registry's export rule (``may_export_identity``, asked for all at once through
    ``export_cleared``: identity and consent)
    allows it for every one of them; a submission not (yet) in the registry names nobody
    the rule could clear, so its identifying answers are left out. Names masked read as the
    registry masks them (``exported_name``) when the submission is one person."""
    rows_in = list(
        submissions_visible(actor=actor)
        .filter(form=form)
        .exclude(status__in=[SubmissionStatus.SUPERSEDED, SubmissionStatus.INCOMPLETE])
        .select_related("submitted_by", "person")
        .order_by("received_at")
    )
    columns: list[str] = []
    table = []
    for submission in rows_in:
        if "base64EncryptedKey" in submission.xml:
            continue
        answers: dict = {}
        _leaves(read_instance(submission.xml.encode()).root, "", answers)
        for path in answers:
            if path not in columns:
                columns.append(path)
        table.append((submission, answers))
    identifying = _identity_categories(columns, {s.form_version for s, _answers in table})
    people = _people_behind([s for s, _answers in table])
    everyone = list({p.pk: p for behind in people.values() for p in behind}.values())
    # The registry's rule for files, asked once per category for everyone in the file.
    cleared_for = {
        category: export_cleared(actor, everyone, categories=(category,))
        for category in set(identifying.values())
    }
    language = get_language()
    shown: set = set()
    rows = []
    for submission, answers in table:
        behind = people[submission.pk]
        cleared = {
            category for category, ids in cleared_for.items() if behind and all(p.pk in ids for p in behind)
        }
        if identifying:
            shown |= {p.pk for p in behind}
        cells = []
        for path in columns:
            value = answers.get(path, "")
            category = identifying.get(path)
            if category is not None and category not in cleared:
                single_name = category == DataCategory.BASIC and len(behind) == 1 and "name" in path
                value = (
                    exported_name(actor, behind[0], language, cleared=False) if single_name and value else ""
                )
            cells.append(value)
        rows.append(
            [
                submission.instance_id,
                submission.form_version.version,
                submission.status,
                submission.received_at.isoformat(timespec="seconds"),
                submission.submitted_by.username,
                *cells,
            ]
        )
    audit.record_access(
        actor=actor,
        action=CollectionAction.SUBMISSIONS_EXPORTED,
        target_type="collection.submission",
        target_ids=[submission.pk for submission, _answers in table],
    )
    if shown:
        # The people whose identity the file carries, as the registry's own export records them.
        audit.record_access(
            actor=actor,
            action=PersonAction.EXPORTED,
            target_type="registry.person",
            target_ids=sorted(shown, key=str),
        )
    headers = [*META_COLUMNS, *(path.split("/", 2)[-1] for path in columns)]
    return headers, rows
