"""Reading risk: the ranked list, a school's dashboard, one student, and whether acting helped."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.early_warning import charts, selectors, texts
from ponleu.early_warning.choices import Decision, Outcome
from ponleu.education.models import Enrolment, School
from ponleu.education.policies import class_relationship, pupil_label
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership

REASONS_SHOWN = 2


def label_rows(actor, rows) -> None:
    language = translation.get_language()
    for row in rows:
        score = row.score
        relationship = class_relationship(actor, score.school_class)
        if score.enrolment.school_class_id == score.school_class_id:
            score.enrolment.school_class = score.school_class
        row.label = pupil_label(actor, score.enrolment, language)
        row.reasons = texts.factor_texts(score.factors, limit=REASONS_SHOWN)
        row.can_review = actor.allows("ews.review", relationship)


class RiskListView(AppView):
    """Flagged students per school, ranked, cut to the number the organisation can review."""

    capability = "ews.view_scores"

    def get(self, request):
        filters = selectors.RiskFilters.from_params(request.GET)
        result = selectors.risk_list(actor=self.actor, filters=filters)
        label_rows(self.actor, result.rows)
        schools = list(School.objects.actionable_by(self.actor, "ews.view_scores").order_by("name_en"))
        caseworkers = list(
            Membership.objects.filter(
                organisation_id=self.actor.organisation_id, role=Role.CASEWORKER, is_active=True
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        context = {
            "result": result,
            "filters": filters,
            "schools": schools,
            "caseworkers": caseworkers,
            "can_manage": self.actor.can("ews.manage_models"),
        }
        return render(request, "early_warning/risk_list.html", context)


class SchoolDashboardView(AppView):
    """One school: flagged students week by week and by grade, and its ranked list."""

    capability = "ews.view_scores"

    def get(self, request, school_id):
        try:
            board = selectors.school_dashboard(actor=self.actor, school_id=school_id)
        except (School.DoesNotExist, ValidationError, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None
        label_rows(self.actor, board.risk.rows)
        chart = charts.flags_by_grade(
            board.series,
            board.grades,
            title=_("Students flagged each week, by grade, at %(school)s")
            % {"school": board.school.display_name(translation.get_language())},
        )
        legend = [(grade, charts.swatch(charts.grade_colour(i))) for i, grade in enumerate(board.grades)]
        table = [(period, [counts.get(g, 0) for g in board.grades]) for period, counts in board.series]
        context = {"board": board, "chart": chart, "legend": legend, "table": table, "result": board.risk}
        return render(request, "early_warning/school_dashboard.html", context)


class StudentRiskView(AppView):
    """One student: risk week by week, why, flags, and what was done."""

    capability = "ews.view_scores"

    def get(self, request, enrolment_id):
        try:
            student = selectors.student_risk(actor=self.actor, enrolment_id=enrolment_id)
        except (Enrolment.DoesNotExist, ValidationError, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None
        enrolment = student.enrolment
        relationship = class_relationship(self.actor, enrolment.school_class)
        student.label = pupil_label(self.actor, enrolment, translation.get_language())
        latest = student.latest
        by_model = latest is not None and latest.probability is not None
        points = [
            (
                s.scored_on,
                s.probability if by_model and s.probability is not None else s.index_score,
                s.flagged,
            )
            for s in student.scores
            if (s.probability is not None) == by_model
        ]
        title = _("Risk of dropping out, week by week") if by_model else _("Rule index, week by week")
        context = {
            "student": student,
            "enrolment": enrolment,
            "latest": latest,
            "by_model": by_model,
            "factors": texts.factor_texts(latest.factors, kind="factor") if latest else [],
            "warnings": texts.factor_texts(latest.factors, kind="rule") if latest else [],
            "chart": charts.risk_trend(points, title=title, maximum=1.0 if by_model else 2.0),
            "points": points,
            "can_review": self.actor.allows("ews.review", relationship),
            "no_action": Decision.NO_ACTION,
        }
        return render(request, "early_warning/student_risk.html", context)


class EffectivenessView(AppView):
    """Flagged and served against flagged and not served: not a randomised comparison."""

    capability = "ews.view_scores"

    def get(self, request):
        report = selectors.effectiveness(actor=self.actor)
        by_type = [
            (Decision(kind).label, group, [(Outcome(o).label, n) for o, n in sorted(group.recorded.items())])
            for kind, group in report.by_type.items()
        ]
        return render(request, "early_warning/effectiveness.html", {"report": report, "by_type": by_type})
