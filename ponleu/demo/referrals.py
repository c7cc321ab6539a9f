"""The demo's referrals: every state, between the demo organisations and to outside services.

Each organisation refers children of its caseworkers' caseloads along the same stories
(``STORIES``): a draft still waiting for consent, a referral nobody has acknowledged for
twelve days, one declined, one completed and closed, one withdrawn by the worker, one whose
consent the family withdrew while it was open, an emergency sent under a legal exception a
supervisor approved… Referrals to another demo organisation go to its programme and are
worked by its supervisor (acknowledged, accepted into its own registry, the outcome
recorded); those to a health centre, a school or the office of social affairs are recorded
by the referring worker, as from the slip that came back.

Everything goes through the referral and consent services with the clock set to the day of
each step, so dates, due dates, audit rows and notices are the ones the app would have made.
Deterministic for a seed; with few children (a small world) the later stories are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.cases.choices import CaseStatus
from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.early_warning.models import Flag
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.referrals import selectors, services
from ponleu.referrals.choices import ReferralEvent, ReferralOrigin, ServiceType, Urgency
from ponleu.referrals.models import Provider, Referral
from ponleu.registry import services as registry_services
from ponleu.registry.models import HouseholdMember, Person

S, E = ServiceType, ReferralEvent
PARTNER = "partner"
# Who each demo organisation refers to on Ponleu (the programme of the other serves its provinces).
PARTNERS = {"sabay": "chetana", "chetana": "angkor-light", "angkor-light": "sabay"}
CONSENT_WITHDRAWN = "consent_withdrawn"
APPROVE = "approve_exception"


@dataclass(frozen=True)
class Story:
    to: str  # PARTNER or a service offered outside Ponleu
    steps: tuple[str, ...]  # events in order ("send" first), CONSENT_WITHDRAWN, APPROVE
    days_ago: int  # when the referral was drafted
    reason: str
    urgency: str = Urgency.ROUTINE
    legal_exception: str = ""


STORIES = (
    Story(
        S.PRIMARY_HEALTH,
        (),
        2,
        "គ្រុនក្ដៅមួយសប្ដាហ៍ មិនទាន់បានពិនិត្យ។ Fever for a week, not yet seen by a nurse.",
    ),
    Story(
        PARTNER,
        (E.SEND,),
        12,
        "គ្រួសារត្រូវការជំនួយ ម្ដាយទៅធ្វើការនៅថៃ។ The mother works in Thailand; the grandmother needs support.",
    ),
    Story(
        S.SOCIAL_ASSISTANCE,
        (E.SEND, E.ACKNOWLEDGE),
        20,
        "គ្រួសារក្រីក្រ គ្មានប័ណ្ណសមធម៌។ Poor household without an equity card: apply for IDPoor and cash support.",
    ),
    Story(
        PARTNER,
        (E.SEND, E.ACKNOWLEDGE, E.ACCEPT),
        8,
        "កុមារឈប់រៀន ហើយត្រូវការការគាំទ្រ។ Left school in grade 4; needs catch-up and a caring adult.",
        Urgency.URGENT,
    ),
    Story(
        PARTNER,
        (E.SEND, E.DECLINE),
        10,
        "សុំកន្លែងស្នាក់នៅ។ Asks for a place while the family is away.",
    ),
    Story(
        S.HOSPITAL_CARE,
        (E.SEND, E.ACKNOWLEDGE, E.ACCEPT, E.START_SERVICE),
        30,
        "ដំបៅជើងមិនជាសះ។ A leg wound that does not heal: needs a doctor.",
        Urgency.URGENT,
    ),
    Story(
        PARTNER,
        (E.SEND, E.ACKNOWLEDGE, E.ACCEPT, E.START_SERVICE, E.COMPLETE),
        70,
        "កុមារភ័យខ្លាច និងគេងមិនលក់។ Frightened and sleeping badly since the violence at home.",
    ),
    Story(
        S.SCHOOL_ENROLMENT,
        (E.SEND, E.ACCEPT, E.START_SERVICE, E.NOT_COMPLETE),
        90,
        "ចុះឈ្មោះចូលរៀនវិញ។ Back to school after two years working on a farm.",
    ),
    Story(
        S.DOCUMENTS,
        (E.SEND, E.ACKNOWLEDGE, E.ACCEPT, E.START_SERVICE, E.COMPLETE, E.CLOSE),
        140,
        "គ្មានសំបុត្រកំណើត។ No birth certificate: needed for school and IDPoor.",
    ),
    Story(
        PARTNER,
        (E.SEND, E.WITHDRAW),
        16,
        "សុំការគាំទ្រគ្រួសារ។ Family support after the father's accident.",
    ),
    Story(
        PARTNER,
        (E.SEND, E.ACKNOWLEDGE, CONSENT_WITHDRAWN),
        26,
        "កុមារត្រូវការការប្រឹក្សា។ Needs counselling after losing her mother.",
    ),
    Story(
        S.SHELTER,
        (APPROVE, E.SEND),
        1,
        "កុមាររងអំពើហិង្សាកាលពីយប់មិញ។ Beaten last night; the man who did it lives in the house.",
        Urgency.EMERGENCY,
        "imminent_danger",
    ),
)
OUTCOMES = {
    E.COMPLETE: (
        "បានទទួលសេវាគ្រប់គ្រាន់។ The service was given in full; the child is doing better.",
        "ម្ដាយថា អរគុណ កូនសប្បាយចិត្តជាងមុន។ The mother says thank you: the child is happier.",
    ),
    E.NOT_COMPLETE: (
        "កុមារមិនបានមករៀនបន្ទាប់ពីសប្ដាហ៍ទីមួយ។ Came for a week, then stopped coming.",
        "ឪពុកថា កូនត្រូវជួយការងារនៅចម្ការ។ The father says the child is needed on the farm.",
    ),
}
STEP_DATA = {
    E.DECLINE: {"decline_reason": "no_capacity", "decline_note": "ពេញ · No place until next month."},
    E.WITHDRAW: {"withdrawal_reason": "គ្រួសារផ្លាស់ទៅថៃ · The family moved to Thailand."},
}


def _moment(day: dt.date, hour: int, latest: dt.datetime) -> dt.datetime:
    """Nine o'clock and after on ``day``, never later than ``latest`` (the build's now)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), latest)


