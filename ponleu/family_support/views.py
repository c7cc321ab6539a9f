"""Pages of family support: a household's plans (also the section of the household's page,
loaded by HTMX), the needs assessment, a plan, one need with its directory service and its
referral, follow-up visits and graduation. Every page reaches its household or plan through
``visible_to``/``actionable_by``; forbidden, missing and malformed ids give the same 404."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.geography.selectors import unit_label
from ponleu.registry.models import Household, Person

from . import policies, selectors, services
from .choices import NeedDomain
from .forms import AssessmentForm, GraduateForm, NeedForm, ReferForm, VisitForm
from .models import SupportPlan


def _not_found():
    return Http404(NOT_FOUND_MESSAGE)


def _place(household: Household) -> str:
    return unit_label(household.village, translation.get_language()) if household.village else ""


def _household(actor, household_id, capability: str) -> Household:
    try:
        return selectors.household_get(actor=actor, household_id=household_id, capability=capability)
    except Household.DoesNotExist:
        raise _not_found() from None


def _plan(actor, plan_id, capability: str = "family_support.view") -> SupportPlan:
    try:
        return selectors.plan_fetch(actor=actor, plan_id=plan_id, capability=capability)
    except SupportPlan.DoesNotExist:
        raise _not_found() from None


def _need_domain(value: str) -> str:
    if value not in NeedDomain.values:
        raise _not_found()
    return value


def _show_refusal(request, error: DomainError) -> None:
    shown = [str(m) for errors in (error.errors or {}).values() for m in errors]
    if str(error.message) not in shown:
        shown.insert(0, str(error.message))
    for message in shown:
        messages.error(request, message)


class PlanListView(AppView):
    """Households in family support in the worker's reach, the next visit due first."""

    capability = "family_support.view"

    @transaction.atomic
    def get(self, request):
        due = request.GET.get("due") == "1"
        plans = selectors.plan_list(actor=self.actor, due=due)
        today = clock.today()
        rows = [
            {
                "plan": plan,
                "place": _place(plan.household),
                "overdue": plan.next_visit_on is not None and plan.next_visit_on < today,
            }
            for plan in plans
        ]
        return render(request, "family_support/plan_list.html", {"rows": rows, "due": due})


class HouseholdPlansView(AppView):
    """A household's plans; for HTMX, the section of the household's page."""

    capability = "family_support.view"

    @transaction.atomic
    def get(self, request, household_id):
        household = _household(self.actor, household_id, self.capability)
        plans = selectors.household_plans(actor=self.actor, household=household)
        context = {
            "household": household,
            "place": _place(household),
            "plans": plans,
            "has_open": any(p.is_open for p in plans),
            "can_start": self.actor.allows_object("family_support.edit", household),
        }
        template = "family_support/household_plans.html"
        return render(request, f"{template}#support" if request.htmx else template, context)


class PlanStartView(AppView):
    """The needs assessment that starts a household's plan."""

    capability = "family_support.edit"
    template = "family_support/plan_start.html"

    def _context(self, household, form):
        return {"household": household, "place": _place(household), "form": form}

    @transaction.atomic
    def get(self, request, household_id):
        household = _household(self.actor, household_id, self.capability)
        plans = selectors.household_plans(actor=self.actor, household=household)
        current = next((p for p in plans if p.is_open), None)
        if current is not None:
            messages.info(request, _("This household already has a plan in progress: continue that one."))
            return redirect("family_support:plan_detail", plan_id=current.pk)
        form = AssessmentForm(initial={"assessed_on": clock.today()})
        return render(request, self.template, self._context(household, form))

    def post(self, request, household_id):
        with transaction.atomic():
            household = _household(self.actor, household_id, self.capability)
            form = AssessmentForm(request.POST)
            if form.is_valid():
                try:
                    plan = services.plan_start(
                        actor=self.actor,
                        household=household,
                        assessed_on=form.cleaned_data["assessed_on"],
                        next_visit_on=form.cleaned_data["next_visit_on"],
                        needs=form.needs(),
                    )
                except DomainError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, _("The family support plan is started."))
                    return redirect("family_support:plan_detail", plan_id=plan.pk)
        return render(request, self.template, self._context(household, form), status=400)


