"""Pages of the service directory and referrals (server-rendered, HTMX for the search)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, get_visible_or_404
from ponleu.cases.models import Case, CaseType
from ponleu.cases.pdf import font_face_css, render_pdf
from ponleu.common import clock
from ponleu.common.errors import DomainError, PermissionDenied
from ponleu.early_warning.models import Flag
from ponleu.geography.models import AdminUnit
from ponleu.geography.selectors import unit_label
from ponleu.geography.selectors import unit_label_khmer_first as place_label
from ponleu.jobs.selectors import job_get
from ponleu.organisations.models import Organisation
from ponleu.registry.forms import apply_errors
from ponleu.registry.models import Household, Person
from ponleu.registry.policies import exported_name
from ponleu.registry.selectors import people as person_selectors

from . import selectors, services, slip, spreadsheets, workflow
from .choices import ReferralEvent, ReferralOrigin
from .forms import (
    DirectoryImportForm,
    DirectorySearchForm,
    ProviderForm,
    ProviderReportForm,
    ReferralForm,
    SendForm,
    StepForm,
)
from .models import Provider, Referral


def _communes(actor):
    units = AdminUnit.objects.filter(level="commune").order_by("code")
    if actor.area_codes:
        area = Q()
        for code in actor.area_codes:
            area |= Q(code__startswith=code)
        units = units.filter(area)
    language = get_language()
    return [(u.code, u.name(language)) for u in units[:2000]]


class DirectoryView(AppView):
    capability = "directory.view"

    def get(self, request):
        can_manage = self.actor.can("directory.manage")
        if request.GET.get("check") == "1" and can_manage:
            page = Paginator(selectors.providers_to_check(actor=self.actor), 50).get_page(
                request.GET.get("page")
            )
            return render(request, "referrals/directory_check.html", {"page": page, "today": clock.today()})
        form = DirectorySearchForm(request.GET or None, communes=_communes(self.actor))
        found = []
        if form.is_valid() and (form.cleaned_data["service"] or form.cleaned_data["commune"]):
            found = selectors.provider_search(**form.cleaned_data)
        person_id = request.GET.get("person", "")
        template = "referrals/directory.html#results" if request.htmx else "referrals/directory.html"
        context = {
            "form": form,
            "providers": found,
            "person_id": person_id,
            # Where the referral comes from, carried to the new referral (only what is in reach).
            "origin": _origin_links(self.actor, request.GET),
            "can_manage": can_manage,
        }
        return render(request, template, context)


def _provider_or_404(provider_id, providers=None) -> Provider:
    return get_visible_or_404(
        (providers if providers is not None else Provider.objects)
        .prefetch_related("services", "areas")
        .select_related("location"),
        pk=provider_id,
    )


def _organisations() -> list[tuple[str, str]]:
    language = get_language()
    return [
        (str(org.pk), org.display_name(language))
        for org in Organisation.objects.filter(is_active=True).order_by("name_km")
    ]


def _places_chosen(form: ProviderForm) -> dict:
    """The places the form holds, by name (Khmer first): those served as the picker's ticked
    boxes, and the location's label. A code that is no place stays shown as typed, so that the
    error beside it says what was refused."""
    codes = list(dict.fromkeys(form.fields["areas"].to_python(form["areas"].value())))
    location = str(form["location"].value() or "")
    units = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(code__in=[*codes, location]).select_related(
            "parent__parent__parent"
        )
    }
    chosen = [(code, place_label(units[code]) if code in units else code) for code in codes]
    language = get_language()
    location_label = unit_label(units[location], language) if location in units else ""
    return {"areas_chosen": chosen, "location_label": location_label}


class ProviderEditView(AppView):
    """An administrator keeps one provider's entry: saving it, even unchanged, marks it checked
    today and answers a user's report that it was wrong."""

    capability = "directory.manage"
    template = "referrals/provider_edit.html"

    def _render(self, request, provider, form, status=200):
        context = {"provider": provider, "form": form, **_places_chosen(form)}
        return render(request, self.template, context, status=status)

    def get(self, request, provider_id):
        provider = _provider_or_404(provider_id, Provider.objects.manageable_by(self.actor))
        form = ProviderForm(initial=ProviderForm.initial_for(provider), organisations=_organisations())
        return self._render(request, provider, form)

    def post(self, request, provider_id):
        provider = _provider_or_404(provider_id, Provider.objects.manageable_by(self.actor))
        form = ProviderForm(request.POST, organisations=_organisations())
        if form.is_valid():
            notes = {offered.service: offered.note for offered in provider.services.all()}
            try:
                services.provider_save(
                    actor=self.actor,
                    provider=provider,
                    data=form.provider_data(notes),
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The entry was saved and marked checked today."))
                return redirect(f"{reverse('referrals:directory')}?check=1")
        return self._render(request, provider, form, status=400)


class ProviderReportView(AppView):
    """Anyone who uses the directory can say an entry is wrong; the administrators are asked
    to check it on their "Today"."""

    capability = "directory.view"
    template = "referrals/provider_report.html"

    def get(self, request, provider_id):
        provider = _provider_or_404(provider_id)
        return render(request, self.template, {"provider": provider, "form": ProviderReportForm()})

    def post(self, request, provider_id):
        provider = _provider_or_404(provider_id)
        form = ProviderReportForm(request.POST)
        if form.is_valid():
            try:
                services.provider_report(actor=self.actor, provider=provider, note=form.cleaned_data["note"])
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Thank you: an administrator will check this entry."))
                return redirect("referrals:directory")
        return render(request, self.template, {"provider": provider, "form": form}, status=400)


def _origin_querysets(actor) -> dict:
    return {
        "case": Case.objects.visible_to(actor),
        "household": Household.objects.visible_to(actor),
        "flag": Flag.objects.visible_to(actor).select_related("enrolment"),
    }


def _origin_links(actor, params) -> dict[str, str]:
    """The case, household or flag a referral starts from, as the link names them: each kept
    only when it is a well-formed id of a record in the actor's reach (others are ignored)."""
    links = {}
    for name, queryset in _origin_querysets(actor).items():
        value = str(params.get(name) or "")
        try:
            pk = uuid.UUID(value)
        except ValueError:
            continue
        if queryset.filter(pk=pk).exists():
            links[name] = str(pk)
    return links


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DirectoryImportTemplateView(AppView):
    capability = "directory.manage"

    def get(self, request):
        response = HttpResponse(spreadsheets.build_template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="ponleu-directory-template.xlsx"'
        response["Cache-Control"] = "no-store"
        return response


class DirectoryImportView(AppView):
    """Upload → dry run: every problem by row and column, or a queued job and "import now"."""

    capability = "directory.manage"
    template = "referrals/directory_import.html"

    def get(self, request):
        return render(request, self.template, {"form": DirectoryImportForm()})

    def post(self, request):
        form = DirectoryImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > services.directory_import.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB; split it into several files."))
            return render(request, self.template, {"form": form}, status=400)
        plan, job = services.directory_import.import_prepare(actor=self.actor, data=upload.read())
        language = translation.get_language()
        problems = [{"row": p.row, "column": p.label(language), "message": p.message} for p in plan.problems]
        context = {"form": DirectoryImportForm(), "plan": plan, "job": job, "problems": problems}
        return render(request, self.template, context, status=200 if job else 400)


def _import_job(actor, job_id):
    job = job_get(actor=actor, job_id=job_id, kind=services.directory_import.JOB_KIND)
    if job is None:
        raise Http404(NOT_FOUND_MESSAGE)
    return job


class DirectoryImportStartView(AppView):
    capability = "directory.manage"

    def post(self, request, directory_job_id):
        try:
            job = services.directory_import.import_start(
                actor=self.actor, job=_import_job(self.actor, directory_job_id)
            )
        except PermissionDenied:
            return HttpResponseForbidden()
        return redirect("referrals:directory_import_job", directory_job_id=job.pk)


class DirectoryImportJobView(AppView):
    """The import's progress; the bar polls itself (HTMX) until the job has finished."""

    capability = "directory.manage"

    def get(self, request, directory_job_id):
        job = _import_job(self.actor, directory_job_id)
        template = "referrals/directory_import_job.html"
        if request.htmx:
            template += "#progress"
        return render(request, template, {"job": job})


class ReferralListView(AppView):
    """Overdue, referred to us, sent by us; or, from a link that carries filters (the caseload,
    "Today"), the one filtered list, a page at a time."""

    capability = "referrals.view"
    page_size = 50

    @transaction.atomic
    def get(self, request):
        filters = selectors.ReferralFilters.from_params(request.GET)
        if filters.active:
            page = Paginator(
                selectors.referrals_filtered(actor=self.actor, filters=filters), self.page_size
            ).get_page(request.GET.get("page"))
            selectors.referrals_served(actor=self.actor, referrals=page.object_list)
            context = {"filters": filters, "page": page, "rows": page.object_list, "query": filters.query()}
            return render(request, "referrals/referral_list.html", context)
        rows = selectors.referral_list(actor=self.actor)
        today = clock.today()
        sent = [r for r in rows if r.organisation_id == self.actor.organisation_id]
        received = [r for r in rows if r.receiver_id == self.actor.organisation_id]
        overdue = [
            r for r in rows if r.due_on and r.due_on < today and r.status not in ("closed", "withdrawn")
        ]
        return render(
            request, "referrals/referral_list.html", {"sent": sent, "received": received, "overdue": overdue}
        )


class ReferralCreateView(AppView):
    """A new referral of a child to a service found in the directory; from a case, a household
    or a dropout-risk flag when the link names one (``case``, ``household``, ``flag``)."""

    capability = "referrals.send"
    id_parameters = {
        "person": "registry.person",
        "case": "cases.case",
        "household": "registry.household",
        "flag": "early_warning.flag",
    }

    def _load(self, request):
        person = get_visible_or_404(
            Person.objects.visible_to(self.actor).active(),
            pk=request.GET.get("person") or request.POST.get("person"),
        )
        if not can_see_identity(self.actor, person):
            raise Http404(NOT_FOUND_MESSAGE)
        provider = get_visible_or_404(
            Provider.objects.filter(is_active=True),
            pk=request.GET.get("provider") or request.POST.get("provider"),
        )
        links = {}
        for name, queryset in _origin_querysets(self.actor).items():
            value = request.GET.get(name) or request.POST.get(name)
            if value:
                links[name] = get_visible_or_404(queryset, pk=value)
        return person, provider, links

    def _render(self, request, person, provider, links, form, status=200):
        context = {
            "person": person,
            "person_label": identity_label(self.actor, person),
            "provider": provider,
            "links": {name: record.pk for name, record in links.items()},
            "form": form,
            "outside_area": not selectors.provider_serves(provider, person.area_code),
        }
        return render(request, "referrals/referral_new.html", context, status=status)

    @transaction.atomic
    def get(self, request):
        if not request.GET.get("person") or not request.GET.get("provider"):
            # A referral starts from a child and a service found in the directory.
            return redirect("referrals:directory")
        person, provider, links = self._load(request)
        person_selectors.person_read(actor=self.actor, person=person, query="referral")
        service = request.GET.get("service") or provider.services.values_list("service", flat=True).first()
        return self._render(request, person, provider, links, ReferralForm(initial={"service": service}))

    def post(self, request):
        with transaction.atomic():
            person, provider, links = self._load(request)
            form = ReferralForm(request.POST)
            if form.is_valid():
                try:
                    referral = services.referral_draft(
                        actor=self.actor,
                        person=person,
                        provider=provider,
                        origin=_origin_of(links),
                        case=links.get("case"),
                        household=links.get("household"),
                        risk_flag=links.get("flag"),
                        **form.cleaned_data,
                    )
                except DomainError as error:
                    for field, errors in error.errors.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, str(message))
                else:
                    return redirect("referrals:referral_detail", referral_id=referral.pk)
            return self._render(request, person, provider, links, form, status=400)


def _origin_of(links: dict) -> str:
    """The most particular of what the referral came from: a flag, a household, a case."""
    if "flag" in links:
        return ReferralOrigin.RISK_FLAG
    if "household" in links:
        return ReferralOrigin.HOUSEHOLD
    if "case" in links:
        return ReferralOrigin.CASE
    return ReferralOrigin.REGISTRY


class ReferralDetailView(AppView):
    capability = "referrals.view"

    def _context(self, referral):
        receiving = selectors.is_receiver(self.actor, referral)
        side = workflow.RECEIVER if receiving else workflow.REFERRER
        acts_for_receiver = receiving or referral.receiver_id is None
        steps = [
            m
            for m in workflow.events_from(referral.status)
            if m.event not in (ReferralEvent.SEND,)
            and (m.side == side or (m.side == workflow.RECEIVER and acts_for_receiver))
        ]
        context = {
            "referral": referral,
            "receiving": receiving,
            "steps": steps,
            "step_form": StepForm(initial={"version": referral.version}),
            "send_form": SendForm(initial={"version": referral.version, "send_key": uuid.uuid4()}),
        }
        if receiving:
            context["shared"] = selectors.shared_record(actor=self.actor, referral=referral)
            if self.actor.can("cases.open") and any(m.event == ReferralEvent.ACCEPT for m in steps):
                context["case_types"] = CaseType.objects.filter(
                    organisation_id=self.actor.organisation_id, is_active=True
                )
        else:
            # The referral follows the child's surviving record when it was merged since.
            child = selectors.surviving_record(referral.person)
            context["person_label"] = identity_label(self.actor, child)
            context["merged"] = child.pk != referral.person_id
            if Person.objects.visible_to(self.actor).filter(pk=child.pk).exists():
                context["child_url"] = reverse("registry:person_detail", kwargs={"person_id": child.pk})
            context["missing"] = (
                services.referrals.consent_missing(referral) if referral.status == "draft" else []
            )
            context["outside_area"] = not selectors.provider_serves(referral.provider, child.area_code)
            context["consent_ended"] = selectors.consent_ended(referral)
            context["can_review_flags"] = self.actor.can("ews.review")
        return context

    @transaction.atomic
    def get(self, request, referral_id):
        try:
            referral = selectors.referral_get(actor=self.actor, referral_id=referral_id)
        except (Referral.DoesNotExist, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None
        return render(request, "referrals/referral_detail.html", self._context(referral))


class ReferralSendView(AppView):
    capability = "referrals.send"

    def post(self, request, referral_id):
        referral = get_visible_or_404(
            Referral.objects.visible_to(self.actor).actionable_by(self.actor, "referrals.send"),
            pk=referral_id,
        )
        form = SendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Reload the page and send again."))
            return redirect("referrals:referral_detail", referral_id=referral.pk)
        try:
            services.referral_send(
                actor=self.actor,
                referral=referral,
                version=form.cleaned_data["version"],
                send_key=form.cleaned_data["send_key"],
            )
        except DomainError as error:
            for errors in error.errors.values() or [[error.message]]:
                for message in errors:
                    messages.error(request, str(message))
            if not error.errors:
                messages.error(request, str(error.message))
        else:
            messages.success(request, _("The referral was sent."))
        return redirect("referrals:referral_detail", referral_id=referral.pk)


class ReferralStepView(AppView):
    capability = "referrals.view"

    def post(self, request, referral_id, referral_event):
        event = referral_event
        if event not in ReferralEvent.values or event == ReferralEvent.SEND:
            raise Http404(NOT_FOUND_MESSAGE)
        referral = get_visible_or_404(Referral.objects.visible_to(self.actor), pk=referral_id)
        form = StepForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Reload the page and try again."))
            return redirect("referrals:referral_detail", referral_id=referral.pk)
        try:
            if event == ReferralEvent.ACCEPT and referral.receiver_id:
                services.referral_accept(
                    actor=self.actor,
                    referral=referral,
                    version=form.cleaned_data["version"],
                    create_new=request.POST.get("create_new") == "1",
                    case_type=str(request.POST.get("case_type") or "")[:40],
                )
            else:
                services.referral_move(
                    actor=self.actor,
                    referral=referral,
                    event=event,
                    version=form.cleaned_data["version"],
                    data=form.cleaned_data,
                )
        except DomainError as error:
            shown = [str(m) for errors in error.errors.values() for m in errors] or [str(error.message)]
            for message in shown:
                messages.error(request, message)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": ReferralEvent(event).label})
        return redirect("referrals:referral_detail", referral_id=referral.pk)


class ReferralSlipView(AppView):
    """The printable slip for a provider without an account: the referring side only."""

    capability = "referrals.view"
    # Only the referring side prints it, once sent: the receiving side meets a 404.
    may_be_empty = True

    @transaction.atomic
    def get(self, request, referral_id):
        printable = Referral.objects.visible_to(self.actor).filter(organisation_id=self.actor.organisation_id)
        get_visible_or_404(printable.exclude(status="draft"), pk=referral_id)
        referral = selectors.referral_get(actor=self.actor, referral_id=referral_id)
        html = slip.slip_html(
            referral,
            # The slip leaves Ponleu in the family's hands: the registry's rule for files.
            child=exported_name(self.actor, selectors.surviving_record(referral.person), get_language()),
            fonts=font_face_css(),
            detail_url=request.build_absolute_uri(reverse("referrals:referral_detail", args=[referral.pk])),
        )
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{referral.reference}.pdf"'
        return response
