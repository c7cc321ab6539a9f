"""Pregnancies and births: registering a pregnancy from the last period or the due date,
antenatal visits numbered in date order (a danger sign alerts her worker and offers a
referral through the referrals' own service), the birth, the newborn registered through the
registry's own services in the mother's household, postnatal visits, and family planning
recorded only as the woman consents. Each write is one transaction with its audit row; every
change to a pregnancy names the version it read (a stale one is a ``Conflict``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.notifications import services as notifications
from ponleu.notifications.choices import NotificationKind
from ponleu.referrals import services as referral_services
from ponleu.referrals.choices import DEFAULT_SHARED_FIELDS, FINAL_STATUSES, ReferralOrigin, Urgency
from ponleu.referrals.models import Provider, Referral
from ponleu.registry import services as registry_services
from ponleu.registry.choices import PersonKind, Relationship, Sex
from ponleu.registry.models import HouseholdMember, Person

from . import policies, selectors
from .choices import (
    ANC_COUNTED,
    ANC_DUE_WEEK,
    LONGEST_PREGNANCY_DAYS,
    POSTNATAL_DAYS,
    PREGNANCY_DAYS,
    BirthAttendant,
    BirthOutcome,
    BirthPlace,
    CarePlace,
    DangerSign,
    MaternalAction,
    PlanningMethod,
    PostnatalWindow,
    PregnancyStatus,
)
from .models import AntenatalVisit, FamilyPlanning, PostnatalVisit, Pregnancy

NOTE_LIMIT = 4000
RECORD = "maternal.record"
PREGNANCY_DAYS_DELTA = dt.timedelta(days=PREGNANCY_DAYS)
# Numbers a visit holds only inside one renumbering: a new visit waits at NEW_VISIT, the visits
# that move are parked above PARKED first, so no two ever hold one number at once.
NEW_VISIT = 30000
PARKED = 10000


def _text(value, limit: int = NOTE_LIMIT) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _date(value, *, field: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("This field is required."), field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_("Enter a valid date."), field=field) from None


def _not_in_future(value: dt.date | None, *, field: str) -> None:
    if value is not None and value > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field=field)


def _choice(value, choices, *, field: str, message: str, blank: bool = False) -> str:
    value = value or ""
    if (blank and value == "") or value in choices.values:
        return value
    raise ValidationFailed(message, field=field)


def _danger_signs(values) -> list[str]:
    signs = list(dict.fromkeys(values or []))
    wrong = [s for s in signs if s not in DangerSign.values]
    if wrong:
        raise ValidationFailed(_("Choose the danger signs from the list."), field="danger_signs")
    return [s for s in DangerSign.values if s in signs]


def _facility(value, *, field: str) -> Provider | None:
    try:
        return selectors.facility_get(value)
    except Provider.DoesNotExist:
        raise ValidationFailed(_("Choose a health facility from the directory."), field=field) from None


def _locked(actor, pregnancy: Pregnancy, version, *, ongoing: bool = False) -> Pregnancy:
    """The pregnancy, checked for ``maternal.record`` (and the sight of her health data),
    locked and claimed at ``version``."""
    if not policies.can_record(actor, pregnancy):
        raise PermissionDenied()
    pregnancy = Pregnancy.objects.select_for_update().select_related("person").get(pk=pregnancy.pk)
    claim_version(pregnancy, version)
    if ongoing and not pregnancy.is_ongoing:
        raise ValidationFailed(_("This pregnancy has ended: record the birth's follow-up instead."))
    return pregnancy


def _link(pregnancy: Pregnancy) -> str:
    return reverse("maternal:pregnancy_detail", kwargs={"pregnancy_id": pregnancy.pk})


# --- dates ------------------------------------------------------------------------------------


def due_date(last_period_on: dt.date) -> dt.date:
    """Naegele's rule: 280 days after the first day of the last period."""
    return last_period_on + PREGNANCY_DAYS_DELTA


def last_period(due_on: dt.date) -> dt.date:
    return due_on - PREGNANCY_DAYS_DELTA