class PlanDetailView(AppView):
    capability = "family_support.view"

    @transaction.atomic
    def get(self, request, plan_id):
        try:
            detail = selectors.plan_detail(actor=self.actor, plan_id=plan_id)
        except SupportPlan.DoesNotExist:
            raise _not_found() from None
        plan = detail.plan
        can_edit = policies.can_edit(self.actor, plan)
        open_domains = [n.domain for n in detail.needs if n.is_open]
        context = {
            "plan": plan,
            "household": plan.household,
            "place": _place(plan.household),
            "needs": [{"need": n, "referral": detail.referrals.get(n.referral_id)} for n in detail.needs],
            "visits": detail.visits,
            "can_edit": can_edit,
            "gaps": policies.graduation_gaps(detail.needs) if plan.is_open else [],
            "graduate_form": GraduateForm(initial={"version": plan.version}),
            "open_domains": open_domains,
            "overdue": plan.is_open and plan.next_visit_on is not None and plan.next_visit_on < clock.today(),
        }
        return render(request, "family_support/plan_detail.html", context)


class NeedEditView(AppView):
    """One need: its level, the directory service that answers it (providers serving the
    household's commune, refreshed by HTMX when the service changes), whether it is met, and
    the referral of a household member to that service."""

    capability = "family_support.edit"
    template = "family_support/need_edit.html"

    def _need_form(self, plan, need, service, data=None, initial=None):
        url = reverse("family_support:need_edit", kwargs={"plan_id": plan.pk, "need_domain": need.domain})
        return NeedForm(
            data,
            initial=initial,
            domain=need.domain,
            providers=self._providers(plan, service),
            providers_url=url,
        )

    def _providers(self, plan, service):
        found = selectors.providers_for(service=service, household=plan.household)
        return [(str(p.pk), p.name(translation.get_language())) for p in found]

    def _context(self, plan, need, form, refer_form):
        return {
            "plan": plan,
            "household": plan.household,
            "place": _place(plan.household),
            "need": need,
            "form": form,
            "refer_form": refer_form,
        }

    def _refer_form(self, plan, data=None):
        people = [
            (str(person.pk), label)
            for person, label in selectors.household_people(
                actor=self.actor, household=plan.household, capability="referrals.send"
            )
        ]
        return ReferForm(data, initial={"version": plan.version}, people=people)

    def _load(self, plan_id, need_domain):
        domain = _need_domain(need_domain)
        plan = _plan(self.actor, plan_id, self.capability)
        if not plan.is_open:
            raise _not_found()
        need = plan.needs.select_related("provider").filter(domain=domain).first()
        if need is None:
            raise _not_found()
        return plan, need

    @transaction.atomic
    def get(self, request, plan_id, need_domain):
        plan, need = self._load(plan_id, need_domain)
        selectors.plan_read(actor=self.actor, plan=plan)
        service = request.GET.get("service", need.service)
        initial = {
            "version": plan.version,
            "level": need.level,
            "note": need.note,
            "service": service,
            "provider": str(need.provider_id) if need.provider_id and service == need.service else "",
            "met": need.met_on is not None,
        }
        form = self._need_form(plan, need, service, initial=initial)
        if request.htmx:
            return render(request, f"{self.template}#providers", {"form": form})
        return render(request, self.template, self._context(plan, need, form, self._refer_form(plan)))

    def post(self, request, plan_id, need_domain):
        with transaction.atomic():
            plan, need = self._load(plan_id, need_domain)
            selectors.plan_read(actor=self.actor, plan=plan)
            service = request.POST.get("service", "")
            form = self._need_form(plan, need, service, data=request.POST)
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version")
                try:
                    services.need_update(
                        actor=self.actor, plan=plan, domain=need.domain, version=version, data=data
                    )
                except DomainError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, _("The need is saved."))
                    return redirect("family_support:plan_detail", plan_id=plan.pk)
            context = self._context(plan, need, form, self._refer_form(plan))
        return render(request, self.template, context, status=400)


