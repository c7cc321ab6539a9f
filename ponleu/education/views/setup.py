"""Administrators' screens: schools, school years with terms and calendar days, classes, pupils."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access import policy
from ponleu.access.scopes import Scope
from ponleu.access.views import AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.common.ids import parse_uuid
from ponleu.education import policies, selectors
from ponleu.education.choices import EducationAction, EnrolmentStatus
from ponleu.education.forms import (
    CalendarDayForm,
    ClassForm,
    EnrolForm,
    EnrolmentChangeForm,
    SchoolForm,
    TermsForm,
    YearForm,
    apply_errors,
)
from ponleu.education.models import AcademicYear, Enrolment, School, SchoolClass
from ponleu.education.services import enrolment as enrolment_services
from ponleu.education.services import schools
from ponleu.organisations.models import Membership
from ponleu.registry.models import Person

from .base import class_or_404, not_found


def _teachers(organisation_id):
    roles = [
        role for (role, cap), scope in policy.POLICY.items() if cap == "education.take_attendance" and scope
    ]
    return list(
        Membership.objects.filter(organisation_id=organisation_id, is_active=True, role__in=roles)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )


class SchoolManageView(AppView):
    """Every school of the organisation and its school years; add either."""

    capability = "education.manage"
    scope = Scope.ORG

    def context(self, school_form=None, year_form=None):
        return {
            "schools": selectors.school_list(actor=self.actor),
            "years": list(AcademicYear.objects.filter(organisation_id=self.actor.organisation_id)),
            "school_form": school_form or SchoolForm(),
            "year_form": year_form or YearForm(),
        }

    def get(self, request):
        return render(request, "education/school_manage.html", self.context())

    def post(self, request):
        if request.POST.get("form") == "year":
            form = YearForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    year = schools.year_create(
                        actor=self.actor,
                        name=d["name"],
                        starts_on=d["starts_on"],
                        ends_on=d["ends_on"],
                        terms=form.terms(),
                        weekdays="012345" if d["saturday"] else "01234",
                        holiday_language=d["holiday_language"],
                    )
                except DomainError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("School year created with Cambodia's public holidays."))
                    return redirect("education:year_detail", year_id=year.pk)
            return render(request, "education/school_manage.html", self.context(year_form=form), status=400)
        form = SchoolForm(request.POST)
        if form.is_valid():
            try:
                school = schools.school_create(actor=self.actor, data=form.data_for_service())
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("School added."))
                return redirect("education:school_detail", school_id=school.pk)
        return render(request, "education/school_manage.html", self.context(school_form=form), status=400)


def _school(actor, school_id) -> School:
    try:
        return selectors.school_get(actor=actor, school_id=school_id)
    except (School.DoesNotExist, ValidationError, ValueError):
        raise not_found() from None


class SchoolDetailView(AppView):
    """One school: its details, and its classes of each year (add a class)."""

    capability = "education.manage"

    def context(self, school, school_form=None, class_form=None):
        teachers = _teachers(school.organisation_id)
        classes = list(
            SchoolClass.objects.filter(school=school)
            .select_related("year", "homeroom_teacher__user")
            .annotate(pupils=Count("enrolments"))
            .order_by("-year__starts_on", "grade", "section")
        )
        initial = {
            "emis_code": school.emis_code,
            "name_km": school.name_km,
            "name_en": school.name_en,
            "level": school.level,
            "village": school.village_id,
            "version": school.version,
        }
        years = list(AcademicYear.objects.filter(organisation_id=school.organisation_id))
        return {
            "school": school,
            "classes": classes,
            "years": years,
            "current_year": selectors.current_year(school.organisation_id),
            "school_form": school_form or SchoolForm(initial=initial),
            "class_form": class_form or ClassForm(teachers=teachers),
        }

    def get(self, request, school_id):
        school = _school(self.actor, school_id)
        return render(request, "education/school_detail.html", self.context(school))

    def post(self, request, school_id):
        try:
            school = School.objects.actionable_by(self.actor, "education.manage").get(pk=school_id)
        except (School.DoesNotExist, ValidationError, ValueError):
            raise not_found() from None
        if request.POST.get("form") == "class":
            form = ClassForm(request.POST, teachers=_teachers(school.organisation_id))
            year_id = parse_uuid(request.POST.get("year"))
            year = (
                AcademicYear.objects.filter(organisation_id=school.organisation_id, pk=year_id).first()
                if year_id
                else None
            )
            if form.is_valid() and year is not None:
                d = form.cleaned_data
                try:
                    schools.class_create(
                        actor=self.actor,
                        school=school,
                        year=year,
                        grade=d["grade"],
                        section=d["section"],
                        homeroom_teacher_id=d["homeroom_teacher"] or None,
                    )
                except DomainError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Class added."))
                    return redirect("education:school_detail", school_id=school.pk)
            elif year is None:
                form.add_error(None, _("Choose the school year."))
            return render(
                request, "education/school_detail.html", self.context(school, class_form=form), status=400
            )
        form = SchoolForm(request.POST)
        if form.is_valid():
            try:
                schools.school_update(
                    actor=self.actor,
                    school=school,
                    version=form.cleaned_data["version"],
                    data=form.data_for_service(),
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("School saved."))
                return redirect("education:school_detail", school_id=school.pk)
        return render(
            request, "education/school_detail.html", self.context(school, school_form=form), status=400
        )


class YearDetailView(AppView):
    """A school year: its terms (dates change every year) and its holidays, closures, make-up days."""

    capability = "education.manage"
    scope = Scope.ORG

    def _year(self, year_id) -> AcademicYear:
        try:
            return selectors.year_get(actor=self.actor, year_id=year_id)
        except (AcademicYear.DoesNotExist, ValidationError, ValueError):
            raise not_found() from None

    def context(self, year, terms_form=None, day_form=None):
        terms = list(year.terms.order_by("number"))
        initial = {"version": year.version}
        for term in terms[:2]:
            initial.update(
                {
                    f"term{term.number}_name": term.name,
                    f"term{term.number}_start": term.starts_on,
                    f"term{term.number}_end": term.ends_on,
                }
            )
        calendar = selectors.calendar_for(year)
        return {
            "year": year,
            "terms": terms,
            "days": list(year.calendar_days.order_by("date")),
            "school_day_count": len(calendar.school_days()),
            "terms_form": terms_form or TermsForm(initial=initial),
            "day_form": day_form or CalendarDayForm(),
            "language": translation.get_language(),
        }

    def get(self, request, year_id):
        year = self._year(year_id)
        return render(request, "education/year_detail.html", self.context(year))

    def post(self, request, year_id):
        try:
            year = AcademicYear.objects.get(pk=year_id, organisation_id=self.actor.organisation_id)
        except (AcademicYear.DoesNotExist, ValidationError, ValueError):
            raise not_found() from None
        action = request.POST.get("form")
        if action == "remove_day":
            try:
                day = CalendarDayForm.base_fields["date"].to_python(request.POST.get("date"))
                schools.calendar_day_remove(actor=self.actor, year=year, date=day)
            except (ValidationError, DomainError):
                messages.error(request, _("That day could not be removed."))
            return redirect("education:year_detail", year_id=year.pk)
        if action == "day":
            form = CalendarDayForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    schools.calendar_day_set(
                        actor=self.actor,
                        year=year,
                        date=d["date"],
                        kind=d["kind"],
                        name_en=d["name"],
                        name_km=d["name"],
                    )
                except DomainError as error:
                    apply_errors(form, error)
                else:
                    return redirect("education:year_detail", year_id=year.pk)
            return render(
                request, "education/year_detail.html", self.context(year, day_form=form), status=400
            )
        form = TermsForm(request.POST)
        if form.is_valid():
            try:
                schools.terms_save(
                    actor=self.actor, year=year, version=form.cleaned_data["version"], terms=form.terms()
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Term dates saved."))
                return redirect("education:year_detail", year_id=year.pk)
        return render(request, "education/year_detail.html", self.context(year, terms_form=form), status=400)


class ClassPupilsView(AppView):
    """The pupils of a class with how their year is going: enrol a child, record a transfer,
    a dropout (date and reason), a return or the end of the year."""

    capability = "education.manage"
    template = "education/class_pupils.html"

    def context(self, school_class, enrol_form=None, change_form=None, change_for=None):
        enrolments = list(
            Enrolment.objects.filter(school_class=school_class)
            .select_related("person")
            .order_by("status", *selectors.pupil_order())
        )
        language = translation.get_language()
        for e in enrolments:
            e.school_class = school_class
            e.label = policies.pupil_label(self.actor, e, language)
            e.change_form = (
                change_form
                if change_for == e.pk
                else EnrolmentChangeForm(
                    initial={"enrolment": e.pk, "version": e.version, "date": clock.today()},
                    prefix=str(e.pk)[:8],
                )
            )
        selectors.record_pupils_read(
            actor=self.actor,
            action=EducationAction.CLASS_LISTED,
            school_class=school_class,
            enrolments=enrolments,
            query="pupils",
        )
        return {
            "school_class": school_class,
            "enrolments": enrolments,
            "enrol_form": enrol_form or EnrolForm(),
            "enrolled": EnrolmentStatus.ENROLLED,
        }

    def get(self, request, class_id):
        school_class = class_or_404(self.actor, class_id, "education.manage")
        return render(request, self.template, self.context(school_class))

    def post(self, request, class_id):
        school_class = class_or_404(self.actor, class_id, "education.manage")
        if request.POST.get("form") == "enrol":
            form = EnrolForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                # Only a child the actor may see can be enrolled; any other id reads as unknown.
                person = Person.objects.visible_to(self.actor).filter(pk=d["person"]).first()
                if person is None:
                    form.add_error("person", enrolment_services.UNKNOWN_CHILD)
                else:
                    try:
                        enrolment_services.enrol(
                            actor=self.actor,
                            school_class=school_class,
                            person=person,
                            enrolled_on=d["enrolled_on"],
                            is_repeating=d["is_repeating"],
                            transferred_in=d["transferred_in"],
                        )
                    except DomainError as error:
                        apply_errors(form, error)
                    else:
                        messages.success(request, _("Child enrolled."))
                        return redirect("education:class_pupils", class_id=school_class.pk)
            return render(request, self.template, self.context(school_class, enrol_form=form), status=400)
        enrolment = Enrolment.objects.filter(
            school_class=school_class, pk=_uuid_or_none(request.POST, "enrolment")
        ).first()
        if enrolment is None:
            raise not_found()
        enrolment.school_class = school_class
        form = EnrolmentChangeForm(request.POST, prefix=str(enrolment.pk)[:8])
        if form.is_valid():
            d = form.cleaned_data
            try:
                enrolment_services.enrolment_change(
                    actor=self.actor,
                    enrolment=enrolment,
                    version=d["version"],
                    kind=d["kind"],
                    date=d["date"],
                    reason=d["reason"],
                    note=d["note"],
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("education:class_pupils", class_id=school_class.pk)
        return render(
            request,
            self.template,
            self.context(school_class, change_form=form, change_for=enrolment.pk),
            status=400,
        )


def _uuid_or_none(data, suffix: str):
    for key, value in data.items():
        if key.endswith(suffix):
            try:
                return EnrolmentChangeForm.base_fields["enrolment"].to_python(value)
            except ValidationError:
                return None
    return None