def _dates(last_period_on, due_on) -> tuple[dt.date, dt.date]:
    """Either date given, the other computed; both given must agree."""
    last_period_on = _date(last_period_on, field="last_period_on", required=False)
    due_on = _date(due_on, field="due_on", required=False)
    if last_period_on is None and due_on is None:
        raise ValidationFailed(
            _("Give the first day of the last period or the estimated due date."), field="last_period_on"
        )
    if last_period_on is not None and due_on is not None and due_date(last_period_on) != due_on:
        raise ValidationFailed(
            _("The due date is 280 days after the last period: give one of them, or two that agree."),
            field="due_on",
        )
    if last_period_on is None:
        last_period_on = last_period(due_on)
    _not_in_future(last_period_on, field="last_period_on")
    if (clock.today() - last_period_on).days > LONGEST_PREGNANCY_DAYS:
        raise ValidationFailed(
            _("This last period is more than 44 weeks ago: record the birth instead."), field="last_period_on"
        )
    return last_period_on, due_date(last_period_on)


def next_anc_due(last_period_on: dt.date, visits_done: int) -> dt.date | None:
    """When the next of the first four antenatal contacts falls due; None after the fourth."""
    week = ANC_DUE_WEEK.get(visits_done + 1)
    return None if week is None else last_period_on + dt.timedelta(weeks=week)


def postnatal_window(born_on: dt.date, visited_on: dt.date) -> str:
    days = (visited_on - born_on).days
    for window, (first, last) in POSTNATAL_DAYS.items():
        if first <= days <= last:
            return window
    return PostnatalWindow.OTHER


# --- the pregnancy ----------------------------------------------------------------------------


def _birth_plan(planned_place, planned_facility) -> tuple[str, Provider | None]:
    place = _choice(
        planned_place,
        BirthPlace,
        field="planned_place",
        message=_("Choose a health facility or home."),
        blank=True,
    )
    facility = _facility(planned_facility, field="planned_facility")
    if facility is not None and place != BirthPlace.FACILITY:
        raise ValidationFailed(
            _("A facility is chosen only for a birth planned in a health facility."), field="planned_facility"
        )
    return place, facility


@transaction.atomic
def pregnancy_register(
    *,
    actor,
    person: Person,
    last_period_on=None,
    due_on=None,
    planned_place: str = "",
    planned_facility=None,
    note: str = "",
) -> Pregnancy:
    """Register a woman's pregnancy from the first day of her last period or the estimated due
    date (the other is computed). One ongoing pregnancy per woman; sensitive from the start."""
    if not actor.allows_object(RECORD, person):
        raise PermissionDenied()
    # Pregnancies of one woman are registered one at a time (PostgreSQL; SQLite serialises writers).
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_merged:
        raise Conflict(_("This record was merged into another one; record the pregnancy there."))
    if person.sex == Sex.MALE or (person.age is not None and person.age < 10):
        raise ValidationFailed(_("Choose a woman or a girl old enough to be pregnant."), field="person")
    last_period_on, due_on = _dates(last_period_on, due_on)
    place, facility = _birth_plan(planned_place, planned_facility)
    ended = Pregnancy.objects.filter(person=person, born_on__isnull=False).order_by("-born_on").first()
    if ended is not None and last_period_on <= ended.born_on:
        raise ValidationFailed(
            _("This last period is before the end of her previous pregnancy."), field="last_period_on"
        )
    if Pregnancy.objects.filter(person=person, status=PregnancyStatus.ONGOING).exists():
        raise ValidationFailed(_("She already has an ongoing pregnancy: continue that one."), field="person")
    pregnancy = Pregnancy(
        organisation_id=person.organisation_id,
        person=person,
        last_period_on=last_period_on,
        due_on=due_on,
        planned_place=place,
        planned_facility=facility,
        next_anc_due_on=next_anc_due(last_period_on, 0),
        note=_text(note),
        created_by_id=actor.user_id,
    )
    pregnancy.save(force_insert=True)
    audit.record(
        actor=actor,
        action=MaternalAction.PREGNANCY_REGISTERED,
        target=pregnancy,
        changes={
            "person": [None, str(person.pk)],
            "last_period_on": [None, last_period_on.isoformat()],
            "due_on": [None, due_on.isoformat()],
            "planned_place": [None, place],
        },
    )
    return pregnancy


