"""A young person's profile: what they learnt, can do and want, and the documents they hold.
Only a registry person of 15 to 24 the worker reaches, with their consent recorded."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.employment.choices import YOUTH_AGES, DocumentKind, EducationLevel, EmploymentAction
from ponleu.employment.models import YouthDocument, YouthProfile
from ponleu.programmes.services.base import acting, choice, date, past, require_place, text, visible_person

from .base import RECORD, free_words, skills

FIELDS = ("education", "skills", "other_skills", "interests", "consent_on")


def _youth_age(person) -> None:
    age = person.age_on(clock.today())
    if age is None or not YOUTH_AGES[0] <= age <= YOUTH_AGES[1]:
        raise ValidationFailed(
            _("Youth employment is for young people aged 15 to 24: check the date of birth."),
            field="person",
        )


def _values(*, education, skill_codes, other_skills, interests, consent_on) -> dict:
    return {
        "education": choice(education, EducationLevel, field="education"),
        "skills": skills(skill_codes),
        "other_skills": free_words(other_skills),
        "interests": text(interests, 500),
        "consent_on": past(consent_on, field="consent_on"),
    }


@transaction.atomic
def profile_create(
    *, actor, person_id, education, skill_codes=(), other_skills=(), interests="", consent_on
) -> YouthProfile:
    """A profile for a young person the worker reaches (once per organisation)."""
    person = visible_person(actor, person_id)
    require_place(actor, RECORD, person.area_code)
    if not can_see_identity(actor, person):
        raise PermissionDenied(
            _("Only a worker who may see who this young person is can open their profile.")
        )
    _youth_age(person)
    values = _values(
        education=education,
        skill_codes=skill_codes,
        other_skills=other_skills,
        interests=interests,
        consent_on=consent_on,
    )
    if YouthProfile.objects.filter(organisation_id=actor.organisation_id, person=person).exists():
        raise ValidationFailed(_("This young person already has a profile."), field="person")
    profile = YouthProfile(
        organisation_id=actor.organisation_id,
        person=person,
        team_id=person.team_id,
        owner_id=actor.user_id,
        **values,
    )
    try:
        with transaction.atomic():
            profile.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(_("This young person already has a profile."), field="person") from None
    audit.record(
        actor=actor,
        action=EmploymentAction.PROFILE_CREATED,
        target=profile,
        changes={k: [None, str(v)] for k, v in values.items()},
    )
    return profile


@transaction.atomic
def profile_update(
    *,
    actor,
    profile: YouthProfile,
    version,
    education,
    skill_codes=(),
    other_skills=(),
    interests="",
    consent_on,
) -> YouthProfile:
    profile = acting(actor, YouthProfile.objects, profile, RECORD)
    claim_version(profile, version)
    before = {k: str(getattr(profile, k)) for k in FIELDS}
    values = _values(
        education=education,
        skill_codes=skill_codes,
        other_skills=other_skills,
        interests=interests,
        consent_on=consent_on,
    )
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    after = {k: str(getattr(profile, k)) for k in FIELDS}
    audit.record(
        actor=actor,
        action=EmploymentAction.PROFILE_UPDATED,
        target=profile,
        changes={k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]},
    )
    return profile


@transaction.atomic
def document_add(*, actor, profile: YouthProfile, kind, number="", title="", issued_on=None) -> YouthDocument:
    profile = acting(actor, YouthProfile.objects, profile, RECORD)
    kind = choice(kind, DocumentKind, field="kind")
    number, title = text(number, 60), text(title, 200)
    if not (number or title):
        raise ValidationFailed(_("Give the document's number or title."), field="number")
    issued = date(issued_on, field="issued_on", required=False)
    if issued is not None and issued > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field="issued_on")
    document = YouthDocument.objects.create(
        profile=profile, kind=kind, number=number, title=title, issued_on=issued, recorded_by_id=actor.user_id
    )
    # The number identifies the person: the audit names the kind, not the number.
    audit.record(
        actor=actor,
        action=EmploymentAction.DOCUMENT_ADDED,
        target=profile,
        changes={"document": [None, kind]},
    )
    return document
