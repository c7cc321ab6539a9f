"""Reads of scholarships: every one starts from ``visible_to`` (or ``actionable_by``), and every
page that names children writes one access event naming them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.audit import services as audit
from ponleu.early_warning.models import Flag
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.models import AcademicYear, Enrolment
from ponleu.education.selectors import calendar_for, current_year
from ponleu.registry.choices import IDPoorStatus
from ponleu.registry.models import HouseholdMember, Person

from .choices import ApplicationStatus, AwardStatus, PaymentStatus, ScholarshipAction
from .comparison import band_of, compare, tertile_cuts
from .eligibility import Facts
from .models import SCHOLARSHIPS_VIEW, Application, Award, Payment, Scheme
from .money import display_amount
from .schedule import Period, TermDates, periods

PERSON_TARGET = "registry.person"
_IDPOOR_RANK = {IDPoorStatus.LEVEL_1: 0, IDPoorStatus.LEVEL_2: 1, IDPoorStatus.NOT_POOR: 2}


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _get(queryset, pk):
    pk = _uuid(pk)
    if pk is None:
        raise queryset.model.DoesNotExist
    return queryset.get(pk=pk)


# --- eligibility facts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    facts: Facts
    enrolment_id: uuid.UUID | None


def facts_for(person: Person, *, hiv_affected: bool = False, orphan: bool = False) -> Known:
    """What the registry, education and early warning know of a child, for the eligibility rules.
    The caller has already reached ``person`` through ``visible_to``."""
    statuses = HouseholdMember.objects.filter(person=person).values_list(
        "household__idpoor_status", flat=True
    )
    idpoor = min(statuses, key=lambda s: _IDPOOR_RANK.get(s, 9), default="")
    enrolment = (
        Enrolment.objects.filter(person=person, status=EnrolmentStatus.ENROLLED)
        .select_related("school_class")
        .order_by("-enrolled_on")
        .first()
    )
    flagged = (
        bool(enrolment)
        and Flag.objects.filter(
            enrolment__person=person, school_class__year_id=enrolment.school_class.year_id
        ).exists()
    )
    return Known(
        Facts(
            idpoor_status=idpoor,
            hiv_affected=hiv_affected,
            orphan=orphan,
            functional_difficulty=person.has_functional_difficulty,
            grade=enrolment.school_class.grade if enrolment else None,
            risk_flag=flagged,
        ),
        enrolment.pk if enrolment else None,
    )


# --- schemes -------------------------------------------------------------------------------


def scheme_list(*, actor):
    return (
        Scheme.objects.visible_to(actor)
        .select_related("project")
        .annotate(
            active=Count("awards", filter=Q(awards__status=AwardStatus.ACTIVE), distinct=True),
        )
        .order_by("-opens_on", "name")
    )


def scheme_get(*, actor, scheme_id, capability: str = SCHOLARSHIPS_VIEW) -> Scheme:
    return _get(Scheme.objects.actionable_by(actor, capability).select_related("project"), scheme_id)


def application_get(*, actor, application_id, capability: str = SCHOLARSHIPS_VIEW) -> Application:
    return _get(
        Application.objects.actionable_by(actor, capability).select_related("scheme", "person"),
        application_id,
    )


def award_get(*, actor, award_id, capability: str = SCHOLARSHIPS_VIEW) -> Award:
    return _get(Award.objects.actionable_by(actor, capability).select_related("scheme", "person"), award_id)


def payment_get(*, actor, payment_id, capability: str = SCHOLARSHIPS_VIEW) -> Payment:
    return _get(
        Payment.objects.actionable_by(actor, capability).select_related(
            "award__scheme__project", "award__person", "year"
        ),
        payment_id,
    )


def years_of(scheme: Scheme) -> list[AcademicYear]:
    """The organisation's school years that overlap the scheme, oldest first."""
    return list(
        AcademicYear.objects.filter(
            organisation_id=scheme.organisation_id,
            starts_on__lte=scheme.closes_on,
            ends_on__gte=scheme.opens_on,
        ).order_by("starts_on")
    )


def year_get(*, scheme: Scheme, year_id) -> AcademicYear:
    pk = _uuid(year_id)
    if pk is None:
        raise AcademicYear.DoesNotExist
    return AcademicYear.objects.get(pk=pk, organisation_id=scheme.organisation_id)


def term_dates(year: AcademicYear) -> list[TermDates]:
    return [TermDates(t.name, t.starts_on, t.ends_on) for t in year.terms.order_by("starts_on")]


