"""Pages of pregnancies and births: the list by due date (and the antenatal visits overdue),
registering a woman's pregnancy, a pregnancy's page with its visits, birth and newborn, and a
form for each step. Every page reaches its woman or pregnancy through ``visible_to`` /
``actionable_by``; forbidden, missing and malformed ids give the same 404. A reader who
reaches a pregnancy without sensitive access sees initials and masked health fields, and
the forms (which show them) answer 403."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.policies import identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.geography.selectors import unit_label
from ponleu.registry.models import Person

from . import policies, selectors, services
from .choices import PregnancyStatus
from .forms import AncForm, BirthForm, NewbornForm, PlanningForm, PncForm, PregnancyForm, ReferForm
from .models import AntenatalVisit, Pregnancy

VIEW = "maternal.view"
RECORD = "maternal.record"


def _not_found():
    return Http404(NOT_FOUND_MESSAGE)


def _place(person: Person) -> str:
    return unit_label(person.village, translation.get_language()) if person.village else ""


def _pregnancy(actor, pregnancy_id, capability: str = VIEW) -> Pregnancy:
    try:
        return selectors.pregnancy_fetch(actor=actor, pregnancy_id=pregnancy_id, capability=capability)
    except Pregnancy.DoesNotExist:
        raise _not_found() from None


def _facilities(pregnancy_or_person) -> list[tuple[str, str]]:
    """Health facilities of the directory serving the woman's commune, nearest first."""
    person = getattr(pregnancy_or_person, "person", pregnancy_or_person)
    probe = Pregnancy(person=person)
    language = translation.get_language()
    seen, found = set(), []
    for service in selectors.DANGER_SERVICES:
        for provider in selectors.providers_for(pregnancy=probe, service=service):
            if provider.pk not in seen:
                seen.add(provider.pk)
                found.append((str(provider.pk), provider.name(language)))
    return found


def _show_refusal(request, error: DomainError) -> None:
    shown = [str(m) for errors in (error.errors or {}).values() for m in errors]
    if str(error.message) not in shown:
        shown.insert(0, str(error.message))
    for message in shown:
        messages.error(request, message)


class PregnancyListView(AppView):
    """Pregnancies in the worker's reach by due date; ``?anc=overdue`` the ones whose next
    antenatal visit is past due; ``?certificate=missing`` the newborns without a birth
    certificate yet; ``?status=delivered`` or ``lost`` the ended ones."""

    capability = VIEW

    @transaction.atomic
    def get(self, request):
        overdue = request.GET.get("anc") == "overdue"
        certificate = request.GET.get("certificate") == "missing"
        status = request.GET.get("status", PregnancyStatus.ONGOING)
        if status not in PregnancyStatus.values:
            status = PregnancyStatus.ONGOING
        pregnancies = selectors.pregnancy_list(
            actor=self.actor, status=status, anc_overdue=overdue, certificate_missing=certificate
        )
        language = translation.get_language()
        rows = policies.label_pregnancies(self.actor, pregnancies, language)
        today = clock.today()
        context = {
            "rows": [
                {
                    "pregnancy": p,
                    "place": _place(p.person),
                    "weeks": p.weeks_on(today),
                    "overdue": p.anc_overdue_on(today),
                }
                for p in rows
            ],
            "overdue": overdue,
            "certificate": certificate,
            "status": status,
            "statuses": PregnancyStatus.choices,
        }
        return render(request, "maternal/pregnancy_list.html", context)


class PregnancyRegisterView(AppView):
    """Register a woman's pregnancy, from her record."""

    capability = RECORD
    template = "maternal/pregnancy_register.html"

    def _woman(self, person_id) -> Person:
        try:
            return selectors.woman_get(actor=self.actor, person_id=person_id)
        except Person.DoesNotExist:
            raise _not_found() from None

    def _context(self, woman, form):
        previous = list(woman.pregnancies.exclude(status=PregnancyStatus.ONGOING).order_by("-born_on"))
        return {
            "woman": woman,
            "label": identity_label(self.actor, woman),
            "form": form,
            "previous": [p for p in previous if policies.can_see_health(self.actor, p)],
        }

    @transaction.atomic
    def get(self, request, person_id):
        woman = self._woman(person_id)
        selectors.woman_read(actor=self.actor, person=woman)
        current = woman.pregnancies.filter(status=PregnancyStatus.ONGOING).first()
        if current is not None:
            messages.info(request, _("She already has an ongoing pregnancy: continue that one."))
            return redirect("maternal:pregnancy_detail", pregnancy_id=current.pk)
        form = PregnancyForm(facilities=_facilities(woman))
        return render(request, self.template, self._context(woman, form))

    def post(self, request, person_id):
        with transaction.atomic():
            woman = self._woman(person_id)
            selectors.woman_read(actor=self.actor, person=woman)
            form = PregnancyForm(request.POST, facilities=_facilities(woman))
            if form.is_valid():
                data = form.cleaned_data
                try:
                    pregnancy = services.pregnancy_register(
                        actor=self.actor,
                        person=woman,
                        last_period_on=data["last_period_on"],
                        due_on=data["due_on"],
                        planned_place=data["planned_place"],
                        planned_facility=data["planned_facility"],
                        note=data["note"],
                    )
                except DomainError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, _("The pregnancy is registered."))
                    return redirect("maternal:pregnancy_detail", pregnancy_id=pregnancy.pk)
        return render(request, self.template, self._context(woman, form), status=400)