PREGNANCY_FIELDS = ("last_period_on", "due_on", "planned_place", "planned_facility", "note")


@transaction.atomic
def pregnancy_update(*, actor, pregnancy: Pregnancy, version, data: dict) -> Pregnancy:
    """Correct the dates (either one, the other follows) or the birth plan of an ongoing
    pregnancy; only the keys given change."""
    unknown = sorted(set(data) - set(PREGNANCY_FIELDS))
    if unknown:
        raise ValidationFailed(errors={name: [_("This field cannot be changed.")] for name in unknown})
    pregnancy = _locked(actor, pregnancy, version, ongoing=True)
    before = {
        "last_period_on": pregnancy.last_period_on.isoformat(),
        "due_on": pregnancy.due_on.isoformat(),
        "planned_place": pregnancy.planned_place,
        "planned_facility": str(pregnancy.planned_facility_id or ""),
    }
    if "last_period_on" in data or "due_on" in data:
        given_lmp = data.get("last_period_on")
        given_due = data.get("due_on")
        if given_lmp in (None, "") and given_due in (None, ""):
            given_lmp = pregnancy.last_period_on
        pregnancy.last_period_on, pregnancy.due_on = _dates(given_lmp, given_due)
        first = AntenatalVisit.objects.filter(pregnancy=pregnancy).order_by("visited_on").first()
        if first is not None and first.visited_on < pregnancy.last_period_on:
            raise ValidationFailed(
                _("An antenatal visit was recorded before this last period."), field="last_period_on"
            )
    if "planned_place" in data or "planned_facility" in data:
        pregnancy.planned_place, pregnancy.planned_facility = _birth_plan(
            data.get("planned_place", pregnancy.planned_place),
            data.get("planned_facility", pregnancy.planned_facility_id),
        )
    if "note" in data:
        pregnancy.note = _text(data["note"])
    _renumber(pregnancy)
    pregnancy.save()
    after = {
        "last_period_on": pregnancy.last_period_on.isoformat(),
        "due_on": pregnancy.due_on.isoformat(),
        "planned_place": pregnancy.planned_place,
        "planned_facility": str(pregnancy.planned_facility_id or ""),
    }
    audit.record(
        actor=actor,
        action=MaternalAction.PREGNANCY_CHANGED,
        target=pregnancy,
        changes=audit.diff(before, after),
    )
    return pregnancy


# --- antenatal visits ---------------------------------------------------------------------------


def _renumber(pregnancy: Pregnancy) -> None:
    """Number the antenatal visits in date order (ANC1 the earliest), recompute each one's week
    of pregnancy and the next visit due. Numbers move in two steps so the unique (pregnancy,
    number) never sees two visits holding one number."""
    visits = list(AntenatalVisit.objects.filter(pregnancy=pregnancy).order_by("visited_on", "created_at"))
    changed = [
        v
        for i, v in enumerate(visits, start=1)
        if v.number != i or v.weeks != pregnancy.weeks_on(v.visited_on)
    ]
    for step in (PARKED, 0):
        for i, visit in enumerate(visits, start=1):
            if visit in changed:
                AntenatalVisit.objects.filter(pk=visit.pk).update(
                    number=step + i, weeks=max(pregnancy.weeks_on(visit.visited_on), 0)
                )
    pregnancy.anc_count = len(visits)
    pregnancy.next_anc_due_on = (
        next_anc_due(pregnancy.last_period_on, len(visits)) if pregnancy.is_ongoing else None
    )


