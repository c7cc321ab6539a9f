"""Scoring: risk for the students of some classes at a cut-off, written as RiskScore rows and flags.

``risk_score`` is the one entry point for today: after a roll call it scores one class, ``ponleu
ews score`` every enrolled student of an organisation's current year, one school at a time.
``risk_score_weeks`` fills past weeks from one read of the records (after an import, or for the
demo), each week with only what was known at its end. A score row per student and week is
replaced when the week is scored again; a newly flagged student gets a ``Flag`` awaiting review
unless already flagged this term.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.early_warning import artefacts, risk, rulebook, sources
from ponleu.early_warning.choices import EwsAction, FlagStatus, ScoringMethod
from ponleu.early_warning.models import EwsSettings, Flag, RiskModel, RiskScore, week_of
from ponleu.early_warning.selectors import active_model, settings_for
from ponleu.education.models import AcademicYear, SchoolClass
from ponleu.education.selectors import calendar_for
from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.services import notify


@dataclass
class ScoringRun:
    students: int = 0
    flagged: int = 0
    new_flags: int = 0
    method: str = ScoringMethod.RULE_INDEX
    model_number: int | None = None


def _cutoff(year: AcademicYear, on: dt.date | None) -> dt.date:
    day = on or clock.today()
    return max(year.starts_on, min(day, year.ends_on))


def _check(actor: Actor, year: AcademicYear) -> None:
    if year.organisation_id != actor.organisation_id or not (
        actor.is_system or actor.can("ews.manage_models")
    ):
        raise PermissionDenied()


class _Scorer:
    """What one scoring run needs once: settings, the model in use, the classes."""

    def __init__(self, year, class_ids, settings, model):
        self.year = year
        self.settings = settings or settings_for(year.organisation_id)
        self.model = model if model is not None else active_model(year.organisation_id)
        self.trained = (
            artefacts.load(self.model.artefact, self.model.digest) if self.model is not None else None
        )
        self.rules = rulebook.from_dict(self.settings.rules)
        if class_ids is None:
            class_ids = list(SchoolClass.objects.filter(year=year).values_list("pk", flat=True))
        self.class_ids = list(class_ids)
        self.method = ScoringMethod.MODEL if self.model is not None else ScoringMethod.RULE_INDEX

    def compute(self, loaded: sources.Loaded, cutoff: dt.date) -> risk.RiskResult:
        return risk.compute(
            loaded, cutoff, self.rules, self.trained, self.model.threshold if self.model else None
        )

    def write(
        self, loaded: sources.Loaded, result: risk.RiskResult, cutoff: dt.date, rows, *, notify_teachers=False
    ) -> ScoringRun:
        period = week_of(cutoff)
        RiskScore.objects.filter(school_class_id__in=self.class_ids, period=period).delete()
        scores = []
        for i in rows:
            scores.append(
                RiskScore(
                    organisation_id=self.year.organisation_id,
                    enrolment_id=loaded.enrolment_ids[i],
                    school_class_id=loaded.class_ids[i],
                    period=period,
                    scored_on=cutoff,
                    method=self.method,
                    model=self.model,
                    probability=None
                    if result.probability is None
                    else round(float(result.probability[i]), 6),
                    index_score=float(result.index[i]),
                    flagged=bool(result.flagged[i]),
                    factors=result.factors[i],
                )
            )
        RiskScore.objects.bulk_create(scores, batch_size=2000)
        return ScoringRun(
            students=len(scores),
            flagged=sum(1 for s in scores if s.flagged),
            new_flags=_open_flags(self.year, cutoff, scores, notify_teachers=notify_teachers),
            method=self.method,
            model_number=self.model.number if self.model else None,
        )

    def audit(self, actor, cutoff, run: ScoringRun, weeks: int = 1) -> None:
        audit.record(
            actor=actor,
            action=EwsAction.SCORES_COMPUTED,
            target=self.year,
            changes={
                "cutoff": [None, cutoff.isoformat()],
                "weeks": [None, weeks],
                "classes": [None, len(self.class_ids)],
                "students": [None, run.students],
                "flagged": [None, run.flagged],
                "new_flags": [None, run.new_flags],
                "method": [None, run.method],
                "model": [None, run.model_number],
            },
        )


@transaction.atomic
def risk_score(
    *,
    actor: Actor,
    year: AcademicYear,
    class_ids=None,
    on: dt.date | None = None,
    settings: EwsSettings | None = None,
    model: RiskModel | None = None,
) -> ScoringRun:
    """Score the students enrolled on the cut-off day in ``class_ids`` (all of ``year`` if None).

    The actor must be able to score for the organisation: the system (after a roll call, or the
    nightly command) or a member holding ``ews.manage_models``.
    """
    _check(actor, year)
    cutoff = _cutoff(year, on)
    scorer = _Scorer(year, class_ids, settings, model)
    loaded = sources.load(year, class_ids=scorer.class_ids, enrolled_at=cutoff)
    result = scorer.compute(loaded, cutoff)
    # Teachers hear of today's new flags; replaying past weeks (risk_score_weeks) tells nobody.
    run = scorer.write(loaded, result, cutoff, range(len(loaded.enrolment_ids)), notify_teachers=True)
    scorer.audit(actor, cutoff, run)
    return run


@transaction.atomic
def risk_score_weeks(*, actor: Actor, year: AcademicYear, days: list[dt.date], class_ids=None) -> ScoringRun:
    """Score each of ``days`` (oldest first) as if it were today: the population enrolled that
    day, features from what was recorded by then. The records are read once."""
    _check(actor, year)
    scorer = _Scorer(year, class_ids, None, None)
    loaded = sources.load(year, class_ids=scorer.class_ids)
    enrolled = loaded.records.enrolled_on
    total = ScoringRun(method=scorer.method, model_number=scorer.model.number if scorer.model else None)
    cutoff = year.starts_on
    for day in sorted({_cutoff(year, d) for d in days}):
        cutoff = day
        present = enrolled <= np.datetime64(day)
        rows = [i for i in np.flatnonzero(present) if loaded.left_on[i] is None or loaded.left_on[i] > day]
        if not rows:
            continue
        run = scorer.write(loaded, scorer.compute(loaded, day), day, rows)
        total.students, total.flagged = run.students, run.flagged
        total.new_flags += run.new_flags
    scorer.audit(actor, cutoff, total, weeks=len(days))
    return total


def _term_start(year: AcademicYear, cutoff: dt.date) -> dt.date:
    calendar = calendar_for(year)
    term = calendar.term_of(cutoff)
    if term is None:
        before = [first for first, _ in calendar.terms if first <= cutoff]
        return before[-1] if before else year.starts_on
    return calendar.terms[term][0]


def _open_flags(
    year: AcademicYear, cutoff: dt.date, rows: list[RiskScore], *, notify_teachers: bool = False
) -> int:
    """A flag awaiting review for each newly flagged student not already flagged this term."""
    flagged = [r for r in rows if r.flagged]
    if not flagged:
        return 0
    since = _term_start(year, cutoff)
    already = set(
        Flag.objects.filter(enrolment_id__in=[r.enrolment_id for r in flagged])
        .filter(Q(opened_on__gte=since) | Q(status=FlagStatus.AWAITING_REVIEW))
        .values_list("enrolment_id", flat=True)
    )
    new = [
        Flag(
            organisation_id=r.organisation_id,
            enrolment_id=r.enrolment_id,
            school_class_id=r.school_class_id,
            opened_on=cutoff,
            method=r.method,
            probability=r.probability,
            index_score=r.index_score,
            factors=r.factors,
        )
        for r in flagged
        if r.enrolment_id not in already
    ]
    Flag.objects.bulk_create(new, batch_size=2000)
    if notify_teachers:
        _tell_teachers(new)
    return len(new)


def _tell_teachers(flags: list[Flag]) -> None:
    """Each homeroom teacher hears how many pupils of their class were newly flagged, in their
    own language: the class and a link, never a child's name."""
    per_class = Counter(flag.school_class_id for flag in flags)
    classes = SchoolClass.objects.filter(
        pk__in=list(per_class), homeroom_teacher__isnull=False
    ).select_related("homeroom_teacher__user")
    for school_class in classes:
        user = school_class.homeroom_teacher.user
        with translation.override(user.language or "km"):
            message = ngettext(
                "%(count)d pupil of class %(label)s was newly flagged at risk of dropping out.",
                "%(count)d pupils of class %(label)s were newly flagged at risk of dropping out.",
                per_class[school_class.pk],
            ) % {"count": per_class[school_class.pk], "label": school_class.label}
        notify(
            recipients=[user],
            kind=NotificationKind.PUPIL_FLAGGED,
            message=message[:300],
            link=f"{reverse('early_warning:risk_list')}?class={school_class.pk}",
            organisation_id=school_class.organisation_id,
        )
