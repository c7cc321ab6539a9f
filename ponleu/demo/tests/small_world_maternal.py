"""The demo's pregnancies: the browser tests' small world holds every stage, built through the
services by the midwife liaison."""

from __future__ import annotations

from ponleu.maternal.choices import PregnancyStatus
from ponleu.maternal.models import AntenatalVisit, FamilyPlanning, PostnatalVisit, Pregnancy
from ponleu.notifications.models import Notification
from ponleu.registry.models import HouseholdMember, Identifier


def the_small_world_follows_pregnancies_at_every_stage():
    pregnancies = Pregnancy.objects.select_related("person", "newborn")
    assert pregnancies.count() == 8
    assert {p.person.owner.username for p in pregnancies} == {"midwife.sabay"}
    assert len({p.person.village_id for p in pregnancies}) == 2
    by_status = {s: pregnancies.filter(status=s).count() for s in PregnancyStatus.values}
    assert by_status == {"ongoing": 4, "delivered": 3, "lost": 1}
    assert all(p.is_sensitive for p in pregnancies)
    # One overdue, one referred for danger signs (her worker alerted).
    from ponleu.common import clock

    assert sum(p.anc_overdue_on(clock.today()) for p in pregnancies) >= 1
    assert AntenatalVisit.objects.filter(referral__isnull=False).count() == 1
    assert Notification.objects.filter(recipient__username="midwife.sabay").exists()
    # Three newborns, each in their mother's household; one with a birth certificate.
    newborns = [p.newborn for p in pregnancies if p.newborn_id]
    assert len(newborns) == 3
    for pregnancy in pregnancies.filter(newborn__isnull=False):
        mother = HouseholdMember.objects.get(person=pregnancy.person)
        child = HouseholdMember.objects.get(person=pregnancy.newborn)
        assert mother.household_id == child.household_id
        assert child.relationship == "child"
    assert Identifier.objects.filter(person__in=newborns, type="birth_certificate").count() == 1
    assert PostnatalVisit.objects.count() == 6
    assert FamilyPlanning.objects.filter(method="implant", consent_given=True).count() == 1
    assert FamilyPlanning.objects.filter(method="", consent_given=False).count() == 1
