"""Screens of youth employment, phone first: the young people followed, a young person's path
from course to job with the offers that match them, placing them, the follow-ups due and
recorded, the courses with each participant's result, the open offers and the indicators.
Every id is looked up through ``visible_to``/``actionable_by``: forbidden, missing and
malformed look the same (404)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponleu.access.policies import identity_label
from ponleu.access.scoping import relationship_of
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.programmes.models import Group
from ponleu.registry.models import Person
from ponleu.registry.selectors.search import person_search

from . import selectors
from .choices import FOLLOW_UP_MONTHS, Skill
from .forms import CourseResultForm, DocumentForm, FollowUpForm, OfferForm, PlacementForm, ProfileForm
from .models import Offer, Placement, YouthProfile
from .services import courses as course_services
from .services import offers as offer_services
from .services import placements as placement_services
from .services import profiles as profile_services

VIEW = "employment.view"
RECORD = "employment.record"
MANAGE = "employment.manage"
SKILL_NAMES = dict(Skill.choices)


def _found(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (
        YouthProfile.DoesNotExist,
        Placement.DoesNotExist,
        Offer.DoesNotExist,
        Group.DoesNotExist,
    ) as error:
        raise Http404(NOT_FOUND_MESSAGE) from error
    except Person.DoesNotExist as error:
        raise Http404(NOT_FOUND_MESSAGE) from error


def _skill_names(codes) -> list[str]:
    return [str(SKILL_NAMES.get(code, code)) for code in codes]


class YouthListView(AppView):
    """The young people followed, and a search of the registry to open a profile for another."""

    capability = VIEW

    @transaction.atomic
    def get(self, request):
        query = (request.GET.get("q") or "").strip()[:100]
        can_record = self.actor.can(RECORD)
        hits = []
        if query and can_record:
            found = [hit.person for hit in person_search(actor=self.actor, query=query)]
            followed = set(
                YouthProfile.objects.filter(
                    organisation_id=self.actor.organisation_id, person__in=found
                ).values_list("person_id", flat=True)
            )
            hits = [(p, identity_label(self.actor, p)) for p in found if p.pk not in followed]
        context = {
            "rows": selectors.profile_list(actor=self.actor),
            "query": query,
            "hits": hits,
            "can_record": can_record,
        }
        return render(request, "employment/youth_list.html", context)


class ProfileCreateView(AppView):
    capability = RECORD
    template = "employment/profile_new.html"

    def _person(self, person_id):
        # Seen in the registry, and in the reach the worker records youth employment in (a
        # break-the-glass grant opens a record to read in an emergency, not to enrol them).
        person = _found(
            Person.objects.visible_to(self.actor).filter(merged_into__isnull=True).get, pk=person_id
        )
        if not self.actor.allows(RECORD, relationship_of(self.actor, person)):
            raise Http404(NOT_FOUND_MESSAGE)
        return person

    @transaction.atomic
    def get(self, request, person_id):
        person = self._person(person_id)
        selectors.people_read(actor=self.actor, people=[person])
        form = ProfileForm(initial={"consent_on": clock.today()})
        return render(
            request,
            self.template,
            {"person": person, "name": identity_label(self.actor, person), "form": form},
        )

    def post(self, request, person_id):
        person = self._person(person_id)
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile = profile_services.profile_create(
                    actor=self.actor,
                    person_id=person.pk,
                    education=form.cleaned_data["education"],
                    skill_codes=form.cleaned_data["skills"],
                    other_skills=form.cleaned_data["other_skills"],
                    interests=form.cleaned_data["interests"],
                    consent_on=form.cleaned_data["consent_on"],
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The profile is saved."))
                return redirect("employment:youth_path", profile_id=profile.pk)
        with transaction.atomic():
            selectors.people_read(actor=self.actor, people=[person])
            context = {"person": person, "name": identity_label(self.actor, person), "form": form}
        return render(request, self.template, context, status=400)


class YouthPathView(AppView):
    """A young person's way from course to job: courses and results, placements and their
    follow-ups, documents (to who may see who they are), and the offers that match them."""

    capability = VIEW

    @transaction.atomic
    def get(self, request, profile_id):
        path = _found(selectors.youth_path, actor=self.actor, profile_id=profile_id)
        selectors.record_read(actor=self.actor, obj=path.profile)
        can_record = self.actor.allows_object(RECORD, path.profile)
        matches = selectors.matches(actor=self.actor, profile=path.profile) if can_record else []
        today = clock.today()
        placements = []
        for placement, follow_ups in path.placements:
            steps = []
            for months in FOLLOW_UP_MONTHS:
                day = placement_services.follow_up_day(placement, months)
                steps.append((months, day, follow_ups.get(months), day - placement_services.EARLY <= today))
            placements.append((placement, steps))
        context = {
            "path": path,
            "document_form": DocumentForm() if can_record and path.documents is not None else None,
            "skills": _skill_names(path.profile.skills),
            "placements": placements,
            "matches": [(m, _skill_names(m.skills), _skill_names(m.missing)) for m in matches],
            "can_record": can_record,
        }
        return render(request, "employment/youth_path.html", context)


class DocumentAddView(AppView):
    """The document form of a young person's page (POST only), for a worker who may see who
    they are: the document's kind, number or title, and date."""

    capability = RECORD

    def post(self, request, profile_id):
        profile = _found(selectors.profile_get, actor=self.actor, profile_id=profile_id, capability=RECORD)
        if not selectors.identity_seen(actor=self.actor, profile=profile):
            raise Http404(NOT_FOUND_MESSAGE)
        form = DocumentForm(request.POST)
        if form.is_valid():
            try:
                profile_services.document_add(actor=self.actor, profile=profile, **form.cleaned_data)
            except DomainError as error:
                form.apply_error(error)
        if form.errors:
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("The document is recorded."))
        return redirect("employment:youth_path", profile_id=profile.pk)


