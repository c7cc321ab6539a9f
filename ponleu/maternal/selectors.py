"""Reading pregnancies, always through ``Pregnancy.objects.visible_to(actor)``; every read of a
pregnancy or of a list writes one access event in the request that serves it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.referrals import selectors as directory
from ponleu.referrals.choices import ServiceType
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.choices import IdentifierType
from ponleu.registry.models import Identifier, Person

from .choices import BirthOutcome, MaternalAction, PregnancyStatus
from .models import AntenatalVisit, FamilyPlanning, PostnatalVisit, Pregnancy

PREGNANCY_TARGET = "maternal.pregnancy"
PERSON_TARGET = "registry.person"
LIST_LIMIT = 200
# The directory services a woman with a danger sign is referred to, the first the usual one.
DANGER_SERVICES = (ServiceType.PRIMARY_HEALTH, ServiceType.HOSPITAL_CARE)


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def woman_get(*, actor, person_id, capability: str = "maternal.record") -> Person:
    """The woman, if the actor reaches her record with ``capability`` (DoesNotExist otherwise:
    missing, malformed, merged away and out of reach alike)."""
    pk = _uuid(person_id)
    if pk is None:
        raise Person.DoesNotExist
    return Person.objects.actionable_by(actor, capability).active().get(pk=pk)


def pregnancy_fetch(*, actor, pregnancy_id, capability: str = "maternal.view") -> Pregnancy:
    """One pregnancy the actor reaches with ``capability``, not yet recorded as read."""
    pk = _uuid(pregnancy_id)
    if pk is None:
        raise Pregnancy.DoesNotExist
    return (
        Pregnancy.objects.actionable_by(actor, capability)
        .select_related("person", "planned_facility", "birth_facility", "newborn")
        .get(pk=pk)
    )


def pregnancy_read(*, actor, pregnancy: Pregnancy) -> None:
    """One read of a pregnancy's page: the pregnancy, and the people it shows (the woman, the
    newborn), in one chain append."""
    people = [pregnancy.person_id] + ([pregnancy.newborn_id] if pregnancy.newborn_id else [])
    audit.record_accesses(
        actor=actor,
        reads=[
            audit.Read(MaternalAction.PREGNANCY_VIEWED, PREGNANCY_TARGET, [pregnancy.pk]),
            audit.Read(MaternalAction.PREGNANCY_VIEWED, PERSON_TARGET, people),
        ],
    )


def woman_read(*, actor, person: Person) -> None:
    """The registration form shows the woman's name: one read of her record."""
    audit.record_access(
        actor=actor, action=MaternalAction.WOMAN_VIEWED, target_type=PERSON_TARGET, target_ids=[person.pk]
    )


@dataclass
class PregnancyDetail:
    pregnancy: Pregnancy
    antenatal: list
    postnatal: list
    planning: list
    referrals: dict = field(default_factory=dict)  # referral id -> the referral, if visible
    has_birth_certificate: bool = False


def pregnancy_detail(*, actor, pregnancy_id) -> PregnancyDetail:
    """The pregnancy with its visits, the birth, the newborn, family planning and the
    referrals of its danger signs the actor may see; one access event names the pregnancy."""
    pregnancy = pregnancy_fetch(actor=actor, pregnancy_id=pregnancy_id)
    antenatal = list(AntenatalVisit.objects.filter(pregnancy=pregnancy).select_related("facility"))
    postnatal = list(PostnatalVisit.objects.filter(pregnancy=pregnancy))
    planning = list(FamilyPlanning.objects.filter(pregnancy=pregnancy))
    referral_ids = [v.referral_id for v in antenatal if v.referral_id]
    referrals = {
        r.pk: r
        for r in Referral.objects.visible_to(actor).filter(pk__in=referral_ids).select_related("provider")
    }
    certificate = pregnancy.newborn_id is not None and birth_certificate_recorded(pregnancy.newborn_id)
    pregnancy_read(actor=actor, pregnancy=pregnancy)
    return PregnancyDetail(
        pregnancy=pregnancy,
        antenatal=antenatal,
        postnatal=postnatal,
        planning=planning,
        referrals=referrals,
        has_birth_certificate=certificate,
    )