def scheme_periods(scheme: Scheme, year: AcademicYear) -> list[Period]:
    """The periods of ``year`` the scheme pays, inside its own dates."""
    return [
        p
        for p in periods(calendar_for(year), term_dates(year), scheme.schedule)
        if p.ends_on >= scheme.opens_on and p.starts_on <= scheme.closes_on
    ]


@dataclass
class AwardRow:
    award: Award
    name: str
    linked: bool  # the member may open the child's scholarship page (and so see their id)


@dataclass
class PaymentRow:
    payment: Payment
    name: str


# Eligibility lines that state a health fact of the child or the household (HIV in the
# household, a disability): shown only beside a child the reader may see (not beside initials).
HEALTH_RULES = frozenset({"hiv_affected", "disability"})


def rules_shown(actor, application: Application) -> dict[str, bool]:
    """The application's eligibility lines as the actor may read them."""
    if can_see_identity(actor, application.person):
        return dict(application.eligibility)
    return {rule: ok for rule, ok in application.eligibility.items() if rule not in HEALTH_RULES}


@dataclass
class SchemePage:
    scheme: Scheme
    awards: list[AwardRow]
    pending: list[tuple[Application, str, dict]]  # (application, name, eligibility shown)
    payments: list[PaymentRow]
    years: list[AcademicYear]
    totals: dict = field(default_factory=dict)

    def shown(self, key: str) -> str:
        """A total of the ledger as a person reads it (dollars from cents, riel grouped)."""
        return display_amount(self.totals[key], self.totals["currency"])

    @property
    def paid_shown(self) -> str:
        return self.shown("paid")

    @property
    def remaining_shown(self) -> str:
        return self.shown("remaining")


def scheme_page(*, actor, scheme: Scheme, period_start=None) -> SchemePage:
    awards = list(
        Award.objects.visible_to(actor).filter(scheme=scheme).select_related("person").order_by("starts_on")
    )
    pending = list(
        Application.objects.visible_to(actor)
        .filter(scheme=scheme, status=ApplicationStatus.PENDING)
        .select_related("person")
    )
    payments = Payment.objects.visible_to(actor).filter(award__scheme=scheme).select_related("award__person")
    if period_start is not None:
        payments = payments.filter(period_start=period_start)
    else:
        latest = payments.order_by("-period_start").values_list("period_start", flat=True).first()
        payments = payments.filter(period_start=latest) if latest else payments.none()
    payment_list = list(payments.order_by("condition", "award__starts_on"))
    page = SchemePage(
        scheme=scheme,
        awards=[
            AwardRow(a, identity_label(actor, a.person), can_see_identity(actor, a.person)) for a in awards
        ],
        pending=[(app, identity_label(actor, app.person), rules_shown(actor, app)) for app in pending],
        payments=[PaymentRow(p, identity_label(actor, p.award.person)) for p in payment_list],
        years=years_of(scheme),
        totals=ledger_of(scheme),
    )
    ids = sorted(
        {str(a.person_id) for a in awards} | {str(app.person_id) for app, _name, _rules in page.pending}
    )
    audit.record_access(
        actor=actor,
        action=ScholarshipAction.SCHEME_VIEWED,
        target_type="scholarships.scheme",
        target_ids=[scheme.pk],
    )
    if ids:
        audit.record_access(
            actor=actor,
            action=ScholarshipAction.SCHEME_VIEWED,
            target_type=PERSON_TARGET,
            target_ids=ids,
            query=f"scheme={scheme.pk}",
        )
    return page


def periods_run(scheme: Scheme) -> list[tuple]:
    """(period_start, label) of the periods that have payments, newest first."""
    return list(
        Payment.objects.filter(award__scheme=scheme)
        .values_list("period_start", "period_label")
        .distinct()
        .order_by("-period_start")
    )


# --- the ledger ----------------------------------------------------------------------------


def ledger_of(scheme: Scheme) -> dict:
    """Budget, paid, due and withheld of one scheme, in its currency's smallest unit."""
    sums = Payment.objects.filter(award__scheme=scheme).aggregate(
        paid=Sum("amount", filter=Q(status=PaymentStatus.PAID)),
        due=Sum("amount", filter=Q(status=PaymentStatus.DUE)),
        withheld=Sum("amount", filter=Q(status=PaymentStatus.WITHHELD)),
        payments=Count("pk", filter=Q(status=PaymentStatus.PAID)),
    )
    paid = sums["paid"] or 0
    return {
        "currency": scheme.currency,
        "budget": scheme.budget,
        "paid": paid,
        "due": sums["due"] or 0,
        "withheld": sums["withheld"] or 0,
        "payments": sums["payments"],
        "remaining": scheme.budget - paid,
    }


