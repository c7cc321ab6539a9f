"""Applications and nominations, the committee's decision, awards and their life: suspended,
resumed, graduated, each with a reason; and the award made for a scholarship decided on an
early-warning flag."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.education.models import Enrolment
from ponleu.programmes.services.base import date, text, visible_person
from ponleu.scholarships import eligibility, selectors
from ponleu.scholarships.choices import (
    ApplicationSource,
    ApplicationStatus,
    AwardEventKind,
    AwardStatus,
    ScholarshipAction,
)
from ponleu.scholarships.models import Application, Award, AwardEvent, Scheme

MANAGE = "scholarships.manage"


def _acting(actor, model, obj, capability: str = MANAGE):
    found = model.objects.actionable_by(actor, capability).select_for_update().filter(pk=obj.pk).first()
    if found is None:
        raise PermissionDenied()
    return found


@transaction.atomic
def application_make(
    *, actor, scheme: Scheme, person_id, source: str = ApplicationSource.NOMINATION, facts: dict | None = None
) -> Application:
    """Record an application or nomination, with what the eligibility rules say of the child now."""
    scheme = _acting(actor, Scheme, scheme)
    person = visible_person(actor, person_id)
    facts = facts or {}
    if source not in ApplicationSource.values:
        raise ValidationFailed(_("Choose one of the options."), field="source")
    if Application.objects.filter(scheme=scheme, person=person, status=ApplicationStatus.PENDING).exists():
        raise ValidationFailed(
            _("This child already has an application awaiting the committee."), field="person"
        )
    known = selectors.facts_for(
        person, hiv_affected=bool(facts.get("hiv_affected")), orphan=bool(facts.get("orphan"))
    )
    application = Application.objects.create(
        scheme=scheme,
        person=person,
        enrolment_id=known.enrolment_id,
        source=source,
        hiv_affected=known.facts.hiv_affected,
        orphan=known.facts.orphan,
        note=text(facts.get("note")),
        eligibility=eligibility.rules(scheme, known.facts),
        made_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=ScholarshipAction.APPLICATION_MADE,
        target=application,
        changes={"person": [None, str(person.pk)], "eligibility": [None, application.eligibility]},
    )
    return application


def _award(
    *, actor, scheme, person, starts_on, ends_on, application=None, intervention=None, reason=""
) -> Award:
    if ends_on < starts_on:
        raise ValidationFailed(_("The award ends before it starts."), field="ends_on")
    if starts_on < scheme.opens_on or ends_on > scheme.closes_on:
        raise ValidationFailed(_("The award must fall within the scheme's dates."), field="starts_on")
    try:
        with transaction.atomic():
            award = Award.objects.create(
                scheme=scheme,
                person=person,
                application=application,
                intervention=intervention,
                starts_on=starts_on,
                ends_on=ends_on,
            )
    except IntegrityError:
        raise ValidationFailed(
            _("This child already holds an award in this scheme."), field="person"
        ) from None
    AwardEvent.objects.create(
        award=award, kind=AwardEventKind.AWARDED, on=starts_on, reason=reason, recorded_by_id=actor.user_id
    )
    audit.record(
        actor=actor,
        action=ScholarshipAction.AWARD_CHANGED,
        target=award,
        changes={
            "status": [None, award.status],
            "starts_on": [None, str(starts_on)],
            "ends_on": [None, str(ends_on)],
        },
        reason=reason,
    )
    return award


@transaction.atomic
def application_decide(
    *, actor, application: Application, version, approve: bool, reason: str, starts_on=None, ends_on=None
) -> Award | None:
    """The committee's decision with its reasons; an approval makes the award (start and end)."""
    application = _acting(actor, Application, application)
    reason = text(reason)
    if not reason:
        raise ValidationFailed(_("Write the committee's reasons."), field="reason")
    if application.status != ApplicationStatus.PENDING:
        raise ValidationFailed(_("This application was already decided."), field="decision")
    award = None
    if approve:
        starts = date(starts_on, field="starts_on")
        ends = date(ends_on, field="ends_on")
    claim_version(application, version)
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decision_reason = reason
    application.decided_on = clock.today()
    application.decided_by_id = actor.user_id
    application.save(update_fields=["status", "decision_reason", "decided_on", "decided_by", "version"])
    if approve:
        award = _award(
            actor=actor,
            scheme=application.scheme,
            person=application.person,
            starts_on=starts,
            ends_on=ends,
            application=application,
            reason=reason,
        )
    audit.record(
        actor=actor,
        action=ScholarshipAction.APPLICATION_DECIDED,
        target=application,
        changes={"status": [ApplicationStatus.PENDING, application.status]},
        reason=reason,
    )
    return award