def birth_certificate_recorded(person_id) -> bool:
    return Identifier.objects.filter(person_id=person_id, type=IdentifierType.BIRTH_CERTIFICATE).exists()


def pregnancy_queryset(
    *, actor, status: str = PregnancyStatus.ONGOING, anc_overdue: bool = False, capability: str = ""
):
    """Pregnancies in the actor's reach, the nearest due date first (not yet recorded as read);
    ``status`` "" for every status; with ``anc_overdue``, the ongoing ones whose next antenatal
    visit is past due; with ``capability``, only those the actor may act on with it."""
    pregnancies = (
        Pregnancy.objects.actionable_by(actor, capability)
        if capability
        else Pregnancy.objects.visible_to(actor)
    )
    pregnancies = pregnancies.select_related("person__village__parent__parent__parent")
    if anc_overdue:
        status = PregnancyStatus.ONGOING
        pregnancies = pregnancies.filter(next_anc_due_on__lt=clock.today())
    if status:
        pregnancies = pregnancies.filter(status=status)
    return pregnancies.order_by("due_on", "created_at", "id")


def certificate_missing_queryset(*, actor, capability: str = "maternal.record"):
    """Live births whose newborn is registered but has no birth certificate number yet."""
    certified = Identifier.objects.filter(
        person_id=OuterRef("newborn_id"), type=IdentifierType.BIRTH_CERTIFICATE
    )
    return (
        Pregnancy.objects.actionable_by(actor, capability)
        .filter(status=PregnancyStatus.DELIVERED, outcome=BirthOutcome.LIVE_BIRTH, newborn__isnull=False)
        .exclude(Exists(certified))
        .select_related("person__village__parent__parent__parent")
        .order_by("born_on", "id")
    )


def pregnancies_served(*, actor, pregnancies, query: str = "") -> None:
    """One access event naming the pregnancies a list showed, one naming their women."""
    pregnancies = list(pregnancies)
    audit.record_accesses(
        actor=actor,
        reads=[
            audit.Read(
                MaternalAction.PREGNANCIES_LISTED, PREGNANCY_TARGET, [p.pk for p in pregnancies], query
            ),
            audit.Read(
                MaternalAction.PREGNANCIES_LISTED, PERSON_TARGET, [p.person_id for p in pregnancies], query
            ),
        ],
    )


def pregnancy_list(
    *,
    actor,
    status: str = PregnancyStatus.ONGOING,
    anc_overdue: bool = False,
    certificate_missing: bool = False,
) -> list[Pregnancy]:
    """Pregnancies in the actor's reach by due date; one access event names them. The two
    reminders ("ANC overdue", "no birth certificate yet") list what the actor may record on,
    the rows "Today" counts."""
    if certificate_missing:
        rows = certificate_missing_queryset(actor=actor)
        query = "certificate_missing"
    else:
        capability = "maternal.record" if anc_overdue else ""
        rows = pregnancy_queryset(actor=actor, status=status, anc_overdue=anc_overdue, capability=capability)
        query = "anc_overdue" if anc_overdue else status
    rows = list(rows[:LIST_LIMIT])
    pregnancies_served(actor=actor, pregnancies=rows, query=query)
    return rows


def providers_for(*, pregnancy: Pregnancy, service: str = ServiceType.PRIMARY_HEALTH) -> list[Provider]:
    """Directory providers of ``service`` serving the woman's commune, nearest first."""
    commune = (pregnancy.person.area_code or "")[:6]
    return directory.provider_search(service=service, commune=commune if len(commune) == 6 else "")


def facility_get(value) -> Provider | None:
    """An active directory entry named by a form or a body (None for none given); the
    directory is shared by the installation, so any active entry may be named."""
    if value in (None, ""):
        return None
    pk = _uuid(getattr(value, "pk", value))
    if pk is None:
        raise Provider.DoesNotExist
    return Provider.objects.filter(is_active=True).get(pk=pk)
