"""The demo's scholarships: the browser tests' small world holds two schemes over two school
years, payments paid and withheld, and a first term left for the coordinator with three
children below each scheme's condition."""

from __future__ import annotations

from ponleu.access.actors import system_actor
from ponleu.education.models import AcademicYear
from ponleu.scholarships import selectors
from ponleu.scholarships.choices import PaymentStatus
from ponleu.scholarships.conditions import attendance_by_person
from ponleu.scholarships.models import Payment, Scheme


def the_small_world_has_two_schemes_with_payments_withheld():
    schemes = list(Scheme.objects.order_by("currency"))
    assert [s.currency for s in schemes] == ["KHR", "USD"]
    assert Payment.objects.filter(status=PaymentStatus.PAID).exists()
    assert Payment.objects.filter(status=PaymentStatus.WITHHELD).exists()
    for scheme in schemes:
        ledger = selectors.ledger_of(scheme)
        paid = sum(
            Payment.objects.filter(award__scheme=scheme, status="paid").values_list("amount", flat=True)
        )
        assert ledger["paid"] == paid
        year = AcademicYear.objects.filter(organisation=scheme.organisation).order_by("-starts_on").first()
        term = year.terms.order_by("starts_on").first()
        assert not Payment.objects.filter(award__scheme=scheme, year=year).exists()  # left for the journey
        people = list(scheme.awards.values_list("person_id", flat=True))
        seen, _ = attendance_by_person(people, term.starts_on, term.ends_on)
        below = [p for p in people if seen[p].percent < scheme.min_attendance_percent]
        assert len(below) == 3, (
            scheme.name,
            scheme.min_attendance_percent,
            [seen[p].percent for p in people],
        )
    assert selectors.scheme_list(actor=system_actor(schemes[0].organisation_id)).count() == 2
