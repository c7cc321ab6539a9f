"""A teacher's screens: my classes, the roll call, registers from spreadsheets, marks, behaviour."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import AppView
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError
from ponleu.education import policies, selectors, spreadsheets
from ponleu.education.choices import EducationAction, EnrolmentStatus
from ponleu.education.forms import AssessmentForm, AttendanceImportForm, IncidentForm, apply_errors
from ponleu.education.models import Assessment, Enrolment, SchoolClass
from ponleu.education.schooldays import month_start
from ponleu.education.services import attendance, marks

from .base import class_or_404, day_from, not_found


class MyClassesView(AppView):
    """The classes the member takes roll call in this year."""

    capability = "education.take_attendance"

    def get(self, request):
        # ``pending=1``: only the classes whose roll call for today is still to take (from "Today").
        pending = request.GET.get("pending") == "1"
        if pending:
            classes = list(
                selectors.roll_calls_due(actor=self.actor).annotate(
                    pupils=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
                )
            )
        else:
            classes = selectors.teacher_classes(actor=self.actor)
        context = {"classes": classes, "today": clock.today(), "pending": pending}
        return render(request, "education/school_list.html", context)


def _nearby_school_days(calendar, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    days = calendar.school_days()
    before = [d for d in days if d < day]
    after = [d for d in days if d > day and d <= clock.today()]
    return (before[-1] if before else None), (after[0] if after else None)


class RollCallView(AppView):
    """Everyone is present until tapped: one tap cycles absent, late, excused, present."""

    capability = "education.take_attendance"
    template = "education/class_roll_call.html"

    def _context(self, request, day, *, errors=None, submitted=None, reason=""):
        sheet = selectors.roll_call(actor=self.actor, class_id=self.kwargs["class_id"], day=day)
        policies.label_pupils(
            self.actor, sheet.school_class, sheet.pupils, language=translation.get_language()
        )
        if submitted:
            for pupil in sheet.pupils:
                pupil.status = submitted.get(str(pupil.enrolment.pk), pupil.status)
        calendar = selectors.calendar_for(sheet.school_class.year)
        previous_day, next_day = _nearby_school_days(calendar, day)
        today = clock.today()
        return {
            "sheet": sheet,
            "school_class": sheet.school_class,
            "why_not": attendance.not_a_school_day_message(sheet.why_not, day, sheet.school_class.year)
            if sheet.why_not
            else "",
            "is_future": day > today,
            "is_past": day < today,
            "previous_day": previous_day,
            "next_day": next_day,
            "errors": errors or {},
            "reason": reason,
            "statuses": [("P", _("Present")), ("A", _("Absent")), ("L", _("Late")), ("E", _("Excused"))],
        }

    def _render(self, request, context, status=200):
        template = self.template + "#sheet" if request.htmx else self.template
        return render(request, template, context, status=status)

    def get(self, request, class_id):
        day = day_from(request.GET.get("date"))
        try:
            context = self._context(request, day)
        except (SchoolClass.DoesNotExist, ValidationError, ValueError):
            raise not_found() from None
        return self._render(request, context)

    def post(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        day = day_from(request.POST.get("date"), default=None) if request.POST.get("date") else None
        statuses = {k[2:]: v for k, v in request.POST.items() if k.startswith("s-")}
        reason = (request.POST.get("reason") or "").strip()
        if day is None:
            context = self._context(
                request, clock.today(), errors={"date": [_("Choose the day of the roll call.")]}
            )
            return self._render(request, context, status=400)
        try:
            result = attendance.roll_call_save(
                actor=self.actor,
                school_class=school_class,
                day=day,
                statuses=statuses,
                reason=reason,
                version=request.POST.get("version") or None,
            )
        except DomainError as error:
            status = 409 if isinstance(error, Conflict) else 400
            errors = error.errors or {"form": [str(error.message)]}
            context = self._context(request, day, errors=errors, submitted=statuses, reason=reason)
            return self._render(request, context, status=status)
        counts = result.counts
        message = _("Saved: %(p)d present, %(a)d absent, %(l)d late, %(e)d excused.") % {
            "p": counts["P"],
            "a": counts["A"],
            "l": counts["L"],
            "e": counts["E"],
        }
        if not result.changed:
            message = _("Nothing changed: this roll call was already saved.")
        if request.htmx:
            context = self._context(request, day)
            context["saved_message"] = message
            return self._render(request, context)
        messages.success(request, message)
        return redirect(
            f"{reverse('education:class_roll_call', kwargs={'class_id': class_id})}?date={day.isoformat()}"
        )


class AttendanceImportView(AppView):
    """Upload the register a school keeps; check it (every problem by row and column), then save."""

    capability = "education.take_attendance"
    template = "education/attendance_import.html"

    def get(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        selectors.record_read(
            actor=self.actor,
            action=EducationAction.ROLL_CALL_VIEWED,
            target=school_class,
            query="import form",
        )
        return render(request, self.template, {"school_class": school_class, "form": AttendanceImportForm()})

    def post(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        form = AttendanceImportForm(request.POST, request.FILES)
        context = {"school_class": school_class, "form": form}
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        upload = form.cleaned_data["file"]
        enrolments = list(Enrolment.objects.filter(school_class=school_class).select_related("person"))
        try:
            rows = spreadsheets.read_rows(upload.read(), upload.name)
        except ValueError as error:
            form.add_error("file", str(error))
            return render(request, self.template, context, status=400)
        cells, problems = spreadsheets.read_register(rows, enrolments, month=form.cleaned_data["month"])
        dry_run = not form.cleaned_data["confirm"]
        try:
            result = attendance.attendance_import(
                actor=self.actor,
                school_class=school_class,
                cells=cells,
                problems=problems,
                dry_run=dry_run,
                reason=form.cleaned_data["reason"],
                source=upload.name,
            )
        except DomainError as error:
            context.update(problems=error.errors or {"file": [str(error.message)]}, dry_run=dry_run)
            return render(request, self.template, context, status=400)
        context.update(result=result, dry_run=dry_run, cells=len(cells))
        if not dry_run:
            messages.success(request, _("Register saved: %(n)d days changed.") % {"n": result.changed})
            return redirect("education:class_roll_call", class_id=school_class.pk)
        return render(request, self.template, context)


class AttendanceTemplateView(AppView):
    """An Excel register for this month's school days, the class's pupils already listed."""

    capability = "education.take_attendance"

    def get(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        month = month_start(day_from(request.GET.get("month")))
        calendar = selectors.calendar_for(school_class.year)
        days = calendar.school_days_in_month(month)
        pupils = selectors.class_pupils(
            school_class, max(month, min(clock.today(), school_class.year.ends_on))
        )
        rows = [selectors.Pupil(e, "", i) for i, e in enumerate(pupils, start=1)]
        policies.label_pupils(self.actor, school_class, rows, language=translation.get_language())
        selectors.record_pupils_read(
            actor=self.actor,
            action=EducationAction.ROLL_CALL_VIEWED,
            school_class=school_class,
            enrolments=pupils,
            query=f"register template month={month:%Y-%m}",
        )
        content = spreadsheets.register_template(pupils, days, labels={r.enrolment.pk: r.label for r in rows})
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="register-{school_class.label}-{month:%Y-%m}.xlsx"'
        )
        return response


class MarksView(AppView):
    """Enter one test's scores for the whole class; open an earlier test to correct it."""

    capability = "education.take_attendance"
    template = "education/class_marks.html"

    def _pupils(self, school_class, day):
        enrolments = selectors.class_pupils(school_class, day)
        rows = [selectors.Pupil(e, "", i) for i, e in enumerate(enrolments, start=1)]
        policies.label_pupils(self.actor, school_class, rows, language=translation.get_language())
        selectors.record_pupils_read(
            actor=self.actor,
            action=EducationAction.MARKS_VIEWED,
            school_class=school_class,
            enrolments=enrolments,
            query="marks",
        )
        return rows

    def _assessment(self, school_class, test_id):
        if not test_id:
            return None
        try:
            return Assessment.objects.get(pk=test_id, school_class=school_class)
        except (Assessment.DoesNotExist, ValueError, ValidationError):
            raise not_found() from None

    def _context(self, school_class, form, assessment, pupils, entered=None, problems=None):
        scores = entered if entered is not None else (assessment.scores if assessment else {})
        for pupil in pupils:
            value = scores.get(str(pupil.enrolment.pk))
            pupil.score = "" if value is None else value
            pupil.problems = (problems or {}).get(f"score {pupil.enrolment.pk}", [])
        return {
            "school_class": school_class,
            "form": form,
            "assessment": assessment,
            "pupils": pupils,
            "tests": selectors.class_marks(actor=self.actor, school_class=school_class),
            "problems": {k: v for k, v in (problems or {}).items() if not k.startswith("score ")},
        }

    def get(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        assessment = self._assessment(school_class, request.GET.get("test"))
        initial = {"held_on": clock.today()}
        if assessment is not None:
            initial = {
                "subject": assessment.subject,
                "kind": assessment.kind,
                "held_on": assessment.held_on,
                "max_score": assessment.max_score,
            }
        pupils = self._pupils(school_class, assessment.held_on if assessment else clock.today())
        return render(
            request,
            self.template,
            self._context(school_class, AssessmentForm(initial=initial), assessment, pupils),
        )

    def post(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        assessment = self._assessment(school_class, request.POST.get("test"))
        form = AssessmentForm(request.POST)
        entered = {k[6:]: v for k, v in request.POST.items() if k.startswith("score-")}
        pupils = self._pupils(school_class, assessment.held_on if assessment else clock.today())
        if not form.is_valid():
            return render(
                request,
                self.template,
                self._context(school_class, form, assessment, pupils, entered),
                status=400,
            )
        d = form.cleaned_data
        try:
            marks.assessment_save(
                actor=self.actor,
                school_class=school_class,
                subject=d["subject"],
                kind=d["kind"],
                held_on=d["held_on"],
                max_score=d["max_score"],
                scores=entered,
                assessment=assessment,
                version=request.POST.get("version"),
            )
        except DomainError as error:
            apply_errors(form, _without_scores(error))
            context = self._context(school_class, form, assessment, pupils, entered, error.errors)
            return render(request, self.template, context, status=409 if isinstance(error, Conflict) else 400)
        messages.success(request, _("Scores saved."))
        return redirect("education:class_marks", class_id=school_class.pk)


def _without_scores(error):
    """The error with per-pupil problems left out (they are shown beside each pupil)."""
    kept = {k: v for k, v in error.errors.items() if not k.startswith("score ")}
    clone = DomainError(error.message, errors=kept)
    if not kept and error.errors:
        clone.errors = {"__all__": [str(error.message)]}
    return clone


class IncidentView(AppView):
    """Record a behaviour incident for a pupil of the class."""

    capability = "education.take_attendance"
    template = "education/incident_form.html"

    def _pupils(self, school_class):
        enrolments = selectors.class_pupils(school_class, clock.today())
        rows = [selectors.Pupil(e, "", i) for i, e in enumerate(enrolments, start=1)]
        policies.label_pupils(self.actor, school_class, rows, language=translation.get_language())
        selectors.record_pupils_read(
            actor=self.actor,
            action=EducationAction.ROLL_CALL_VIEWED,
            school_class=school_class,
            enrolments=enrolments,
            query="incident form",
        )
        return rows

    def get(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        form = IncidentForm(pupils=self._pupils(school_class), initial={"occurred_on": clock.today()})
        return render(request, self.template, {"school_class": school_class, "form": form})

    def post(self, request, class_id):
        school_class = class_or_404(self.actor, class_id)
        pupils = self._pupils(school_class)
        form = IncidentForm(request.POST, pupils=pupils)
        context = {"school_class": school_class, "form": form}
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        enrolment = next(p.enrolment for p in pupils if str(p.enrolment.pk) == form.cleaned_data["enrolment"])
        enrolment.school_class = school_class
        d = form.cleaned_data
        try:
            marks.incident_record(
                actor=self.actor,
                enrolment=enrolment,
                occurred_on=d["occurred_on"],
                type=d["type"],
                severity=d["severity"],
                note=d["note"],
            )
        except DomainError as error:
            apply_errors(form, error)
            return render(request, self.template, context, status=400)
        messages.success(request, _("Incident recorded."))
        return redirect("education:class_roll_call", class_id=school_class.pk)