class PlaceView(AppView):
    """Place the young person in an offer (``offer``, of the organisation): the start, and the
    wage agreed (the offer's by default)."""

    capability = RECORD
    template = "employment/place.html"

    def _objects(self, profile_id, offer_id):
        profile = _found(selectors.profile_get, actor=self.actor, profile_id=profile_id, capability=RECORD)
        offer = _found(selectors.offer_get, actor=self.actor, offer_id=offer_id)
        return profile, offer

    def _context(self, profile, offer, form):
        selectors.people_read(actor=self.actor, people=[profile.person])
        return {
            "profile": profile,
            "offer": offer,
            "form": form,
            "name": identity_label(self.actor, profile.person),
        }

    @transaction.atomic
    def get(self, request, profile_id):
        if not request.GET.get("offer"):
            # No offer chosen yet: the offers that match, to choose one.
            profile = _found(
                selectors.profile_get, actor=self.actor, profile_id=profile_id, capability=RECORD
            )
            selectors.record_read(actor=self.actor, obj=profile)
            context = self._context(profile, None, None)
            context["matches"] = selectors.matches(actor=self.actor, profile=profile)
            return render(request, self.template, context)
        profile, offer = self._objects(profile_id, request.GET.get("offer"))
        selectors.record_read(actor=self.actor, obj=profile)
        form = PlacementForm(
            initial={
                "offer": offer.pk,
                "starts_on": clock.today(),
                "wage": offer.wage,
                "currency": offer.currency,
            }
        )
        return render(request, self.template, self._context(profile, offer, form))

    def post(self, request, profile_id):
        profile, offer = self._objects(profile_id, request.POST.get("offer"))
        form = PlacementForm(request.POST)
        if form.is_valid():
            try:
                placement_services.placement_create(
                    actor=self.actor,
                    profile=profile,
                    offer_id=offer.pk,
                    starts_on=form.cleaned_data["starts_on"],
                    wage=form.cleaned_data["wage"],
                    currency=form.cleaned_data["currency"],
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The placement is saved."))
                return redirect("employment:youth_path", profile_id=profile.pk)
        with transaction.atomic():
            context = self._context(profile, offer, form)
        return render(request, self.template, context, status=400)


class FollowUpView(AppView):
    capability = RECORD
    template = "employment/follow_up.html"

    def _placement(self, job_placement_id, months):
        if months not in FOLLOW_UP_MONTHS:
            raise Http404(NOT_FOUND_MESSAGE)
        return _found(
            selectors.placement_get, actor=self.actor, placement_id=job_placement_id, capability=RECORD
        )

    def _context(self, placement, months, form):
        selectors.people_read(actor=self.actor, people=[placement.person])
        return {
            "placement": placement,
            "months": months,
            "due": placement_services.follow_up_day(placement, months),
            "form": form,
            "name": identity_label(self.actor, placement.person),
        }

    @transaction.atomic
    def get(self, request, job_placement_id, months):
        placement = self._placement(job_placement_id, months)
        selectors.record_read(actor=self.actor, obj=placement)
        form = FollowUpForm(initial={"followed_on": clock.today(), "currency": placement.currency})
        return render(request, self.template, self._context(placement, months, form))

    def post(self, request, job_placement_id, months):
        placement = self._placement(job_placement_id, months)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                placement_services.follow_up_record(
                    actor=self.actor,
                    placement=placement,
                    months=months,
                    followed_on=form.cleaned_data["followed_on"],
                    still_working=form.cleaned_data["still_working"],
                    wage=form.cleaned_data["wage"],
                    currency=form.cleaned_data["currency"],
                    satisfaction=form.cleaned_data["satisfaction"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The follow-up is saved."))
                return redirect("employment:youth_path", profile_id=placement.profile_id)
        with transaction.atomic():
            context = self._context(placement, months, form)
        return render(request, self.template, context, status=400)


class FollowUpsDueView(AppView):
    capability = RECORD

    @transaction.atomic
    def get(self, request):
        today = clock.today()
        placements = list(selectors.follow_ups_due(actor=self.actor)[: selectors.LIST_LIMIT])
        selectors.people_read(actor=self.actor, people=[p.person for p in placements], query="due")
        rows = []
        for placement in placements:
            months = selectors.due_months(placement, today)
            rows.append(
                (
                    placement,
                    identity_label(self.actor, placement.person),
                    months,
                    placement_services.follow_up_day(placement, months),
                )
            )
        return render(request, "employment/follow_ups_due.html", {"rows": rows, "today": today})


class CourseListView(AppView):
    capability = VIEW

    def get(self, request):
        return render(
            request, "employment/course_list.html", {"courses": list(selectors.course_list(actor=self.actor))}
        )


class CourseView(AppView):
    """A course's participants, each with their result and, to a worker who records, a form."""

    capability = VIEW
    template = "employment/course_detail.html"

    @transaction.atomic
    def get(self, request, course_id):
        course = _found(selectors.course_get, actor=self.actor, course_id=course_id)
        return render(request, self.template, _course_context(self.actor, course))


def _course_context(actor, course, errors=()):
    selectors.record_read(actor=actor, obj=course)
    return {
        "course": course,
        "roll": selectors.course_roll(actor=actor, course=course),
        "can_record": actor.allows_object(RECORD, course),
        "today": clock.today(),
        "errors": list(errors),
    }


class CourseResultView(AppView):
    """The result form of the course page (POST only): how a participant's course ended."""

    capability = RECORD

    def post(self, request, course_id):
        course = _found(selectors.course_get, actor=self.actor, course_id=course_id, capability=RECORD)
        form = CourseResultForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                course_services.course_result_record(
                    actor=self.actor,
                    course=course,
                    person_id=form.cleaned_data["person"],
                    outcome=form.cleaned_data["outcome"],
                    ended_on=form.cleaned_data["ended_on"],
                    certificate_number=form.cleaned_data["certificate_number"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                errors = [str(m) for problems in (error.errors or {}).values() for m in problems] or [
                    str(error.message)
                ]
            else:
                messages.success(request, _("The result is saved."))
                return redirect("employment:course_detail", course_id=course.pk)
        else:
            errors = [str(m) for problems in form.errors.values() for m in problems]
        with transaction.atomic():
            context = _course_context(self.actor, course, errors)
        return render(request, "employment/course_detail.html", context, status=400)


class OfferListView(AppView):
    capability = VIEW

    def get(self, request):
        offers = [(o, _skill_names(o.skills)) for o in selectors.offer_list(actor=self.actor)]
        context = {"offers": offers, "can_manage": self.actor.can(MANAGE)}
        return render(request, "employment/offer_list.html", context)


class OfferCreateView(AppView):
    """Record an employer's internship or job offer (employers are the directory's)."""

    capability = MANAGE
    template = "employment/offer_new.html"

    def _form(self, data=None, **kwargs):
        employers = [(str(e.pk), e.name_km) for e in selectors.employers()]
        return OfferForm(data, employers=employers, **kwargs)

    def get(self, request):
        return render(
            request, self.template, {"form": self._form(initial={"starts_on": clock.today(), "places": 1})}
        )

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                offer_services.offer_create(
                    actor=self.actor,
                    employer_id=data["employer"],
                    kind=data["kind"],
                    title=data["title"],
                    skill_codes=data["skills"],
                    place_code=data["place_code"].strip(),
                    wage=data["wage"],
                    currency=data["currency"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    places=data["places"],
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The offer is saved."))
                return redirect("employment:offer_list")
        return render(request, self.template, {"form": form}, status=400)


class IndicatorsView(AppView):
    capability = VIEW

    def get(self, request):
        return render(
            request, "employment/indicators.html", {"report": selectors.indicators(actor=self.actor)}
        )