class NeedReferView(AppView):
    """Refer a household member to the need's service: the draft referral's page comes next,
    where consent is checked and the referral sent."""

    capability = "family_support.edit"

    def post(self, request, plan_id, need_domain):
        domain = _need_domain(need_domain)
        with transaction.atomic():
            plan = _plan(self.actor, plan_id, self.capability)
            people = selectors.household_people(
                actor=self.actor, household=plan.household, capability="referrals.send"
            )
            form = ReferForm(request.POST, people=[(str(p.pk), label) for p, label in people])
            if not form.is_valid():
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(request, message)
                return redirect("family_support:need_edit", plan_id=plan.pk, need_domain=domain)
            person = Person.objects.visible_to(self.actor).get(pk=form.cleaned_data["person"])
            try:
                referral = services.need_refer(
                    actor=self.actor,
                    plan=plan,
                    domain=domain,
                    version=form.cleaned_data["version"],
                    person=person,
                    reason=form.cleaned_data["reason"],
                    urgency=form.cleaned_data["urgency"],
                    shared_fields=form.cleaned_data["shared_fields"],
                )
            except DomainError as error:
                _show_refusal(request, error)
                return redirect("family_support:need_edit", plan_id=plan.pk, need_domain=domain)
        messages.success(request, _("The referral is drafted: check consent and send it."))
        return redirect("referrals:referral_detail", referral_id=referral.pk)


class VisitCreateView(AppView):
    capability = "family_support.edit"
    template = "family_support/visit_form.html"

    def _load(self, plan_id):
        plan = _plan(self.actor, plan_id, self.capability)
        if not plan.is_open:
            raise _not_found()
        open_domains = [n.domain for n in plan.needs.all() if n.is_open]
        return plan, open_domains

    def _context(self, plan, form):
        return {"plan": plan, "household": plan.household, "place": _place(plan.household), "form": form}

    @transaction.atomic
    def get(self, request, plan_id):
        plan, open_domains = self._load(plan_id)
        selectors.plan_read(actor=self.actor, plan=plan)
        form = VisitForm(
            initial={"version": plan.version, "visited_on": clock.today()}, open_domains=open_domains
        )
        return render(request, self.template, self._context(plan, form))

    def post(self, request, plan_id):
        with transaction.atomic():
            plan, open_domains = self._load(plan_id)
            selectors.plan_read(actor=self.actor, plan=plan)
            form = VisitForm(request.POST, open_domains=open_domains)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.visit_record(
                        actor=self.actor,
                        plan=plan,
                        version=data["version"],
                        visited_on=data["visited_on"],
                        note=data["note"],
                        met=data.get("met", []),
                        next_visit_on=data["next_visit_on"],
                    )
                except DomainError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, _("The visit is recorded."))
                    return redirect("family_support:plan_detail", plan_id=plan.pk)
        return render(request, self.template, self._context(plan, form), status=400)


class PlanGraduateView(AppView):
    """Graduation, from the plan's page: refused, naming each need still open, until all are met."""

    capability = "family_support.edit"

    def post(self, request, plan_id):
        with transaction.atomic():
            plan = _plan(self.actor, plan_id, self.capability)
            form = GraduateForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Reload the page and try again."))
                return redirect("family_support:plan_detail", plan_id=plan.pk)
            try:
                services.plan_graduate(
                    actor=self.actor,
                    plan=plan,
                    version=form.cleaned_data["version"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                _show_refusal(request, error)
            else:
                messages.success(request, _("The household has graduated from family support."))
        return redirect("family_support:plan_detail", plan_id=plan.pk)
