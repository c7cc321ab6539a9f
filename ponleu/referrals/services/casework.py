"""Where referrals meet cases (the cases app sits below referrals, so the link lives here):
the case the receiving organisation may open when it accepts a child, and the outcome written
back into the referring case's notes.

The receiving side's case starts from what was shared with it, nothing more (the reason, if it
was shared). The referring side's note holds only what the referrer already sees on the
referral: its status, the reason it was declined, the outcome and what the family said, never
the receiving organisation's own notes.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.actors import system_actor
from ponleu.cases.choices import CaseStatus, IdentificationSource, InteractionType
from ponleu.cases.models import Case, CaseNote
from ponleu.cases.services.cases import case_open
from ponleu.cases.services.contact import note_add
from ponleu.common import clock
from ponleu.referrals.choices import ReferralEvent
from ponleu.referrals.models import Referral, SharedRecord
from ponleu.registry.models import Person

# The steps whose news goes back to the referring case.
FEEDBACK_EVENTS = (
    ReferralEvent.ACCEPT,
    ReferralEvent.DECLINE,
    ReferralEvent.COMPLETE,
    ReferralEvent.NOT_COMPLETE,
)


def receiver_case_open(
    *, actor, referral: Referral, person: Person, shared: SharedRecord, case_type: str
) -> Case:
    """A case of ``case_type`` in the receiving organisation for the child it accepted."""
    return case_open(
        actor=actor,
        person=person,
        case_type_code=case_type,
        source=IdentificationSource.OTHER_ORGANISATION,
        source_detail=_("Referral %(reference)s") % {"reference": referral.reference},
        summary=shared.reason,
    )


def case_feedback(*, referral: Referral, event: str) -> CaseNote | None:
    """A note on the referring case (when the referral came from one that is not closed) with
    what the referral's step says, in the language of the case's worker. Written in the
    referring organisation's name: the receiving side may not write on its case."""
    case = referral.case
    if case is None or event not in FEEDBACK_EVENTS or case.status == CaseStatus.CLOSED:
        return None
    if case.identified_on and case.identified_on > clock.today():
        return None  # a note cannot predate its case (only a clock set back can meet this)
    language = getattr(case.owner, "language", "") or "km"
    with translation.override(language):
        lines = [
            _("Referral %(reference)s to %(provider)s: %(status)s.")
            % {
                "reference": referral.reference,
                "provider": referral.provider.name(language),
                "status": referral.get_status_display(),
            }
        ]
        if referral.decline_reason and event == ReferralEvent.DECLINE:
            lines.append(_("Reason: %(reason)s.") % {"reason": referral.get_decline_reason_display()})
        if referral.outcome:
            lines.append(_("Outcome: %(outcome)s") % {"outcome": referral.outcome})
        if referral.family_said:
            lines.append(_("What the family said: %(said)s") % {"said": referral.family_said})
        place = referral.provider.name(language)
    return note_add(
        actor=system_actor(referral.organisation_id, name="referrals"),
        case=case,
        interaction=InteractionType.THIRD_PARTY,
        happened_on=clock.today(),
        observations="\n".join(lines),
        place=place[:200],
    )