def _alert(actor, pregnancy: Pregnancy, message: str) -> None:
    """Tell her worker (the woman's responsible worker, else whoever registered the pregnancy).
    The message names no one; the link leads to the page, where the identity rule decides."""
    recipient = pregnancy.person.owner_id or pregnancy.created_by_id
    if recipient is None:
        return
    user = get_user_model().objects.filter(pk=recipient, is_active=True).first()
    if user is None:
        return
    notifications.notify(
        recipients=[user],
        kind=NotificationKind.INFO,
        message=message,
        link=_link(pregnancy),
        organisation_id=pregnancy.organisation_id,
    )


@transaction.atomic
def anc_record(
    *,
    actor,
    pregnancy: Pregnancy,
    version,
    visited_on,
    place: str,
    facility=None,
    danger_signs=(),
    note: str = "",
) -> AntenatalVisit:
    """An antenatal contact. It takes its number from its date among the others (ANC1 the
    earliest); a danger sign alerts her worker, and the page offers a referral."""
    pregnancy = _locked(actor, pregnancy, version, ongoing=True)
    visited_on = _date(visited_on, field="visited_on")
    _not_in_future(visited_on, field="visited_on")
    if visited_on < pregnancy.last_period_on:
        raise ValidationFailed(_("The visit cannot be before the last period."), field="visited_on")
    place = _choice(place, CarePlace, field="place", message=_("Choose where the visit took place."))
    facility = _facility(facility, field="facility")
    signs = _danger_signs(danger_signs)
    visit = AntenatalVisit.objects.create(
        pregnancy=pregnancy,
        number=NEW_VISIT,
        visited_on=visited_on,
        weeks=max(pregnancy.weeks_on(visited_on), 0),
        place=place,
        facility=facility,
        danger_signs=signs,
        note=_text(note),
        recorded_by_id=actor.user_id,
    )
    _renumber(pregnancy)
    pregnancy.save(update_fields=["anc_count", "next_anc_due_on", "version"])
    visit.refresh_from_db(fields=["number", "weeks"])
    audit.record(
        actor=actor,
        action=MaternalAction.ANC_RECORDED,
        target=pregnancy,
        changes={
            "anc": [None, visit.number],
            "visited_on": [None, visited_on.isoformat()],
            "danger_signs": [None, signs],
        },
    )
    if signs:
        _alert(actor, pregnancy, _("A danger sign was recorded at an antenatal visit: she needs care today."))
    return visit


@transaction.atomic
def anc_refer(
    *,
    actor,
    visit: AntenatalVisit,
    version,
    provider,
    service: str,
    reason: str = "",
    urgency: str = Urgency.URGENT,
    shared_fields=DEFAULT_SHARED_FIELDS,
) -> Referral:
    """Refer the woman with a danger sign to a health service of the directory: a referral
    drafted by the referrals' own service, linked to the visit, sent from its own page where
    consent is checked."""
    pregnancy = _locked(actor, visit.pregnancy, version)
    visit = AntenatalVisit.objects.select_for_update().get(pk=visit.pk)
    if not visit.danger_signs:
        raise ValidationFailed(_("This visit recorded no danger sign to refer."), field="visit")
    if visit.referral_id is not None:
        current = Referral.objects.filter(pk=visit.referral_id).values_list("status", "reference").first()
        if current is not None and current[0] not in FINAL_STATUSES:
            raise ValidationFailed(
                _("She is already referred for this visit (%(reference)s).") % {"reference": current[1]},
                field="visit",
            )
    provider = _facility(provider, field="provider")
    if provider is None:
        raise ValidationFailed(_("Choose a health facility from the directory."), field="provider")
    signs = ", ".join(str(DangerSign(s).label) for s in visit.danger_signs)
    referral = referral_services.referral_draft(
        actor=actor,
        person=pregnancy.person,
        provider=provider,
        service=service,
        reason=_text(reason) or _("Danger sign in pregnancy: %(signs)s") % {"signs": signs},
        urgency=urgency,
        origin=ReferralOrigin.REGISTRY,
        shared_fields=shared_fields,
    )
    visit.referral = referral
    visit.save(update_fields=["referral"])
    pregnancy.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=MaternalAction.DANGER_REFERRED,
        target=pregnancy,
        changes={f"anc{visit.number}.referral": [None, referral.reference]},
    )
    return referral