@dataclass
class Ledger:
    project: object
    schemes: list[tuple[Scheme, dict]]
    totals: dict  # currency -> {budget, paid, due, withheld, remaining}


def project_ledger(*, actor, project) -> Ledger:
    """Each scheme of the project against its budget line, with totals per currency."""
    schemes = list(Scheme.objects.visible_to(actor).filter(project=project).order_by("name"))
    rows = [(scheme, ledger_of(scheme)) for scheme in schemes]
    totals: dict = {}
    for _scheme, row in rows:
        total = totals.setdefault(
            row["currency"], {"budget": 0, "paid": 0, "due": 0, "withheld": 0, "remaining": 0}
        )
        for key in total:
            total[key] += row[key]
    return Ledger(project, rows, totals)


# --- a child's scholarships ----------------------------------------------------------------


def person_get(*, actor, person_id) -> Person:
    """The child whose scholarships the actor may read: reached with ``scholarships.view`` by
    their own relationship (a break-the-glass grant opens the registry record, not this page)
    and seen in the registry."""
    return _get(
        Person.objects.visible_to(actor)
        .filter(merged_into__isnull=True)
        .filter(pk__in=Person.objects.actionable_by(actor, SCHOLARSHIPS_VIEW).values("pk")),
        person_id,
    )


def person_history(*, actor, person: Person) -> list[tuple[Award, list[Payment]]]:
    """The awards of one child the actor sees, each with its payments (for the person page)."""
    awards = list(
        Award.objects.visible_to(actor).filter(person=person).select_related("scheme").order_by("-starts_on")
    )
    payments: dict = {}
    for payment in Payment.objects.visible_to(actor).filter(award__in=awards).order_by("period_start"):
        payments.setdefault(payment.award_id, []).append(payment)
    audit.record_access(
        actor=actor,
        action=ScholarshipAction.HISTORY_VIEWED,
        target_type=PERSON_TARGET,
        target_ids=[str(person.pk)],
    )
    return [(award, payments.get(award.pk, [])) for award in awards]


# --- did children with a scholarship stay in school? ------------------------------------------


@dataclass
class Effectiveness:
    year: AcademicYear | None
    comparison: object
    flagged: int


def effectiveness(*, actor, year_id=None) -> Effectiveness:
    """Flagged children of a year, with and without a scholarship, compared within risk band and
    school (see comparison.py). Reads flags through ``visible_to`` (``ews.view_scores``)."""
    year = None
    if year_id:
        pk = _uuid(year_id)
        year = (
            AcademicYear.objects.filter(pk=pk, organisation_id=actor.organisation_id).first() if pk else None
        )
    year = year or current_year(actor.organisation_id)
    if year is None:
        return Effectiveness(None, compare({}), 0)
    flags = (
        Flag.objects.visible_to(actor)
        .filter(school_class__year=year)
        .order_by("opened_on")
        .values_list(
            "enrolment_id",
            "enrolment__person_id",
            "school_class__school_id",
            "probability",
            "index_score",
            "enrolment__status",
        )
    )
    first: dict = {}
    for enrolment_id, person_id, school_id, probability, index, status in flags:
        first.setdefault(
            enrolment_id, (person_id, school_id, probability if probability is not None else index, status)
        )
    holders = set(
        Award.objects.filter(
            person_id__in=[v[0] for v in first.values()],
            starts_on__lte=year.ends_on,
            ends_on__gte=year.starts_on,
        ).values_list("person_id", flat=True)
    )
    cuts = tertile_cuts([v[2] for v in first.values()])
    strata: dict = {}
    for person_id, school_id, score, status in first.values():
        key = (band_of(score, cuts), school_id)
        row = strata.setdefault(key, [0, 0, 0, 0])
        dropped = int(status == EnrolmentStatus.DROPPED_OUT)
        if person_id in holders:
            row[0] += 1
            row[1] += dropped
        else:
            row[2] += 1
            row[3] += dropped
    audit.record_access(
        actor=actor,
        action=ScholarshipAction.HISTORY_VIEWED,
        target_type="early_warning.flag",
        query=f"effectiveness year={year.pk} students={len(first)}",
    )
    return Effectiveness(year, compare(strata), len(first))
