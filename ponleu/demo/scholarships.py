"""The demo's scholarships: Angkor Light runs two schemes on its project over both school years,
one paid in riel and one in dollars, every term, on condition of attendance.

Pupils enrolled in both years are nominated and approved by the project's manager (the
organisation's first supervisor), through the services, with the clock set to each step's day.
The previous year's two terms are run, checked against the roll calls and paid by bank
transfer, so some payments stay withheld for low attendance. The current year's first term is
left for the coordinator to run (the browser journey does, one scheme per viewport).

Each scheme's attendance condition is a round percentage set between its third and fourth
weakest holder's attendance in the current first term, so that running that term shows three
children below it. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import math
from contextlib import contextmanager

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.models import AcademicYear, Enrolment
from ponleu.organisations.choices import Role
from ponleu.programmes.models import Project
from ponleu.scholarships.choices import ApplicationSource, PaymentStatus
from ponleu.scholarships.conditions import attendance_by_person
from ponleu.scholarships.models import Payment
from ponleu.scholarships.services import awards as award_services
from ponleu.scholarships.services import payments as payment_services
from ponleu.scholarships.services import schemes as scheme_services

ORGANISATION = "angkor-light"
# name, kind, currency, amount per term (as typed), budget (as typed)
SCHEMES = (
    ("អាហារូបករណ៍សិស្សក្រីក្រ Poor Pupils' Scholarship", "cash", "KHR", "60000", "6000000"),
    ("អាហារូបករណ៍ដុល្លារ Sunrise Dollar Scholarship", "cash", "USD", "15.50", "2000"),
)
HOLDERS = 6  # per scheme: three below the condition in the current first term, three above
FAILING = 3


@contextmanager
def _on(day: dt.date):
    with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))):
        yield


def _threshold(percents: list) -> int | None:
    """A whole percentage above the third weakest and at most the fourth (None if they tie)."""
    ordered = sorted(percents)
    low, high = ordered[FAILING - 1], ordered[FAILING]
    value = math.floor(high)
    return value if value > low else None


def populate(*, organisation, members) -> dict:
    if organisation.short_name != ORGANISATION:
        return {}
    project = Project.objects.filter(organisation=organisation).order_by("created_at").first()
    supervisors = members.get(Role.SUPERVISOR, [])
    years = list(AcademicYear.objects.filter(organisation=organisation).order_by("starts_on"))
    if project is None or not supervisors or len(years) < 2:
        return {}
    previous, current = years[-2], years[-1]
    actor = actor_for_membership(supervisors[0], is_verified=True)
    first_term = current.terms.order_by("starts_on").first()
    # Pupils in both years, with registers in the current first term, weakest attendance first.
    both = set(
        Enrolment.objects.filter(organisation=organisation, school_class__year=previous).values_list(
            "person_id", flat=True
        )
    )
    candidates = sorted(
        Enrolment.objects.filter(
            organisation=organisation,
            school_class__year=current,
            status=EnrolmentStatus.ENROLLED,
            person_id__in=both,
        ).values_list("person_id", flat=True)
    )
    seen, _ = attendance_by_person(candidates, first_term.starts_on, first_term.ends_on)
    ranked = sorted(
        (p for p in candidates if p in seen and seen[p].percent is not None),
        key=lambda p: (seen[p].percent, str(p)),
    )
    counts: dict = {"schemes": 0, "awards": 0, "paid": 0, "withheld": 0}
    # Alternate the weakest pupils between the schemes, so each gets its share of them.
    shares = [ranked[index :: len(SCHEMES)][: HOLDERS - FAILING] for index in range(len(SCHEMES))]
    strong = [p for p in reversed(ranked) if all(p not in share for share in shares)]
    for index, (name, kind, currency, amount, budget) in enumerate(SCHEMES):
        holders = shares[index][:FAILING] + strong[index * FAILING : (index + 1) * FAILING]
        if len(holders) < HOLDERS:
            break
        condition = _threshold([seen[p].percent for p in holders])
        if condition is None:
            continue
        with _on(previous.starts_on):
            scheme = scheme_services.scheme_create(
                actor=actor,
                project=project,
                data={
                    "name": name,
                    "kind": kind,
                    "currency": currency,
                    "amount": amount,
                    "schedule": "termly",
                    "budget": budget,
                    "opens_on": previous.starts_on,
                    "closes_on": current.ends_on,
                    "idpoor_levels": ["level_1", "level_2"] if index == 0 else [],
                    "min_attendance_percent": condition,
                    "requires_promotion": index == 1,
                },
            )
            counts["schemes"] += 1
            for person_id in holders:
                application = award_services.application_make(
                    actor=actor, scheme=scheme, person_id=person_id, source=ApplicationSource.NOMINATION
                )
                award_services.application_decide(
                    actor=actor,
                    application=application,
                    version=application.version,
                    approve=True,
                    reason="គ្រួសារក្រីក្រ ផ្ទះឆ្ងាយពីសាលា · Poor family, far from school",
                    starts_on=previous.starts_on,
                    ends_on=current.ends_on,
                )
                counts["awards"] += 1
        for number, term in enumerate(previous.terms.order_by("starts_on")):
            day = term.ends_on + dt.timedelta(days=7)
            with _on(day):
                payment_services.payments_run(actor=actor, scheme=scheme, year=previous, term=number)
                due = list(
                    Payment.objects.filter(
                        award__scheme=scheme, period_start=term.starts_on, status=PaymentStatus.DUE
                    )
                )
                if due:
                    payment_services.payments_pay(
                        actor=actor,
                        payments=due,
                        channel="bank",
                        paid_on=day,
                        reference=f"ACLEDA-{term.starts_on:%Y%m}-{index + 1}",
                    )
        counts["paid"] += Payment.objects.filter(award__scheme=scheme, status=PaymentStatus.PAID).count()
        counts["withheld"] += Payment.objects.filter(
            award__scheme=scheme, status=PaymentStatus.WITHHELD
        ).count()
    return counts