# --- the birth and the newborn ------------------------------------------------------------------


@transaction.atomic
def birth_record(
    *,
    actor,
    pregnancy: Pregnancy,
    version,
    born_on,
    outcome: str,
    place: str = "",
    facility=None,
    attendant: str = "",
) -> Pregnancy:
    """The end of the pregnancy: a live birth or a stillbirth delivers it, a miscarriage loses
    it. Place and attendant are asked of every birth; the facility comes from the directory."""
    pregnancy = _locked(actor, pregnancy, version, ongoing=True)
    born_on = _date(born_on, field="born_on")
    _not_in_future(born_on, field="born_on")
    if born_on < pregnancy.last_period_on:
        raise ValidationFailed(_("The birth cannot be before the last period."), field="born_on")
    outcome = _choice(outcome, BirthOutcome, field="outcome", message=_("Choose the outcome of the birth."))
    is_birth = outcome != BirthOutcome.MISCARRIAGE
    place = _choice(
        place, BirthPlace, field="place", message=_("Choose a health facility or home."), blank=not is_birth
    )
    attendant = _choice(
        attendant,
        BirthAttendant,
        field="attendant",
        message=_("Choose who attended the birth."),
        blank=not is_birth,
    )
    facility = _facility(facility, field="facility")
    if place == BirthPlace.FACILITY and facility is None and is_birth:
        raise ValidationFailed(_("Choose the health facility from the directory."), field="facility")
    if place != BirthPlace.FACILITY:
        facility = None
    pregnancy.born_on = born_on
    pregnancy.outcome = outcome
    pregnancy.birth_place = place
    pregnancy.birth_facility = facility
    pregnancy.attendant = attendant
    pregnancy.status = PregnancyStatus.DELIVERED if is_birth else PregnancyStatus.LOST
    pregnancy.next_anc_due_on = None
    pregnancy.save()
    audit.record(
        actor=actor,
        action=MaternalAction.BIRTH_RECORDED,
        target=pregnancy,
        changes={
            "status": [PregnancyStatus.ONGOING, pregnancy.status],
            "born_on": [None, born_on.isoformat()],
            "outcome": [None, outcome],
            "birth_place": [None, place],
            "attendant": [None, attendant],
        },
    )
    return pregnancy


NEWBORN_FIELDS = ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin", "sex")


def _mother_household(actor, mother: Person):
    """The household the mother lives in, or a new one with her as its primary caregiver."""
    member = (
        HouseholdMember.objects.filter(person=mother)
        .select_related("household")
        .order_by("created_at")
        .first()
    )
    if member is not None:
        return member.household
    household = registry_services.household_create(actor=actor, data={"village": mother.village_id or ""})
    registry_services.household_member_add(
        actor=actor,
        household=household,
        person=mother,
        relationship=Relationship.MOTHER,
        is_primary_caregiver=True,
    )
    return household


@transaction.atomic
def newborn_register(*, actor, pregnancy: Pregnancy, version, data: dict) -> Person:
    """Register the newborn of a live birth as a child in the registry (the registry's own
    service: search keys, audit, the village's scope), born on the day of the birth, in the
    mother's household as her child: the mother–child link."""
    unknown = sorted(set(data) - set(NEWBORN_FIELDS))
    if unknown:
        raise ValidationFailed(errors={name: [_("This field cannot be changed.")] for name in unknown})
    pregnancy = _locked(actor, pregnancy, version)
    if pregnancy.outcome != BirthOutcome.LIVE_BIRTH:
        raise ValidationFailed(_("Record a live birth first."), field="outcome")
    if pregnancy.newborn_id is not None:
        raise ValidationFailed(_("The newborn is already registered."), field="newborn")
    mother = pregnancy.person
    household = _mother_household(actor, mother)
    values = {name: data.get(name, "") for name in NEWBORN_FIELDS}
    values.update(
        kind=PersonKind.CHILD,
        date_of_birth=pregnancy.born_on,
        village=mother.village_id or "",
        is_sensitive=mother.is_sensitive,
    )
    child = registry_services.person_create(
        actor=actor, data=values, household=household, relationship=Relationship.CHILD
    )
    pregnancy.newborn = child
    pregnancy.save(update_fields=["newborn", "version"])
    audit.record(
        actor=actor,
        action=MaternalAction.NEWBORN_REGISTERED,
        target=pregnancy,
        changes={"newborn": [None, str(child.pk)], "household": [None, str(household.pk)]},
    )
    return child