_MOVES = {
    AwardEventKind.SUSPENDED: ((AwardStatus.ACTIVE,), AwardStatus.SUSPENDED),
    AwardEventKind.RESUMED: ((AwardStatus.SUSPENDED,), AwardStatus.ACTIVE),
    AwardEventKind.GRADUATED: ((AwardStatus.ACTIVE, AwardStatus.SUSPENDED), AwardStatus.GRADUATED),
}


@transaction.atomic
def award_change(*, actor, award: Award, version, kind: str, reason: str, on=None) -> Award:
    """Suspend, resume or graduate an award, with the reason. A suspended award makes no payment
    due for the periods run while it is suspended."""
    award = _acting(actor, Award, award)
    if kind not in _MOVES:
        raise ValidationFailed(_("Choose one of the options."), field="kind")
    reason = text(reason)
    if not reason:
        raise ValidationFailed(_("Write the reason."), field="reason")
    allowed, after = _MOVES[kind]
    if award.status not in allowed:
        raise ValidationFailed(_("This award cannot change that way now."), field="kind")
    day = date(on, field="on", required=False) or clock.today()
    claim_version(award, version)
    before = award.status
    award.status = after
    fields = ["status", "version"]
    if kind == AwardEventKind.GRADUATED and day < award.ends_on:
        award.ends_on = max(day, award.starts_on)
        fields.append("ends_on")
    award.save(update_fields=fields)
    AwardEvent.objects.create(award=award, kind=kind, on=day, reason=reason, recorded_by_id=actor.user_id)
    audit.record(
        actor=actor,
        action=ScholarshipAction.AWARD_CHANGED,
        target=award,
        changes={"status": [before, after]},
        reason=reason,
    )
    return award


@transaction.atomic
def award_from_intervention(*, actor, intervention) -> Award | None:
    """The award for a scholarship decided on an early-warning flag, in the organisation's open
    scheme that takes them; None when there is none (the decision stands on its own)."""
    if intervention is None or Award.objects.filter(intervention=intervention).exists():
        return None
    starts_on = intervention.starts_on
    scheme = (
        Scheme.objects.actionable_by(actor, MANAGE)
        .filter(
            organisation_id=intervention.organisation_id,
            takes_early_warning=True,
            opens_on__lte=starts_on,
            closes_on__gte=starts_on,
        )
        .order_by("-opens_on")
        .first()
    )
    if scheme is None:
        return None
    enrolment = Enrolment.objects.select_related("school_class__year").get(pk=intervention.enrolment_id)
    person = enrolment.person
    if Award.objects.filter(scheme=scheme, person=person).exclude(status=AwardStatus.GRADUATED).exists():
        return None
    ends_on = min(intervention.ends_on or enrolment.school_class.year.ends_on, scheme.closes_on)
    known = selectors.facts_for(person)
    application = Application.objects.create(
        scheme=scheme,
        person=person,
        enrolment=enrolment,
        source=ApplicationSource.EARLY_WARNING,
        eligibility=eligibility.rules(scheme, known.facts),
        status=ApplicationStatus.APPROVED,
        decision_reason=_("Decided on a dropout risk flag."),
        decided_on=clock.today(),
        decided_by_id=actor.user_id,
        made_by_id=actor.user_id,
    )
    return _award(
        actor=actor,
        scheme=scheme,
        person=person,
        starts_on=max(starts_on, scheme.opens_on),
        ends_on=max(ends_on, starts_on),
        application=application,
        intervention=intervention,
        reason=_("Decided on a dropout risk flag."),
    )