class PregnancyDetailView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request, pregnancy_id):
        try:
            detail = selectors.pregnancy_detail(actor=self.actor, pregnancy_id=pregnancy_id)
        except Pregnancy.DoesNotExist:
            raise _not_found() from None
        pregnancy = detail.pregnancy
        unmasked = policies.can_see_health(self.actor, pregnancy)
        today = clock.today()
        newborn = pregnancy.newborn
        context = {
            "pregnancy": pregnancy,
            "woman": policies.woman_label(self.actor, pregnancy, translation.get_language()),
            "place": _place(pregnancy.person),
            "unmasked": unmasked,
            "can_record": policies.can_record(self.actor, pregnancy),
            "weeks": pregnancy.weeks_on(today),
            "overdue": pregnancy.anc_overdue_on(today),
            "antenatal": [
                {"visit": v, "referral": detail.referrals.get(v.referral_id)} for v in detail.antenatal
            ],
            "postnatal": detail.postnatal,
            "planning": detail.planning,
            "newborn": newborn,
            "newborn_label": (
                identity_label(self.actor, newborn, language=translation.get_language()) if newborn else ""
            ),
            "has_birth_certificate": detail.has_birth_certificate,
        }
        return render(request, "maternal/pregnancy_detail.html", context)


class StepView(AppView):
    """A form about one pregnancy: it shows her health data, so it needs ``maternal.record``
    and the sight of her sensitive record (403 otherwise)."""

    abstract = True
    capability = RECORD
    template = ""
    form_class = None
    ongoing_only = False
    success = ""

    def _load(self, pregnancy_id):
        pregnancy = _pregnancy(self.actor, pregnancy_id, RECORD)
        if self.ongoing_only and not pregnancy.is_ongoing:
            raise _not_found()
        return pregnancy

    def initial(self, pregnancy) -> dict:
        return {"version": pregnancy.version}

    def form(self, pregnancy, data=None):
        return self.form_class(data, initial=self.initial(pregnancy), facilities=_facilities(pregnancy))

    def context(self, pregnancy, form) -> dict:
        return {
            "pregnancy": pregnancy,
            "woman": policies.woman_label(self.actor, pregnancy, translation.get_language()),
            "weeks": pregnancy.weeks_on(clock.today()),
            "form": form,
        }

    def save(self, pregnancy, data):
        raise NotImplementedError

    def get(self, request, pregnancy_id):
        with transaction.atomic():
            pregnancy = self._load(pregnancy_id)
            if not policies.can_record(self.actor, pregnancy):
                return HttpResponseForbidden()
            selectors.pregnancy_read(actor=self.actor, pregnancy=pregnancy)
            return render(request, self.template, self.context(pregnancy, self.form(pregnancy)))

    def post(self, request, pregnancy_id):
        with transaction.atomic():
            pregnancy = self._load(pregnancy_id)
            if not policies.can_record(self.actor, pregnancy):
                return HttpResponseForbidden()
            selectors.pregnancy_read(actor=self.actor, pregnancy=pregnancy)
            form = self.form(pregnancy, request.POST)
            if form.is_valid():
                try:
                    result = self.save(pregnancy, dict(form.cleaned_data))
                except DomainError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, self.success_message())
                    return self.done(pregnancy, result)
            context = self.context(pregnancy, form)
        return render(request, self.template, context, status=400)

    def success_message(self) -> str:
        return _("Saved.")

    def done(self, pregnancy, result):
        return redirect("maternal:pregnancy_detail", pregnancy_id=pregnancy.pk)