@transaction.atomic
def pnc_record(
    *, actor, pregnancy: Pregnancy, version, visited_on, place: str, danger_signs=(), note: str = ""
) -> PostnatalVisit:
    """A postnatal contact after a birth; its window (48 hours, day 3 to 7, 6 weeks) is counted
    from the birth. A danger sign alerts her worker."""
    pregnancy = _locked(actor, pregnancy, version)
    if pregnancy.status != PregnancyStatus.DELIVERED:
        raise ValidationFailed(_("Record the birth first."), field="visited_on")
    visited_on = _date(visited_on, field="visited_on")
    _not_in_future(visited_on, field="visited_on")
    if visited_on < pregnancy.born_on:
        raise ValidationFailed(_("The visit cannot be before the birth."), field="visited_on")
    place = _choice(place, CarePlace, field="place", message=_("Choose where the visit took place."))
    signs = _danger_signs(danger_signs)
    visit = PostnatalVisit.objects.create(
        pregnancy=pregnancy,
        visited_on=visited_on,
        window=postnatal_window(pregnancy.born_on, visited_on),
        place=place,
        danger_signs=signs,
        note=_text(note),
        recorded_by_id=actor.user_id,
    )
    pregnancy.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=MaternalAction.PNC_RECORDED,
        target=pregnancy,
        changes={"visited_on": [None, visited_on.isoformat()], "window": [None, visit.window]},
    )
    if signs:
        _alert(actor, pregnancy, _("A danger sign was recorded at a postnatal visit: she needs care today."))
    return visit


# --- family planning ----------------------------------------------------------------------------


@transaction.atomic
def planning_record(
    *,
    actor,
    pregnancy: Pregnancy,
    version,
    counselled_on,
    consent_given: bool,
    method: str = "",
    note: str = "",
) -> FamilyPlanning:
    """Family planning counselling given to the woman; the method she chose is recorded only
    when she agrees to it being recorded, and refused otherwise (nothing saved)."""
    pregnancy = _locked(actor, pregnancy, version)
    counselled_on = _date(counselled_on, field="counselled_on")
    _not_in_future(counselled_on, field="counselled_on")
    consent_given = consent_given is True
    method = _choice(
        method, PlanningMethod, field="method", message=_("Choose a method from the list."), blank=True
    )
    if method and not consent_given:
        raise ValidationFailed(
            _("The method is recorded only if she agrees: tick her agreement or leave the method empty."),
            field="method",
        )
    record = FamilyPlanning.objects.create(
        organisation_id=pregnancy.organisation_id,
        person=pregnancy.person,
        pregnancy=pregnancy,
        counselled_on=counselled_on,
        consent_given=consent_given,
        method=method,
        note=_text(note),
        recorded_by_id=actor.user_id,
    )
    pregnancy.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=MaternalAction.PLANNING_RECORDED,
        target=pregnancy,
        # The method itself stays out of the audit trail: it is hers to disclose.
        changes={"counselled_on": [None, counselled_on.isoformat()], "consent_given": [None, consent_given]},
    )
    return record


def anc_label(number: int) -> str:
    return f"ANC{number}" if number < ANC_COUNTED else f"ANC{ANC_COUNTED}+"