def _flag_of(child: Person) -> Flag | None:
    return (
        Flag.objects.filter(enrolment__person=child)
        .select_related("enrolment")
        .order_by("-opened_on")
        .first()
    )


def _partner_programme(short_name: str, organisations: dict) -> Provider | None:
    partner = organisations.get(PARTNERS.get(short_name, ""))
    if partner is None:
        return None
    return Provider.objects.filter(organisation=partner, is_active=True).first()


def _children(organisation, rng: random.Random, today: dt.date) -> list[Person]:
    """The organisation's children a caseworker holds, those with an open case first."""
    adult = dt.date(today.year - 18, today.month, min(today.day, 28))
    children = Person.objects.active().filter(
        organisation=organisation,
        kind="child",
        is_sensitive=False,
        owner__isnull=False,
        village__isnull=False,
        date_of_birth__gt=adult,
        date_of_birth__lt=today - dt.timedelta(days=365),
    )
    # Sorted here, not by the database: SQLite and PostgreSQL collate names differently.
    children = sorted(
        children,
        key=lambda p: (
            p.family_name_latin,
            p.given_name_latin,
            p.date_of_birth,
            p.area_code,
            p.given_name_km,
        ),
    )
    with_case = set(
        Case.objects.filter(person__in=children)
        .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.FOLLOW_UP])
        .values_list("person_id", flat=True)
    )
    first = [c for c in children if c.pk in with_case]
    rest = [c for c in children if c.pk not in with_case]
    rng.shuffle(first)
    rng.shuffle(rest)
    return first + rest