class AncCreateView(StepView):
    template = "maternal/anc_form.html"
    form_class = AncForm
    ongoing_only = True

    def initial(self, pregnancy):
        return {"version": pregnancy.version, "visited_on": clock.today()}

    def save(self, pregnancy, data):
        version = data.pop("version")
        return services.anc_record(actor=self.actor, pregnancy=pregnancy, version=version, **data)

    def success_message(self):
        return _("The antenatal visit is recorded.")

    def done(self, pregnancy, visit):
        if visit.danger_signs:
            messages.warning(self.request, _("Danger sign: refer her to a health facility today."))
            return redirect("maternal:anc_refer", pregnancy_id=pregnancy.pk, anc_id=visit.pk)
        return super().done(pregnancy, visit)


class AncReferView(StepView):
    """Refer the woman with a danger sign: the draft referral's page comes next, where
    consent is checked and the referral sent."""

    template = "maternal/anc_refer.html"
    form_class = ReferForm

    def _visit(self, pregnancy) -> AntenatalVisit:
        visit = AntenatalVisit.objects.filter(pregnancy=pregnancy, pk=self.kwargs["anc_id"]).first()
        if visit is None:
            raise _not_found()
        return visit

    def context(self, pregnancy, form):
        context = super().context(pregnancy, form)
        context["visit"] = self._visit(pregnancy)
        return context

    def save(self, pregnancy, data):
        return services.anc_refer(
            actor=self.actor,
            visit=self._visit(pregnancy),
            version=data["version"],
            provider=data["provider"],
            service=data["service"],
            reason=data["reason"],
            urgency=data["urgency"],
        )

    def get(self, request, pregnancy_id, anc_id):
        return super().get(request, pregnancy_id)

    def post(self, request, pregnancy_id, anc_id):
        return super().post(request, pregnancy_id)

    def success_message(self):
        return _("The referral is drafted: check consent and send it.")

    def done(self, pregnancy, referral):
        return redirect("referrals:referral_detail", referral_id=referral.pk)


class BirthRecordView(StepView):
    template = "maternal/birth_form.html"
    form_class = BirthForm
    ongoing_only = True

    def initial(self, pregnancy):
        return {
            "version": pregnancy.version,
            "born_on": clock.today(),
            "place": pregnancy.planned_place,
            "facility": str(pregnancy.planned_facility_id or ""),
        }

    def save(self, pregnancy, data):
        version = data.pop("version")
        return services.birth_record(actor=self.actor, pregnancy=pregnancy, version=version, **data)

    def success_message(self):
        return _("The birth is recorded.")

    def done(self, pregnancy, result):
        if result.outcome == "live_birth":
            return redirect("maternal:newborn_register", pregnancy_id=pregnancy.pk)
        return super().done(pregnancy, result)


class NewbornRegisterView(StepView):
    """Only after a live birth not yet followed by its newborn's registration (404 before)."""

    template = "maternal/newborn_form.html"
    form_class = NewbornForm
    may_be_empty = True

    def _load(self, pregnancy_id):
        pregnancy = super()._load(pregnancy_id)
        if pregnancy.outcome != "live_birth" or pregnancy.newborn_id is not None:
            raise _not_found()
        return pregnancy

    def initial(self, pregnancy):
        return {"version": pregnancy.version, "family_name_km": pregnancy.person.family_name_km}

    def form(self, pregnancy, data=None):
        return NewbornForm(data, initial=self.initial(pregnancy))

    def save(self, pregnancy, data):
        version = data.pop("version")
        return services.newborn_register(actor=self.actor, pregnancy=pregnancy, version=version, data=data)

    def success_message(self):
        return _("The newborn is registered in the mother's household.")


class PncCreateView(StepView):
    """Only after a birth (404 before)."""

    template = "maternal/pnc_form.html"
    form_class = PncForm
    may_be_empty = True

    def _load(self, pregnancy_id):
        pregnancy = super()._load(pregnancy_id)
        if pregnancy.status != PregnancyStatus.DELIVERED:
            raise _not_found()
        return pregnancy

    def initial(self, pregnancy):
        return {"version": pregnancy.version, "visited_on": clock.today()}

    def form(self, pregnancy, data=None):
        return PncForm(data, initial=self.initial(pregnancy))

    def save(self, pregnancy, data):
        version = data.pop("version")
        return services.pnc_record(actor=self.actor, pregnancy=pregnancy, version=version, **data)

    def success_message(self):
        return _("The postnatal visit is recorded.")


class PlanningCreateView(StepView):
    template = "maternal/planning_form.html"
    form_class = PlanningForm

    def initial(self, pregnancy):
        return {"version": pregnancy.version, "counselled_on": clock.today()}

    def form(self, pregnancy, data=None):
        return PlanningForm(data, initial=self.initial(pregnancy))

    def save(self, pregnancy, data):
        version = data.pop("version")
        return services.planning_record(actor=self.actor, pregnancy=pregnancy, version=version, **data)

    def success_message(self):
        return _("The family planning counselling is recorded.")