class _Referrer:
    """One organisation's referrals: its caseworkers send, its supervisor approves exceptions."""

    def __init__(self, organisation, members, partner_members, organisations, rng, today):
        self.organisation, self.rng = organisation, rng
        self.now = clock.now()
        self.today = today
        self.caseworkers = {
            m.user_id: actor_for_membership(m, is_verified=True) for m in members[Role.CASEWORKER]
        }
        self.supervisor = actor_for_membership(members[Role.SUPERVISOR][0], is_verified=True)
        self.receiver = (
            actor_for_membership(partner_members[Role.SUPERVISOR][0], is_verified=True)
            if partner_members
            else None
        )
        self.programme = _partner_programme(organisation.short_name, organisations)

    def provider_for(self, story: Story, child: Person) -> Provider | None:
        if story.to == PARTNER:
            if self.programme is None or self.receiver is None:
                return None
            return self.programme if selectors.provider_serves(self.programme, child.area_code) else None
        found = selectors.provider_search(service=story.to, commune=child.area_code[:6], limit=10)
        return next((p for p in found if p.organisation_id is None), None)

    def tell(self, story: Story, child: Person, provider: Provider) -> Referral:
        worker = self.caseworkers[child.owner_id]
        day = self.today - dt.timedelta(days=story.days_ago)
        hour = 9
        with clock.frozen(_moment(day, hour, self.now)):
            if not story.legal_exception:
                self.consent(worker, child, provider, day)
            # Most come from the child's case (one already open that day); the others from the
            # household's family support or straight from the registry.
            case = (
                Case.objects.filter(person=child, identified_on__lte=day)
                .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.FOLLOW_UP])
                .order_by("identified_on", "created_at")
                .first()
            )
            if self.rng.random() < 0.3:
                case = None
            household = HouseholdMember.objects.filter(person=child).select_related("household").first()
            origin = ReferralOrigin.CASE if case else ReferralOrigin.REGISTRY
            if case is None and household is not None and self.rng.random() < 0.6:
                origin = ReferralOrigin.HOUSEHOLD
            # A pupil flagged at risk of dropping out is referred back to school from the flag.
            flag = _flag_of(child) if story.to == S.SCHOOL_ENROLMENT else None
            if flag is not None:
                origin, case = ReferralOrigin.RISK_FLAG, None
            referral = services.referral_draft(
                actor=worker,
                person=child,
                provider=provider,
                service=story.to if story.to != PARTNER else self._partner_service(child),
                reason=story.reason,
                urgency=story.urgency,
                origin=origin,
                case=case,
                household=household.household if origin == ReferralOrigin.HOUSEHOLD else None,
                risk_flag=flag,
                legal_exception=story.legal_exception,
                legal_exception_note="ប៉ូលិសបានដឹង · The police post was told; the child is with a neighbour tonight."
                if story.legal_exception
                else "",
            )
        for step in story.steps:
            day = min(day + dt.timedelta(days=self.rng.randint(1, 4)), self.today)
            hour = min(hour + 1, 17)
            with clock.frozen(_moment(day, hour, self.now)):
                referral = self.step(referral, step, worker)
        return referral

    def _partner_service(self, child: Person) -> str:
        offered = sorted(self.programme.services.values_list("service", flat=True))
        return self.rng.choice(offered)

    def consent(self, worker, child: Person, provider: Provider, day: dt.date) -> None:
        recipient = (
            {"recipient": provider.organisation_id}
            if provider.organisation_id
            else {"recipient_kind": provider.kind}
        )
        registry_services.consent_record(
            actor=worker,
            person=child,
            data={
                "purpose": "share",
                "given_by": "caregiver",
                "given_by_name": f"{child.family_name_latin} (caregiver)".strip(),
                "given_on": day.isoformat(),
                "method": "signed_form",
                "child_assent": "given",
                **recipient,
            },
        )

    def step(self, referral: Referral, step: str, worker) -> Referral:
        version = referral.version
        if step == APPROVE:
            return services.referral_approve_exception(
                actor=self.supervisor, referral=referral, version=version
            )
        if step == E.SEND:
            return services.referral_send(
                actor=worker, referral=referral, version=version, send_key=uuid.uuid4()
            )
        if step == CONSENT_WITHDRAWN:
            services.referral_consent_withdraw(
                actor=worker,
                consent=referral.consent,
                reason="ម្ដាយលែងយល់ព្រម · The mother no longer wants the information shared.",
            )
            referral.refresh_from_db()
            return referral
        receiving = self.receiver if referral.receiver_id else worker
        if step == E.CLOSE or step == E.WITHDRAW:
            receiving = worker
        if step == E.ACCEPT and referral.receiver_id:
            return services.referral_accept(
                actor=receiving, referral=referral, version=version, create_new=True
            )
        data = STEP_DATA.get(step, {})
        if step in OUTCOMES:
            outcome, family_said = OUTCOMES[step]
            data = {"outcome": outcome, "family_said": family_said}
        return services.referral_move(
            actor=receiving, referral=referral, event=step, version=version, data=data
        )


def _open_partner_areas(organisations: dict, members_by_org: dict) -> None:
    """A programme takes referrals from a neighbour's provinces: the receiving supervisor works
    there too (they register the children they accept)."""
    for referring, receiving in PARTNERS.items():
        source, target = organisations.get(referring), members_by_org.get(receiving)
        if source is None or not target:
            continue
        supervisor = target[Role.SUPERVISOR][0]
        supervisor.areas.add(*AdminUnit.objects.filter(code__in=source.provinces.values("code")))


def populate(*, organisations: dict, members_by_org: dict, seed: int) -> list[Referral]:
    """The stories for each organisation (by short name, with its members by role)."""
    _open_partner_areas(organisations, members_by_org)
    today = clock.today()
    made = []
    for short_name, organisation in organisations.items():
        rng = random.Random(f"{seed}:referrals:{short_name}")
        referrer = _Referrer(
            organisation,
            members_by_org[short_name],
            members_by_org.get(PARTNERS.get(short_name, "")),
            organisations,
            rng,
            today,
        )
        children = [c for c in _children(organisation, rng, today) if c.owner_id in referrer.caseworkers]
        flagged = set(
            Flag.objects.filter(organisation=organisation).values_list("enrolment__person_id", flat=True)
        )
        for story in STORIES:
            # A flagged pupil goes back to school from the flag, when there is one.
            order = sorted(
                range(len(children)),
                key=lambda i: (story.to != S.SCHOOL_ENROLMENT or children[i].pk not in flagged, i),
            )
            for index in order:
                child = children[index]
                provider = referrer.provider_for(story, child)
                if provider is not None:
                    made.append(referrer.tell(story, children.pop(index), provider))
                    break
    return made
