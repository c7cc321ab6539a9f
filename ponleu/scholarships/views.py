"""Scholarship screens, phone first: the schemes, a scheme's page (awards, applications awaiting
the committee, the term's payments with their attendance check), running the term's payments,
overriding a withheld payment with a reason, recording payments, printing receipts, a child's
scholarship history and the comparison of children with and without one. Every id is looked
up through ``visible_to``/``actionable_by``: forbidden, missing and malformed look the same
(404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ponleu.access.policies import identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.audit import services as audit
from ponleu.cases.pdf import font_face_css, render_pdf
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.education.models import AcademicYear
from ponleu.registry.models import Person

from . import receipts, selectors
from .choices import PaymentStatus, ScholarshipAction
from .forms import AwardChangeForm, DecideForm, OverrideForm, PayForm, RunForm
from .models import Application, Award, Payment, Scheme
from .services import awards as award_services
from .services import payments as payment_services

VIEW = "scholarships.view"
MANAGE = "scholarships.manage"
PAY = "scholarships.pay"


def _found(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (Scheme.DoesNotExist, Payment.DoesNotExist, Award.DoesNotExist, Application.DoesNotExist) as error:
        raise Http404(NOT_FOUND_MESSAGE) from error


def _refused(request, error: DomainError) -> None:
    shown = [str(m) for problems in error.errors.values() for m in problems] or [str(error.message)]
    for message in shown:
        messages.error(request, message)


def _form_refused(request, form) -> None:
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else problem)


def _scheme_page(scheme_id, period=None):
    url = reverse("scholarships:scheme_detail", kwargs={"scheme_id": scheme_id})
    return redirect(f"{url}?period={period.isoformat()}" if period else url)


def _period(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class SchemeListView(AppView):
    capability = VIEW

    def get(self, request):
        return render(
            request, "scholarships/scheme_list.html", {"schemes": selectors.scheme_list(actor=self.actor)}
        )


class SchemeDetailView(AppView):
    """A scheme's awards, applications awaiting the committee, and one period's payments with
    their condition checks (the latest period run, or ``?period=``)."""

    capability = VIEW

    @transaction.atomic
    def get(self, request, scheme_id):
        scheme = _found(selectors.scheme_get, actor=self.actor, scheme_id=scheme_id)
        period = _period(request.GET.get("period"))
        page = selectors.scheme_page(actor=self.actor, scheme=scheme, period_start=period)
        manages = Scheme.objects.actionable_by(self.actor, MANAGE).filter(pk=scheme.pk).exists()
        pays = Scheme.objects.actionable_by(self.actor, PAY).filter(pk=scheme.pk).exists()
        terms = sorted({(term.number, term.name) for year in page.years for term in year.terms.all()})
        return render(
            request,
            "scholarships/scheme_detail.html",
            {
                "scheme": scheme,
                "page": page,
                "periods": selectors.periods_run(scheme),
                "period": period or (page.payments[0].payment.period_start if page.payments else None),
                "terms": terms,
                "manages": manages,
                "pays": pays,
                "today": clock.today(),
                "withheld": [r for r in page.payments if r.payment.status == PaymentStatus.WITHHELD],
                "due": [r for r in page.payments if r.payment.status == PaymentStatus.DUE],
                "paid": [r for r in page.payments if r.payment.status == PaymentStatus.PAID],
            },
        )


class PaymentsRunView(AppView):
    capability = MANAGE

    def post(self, request, scheme_id):
        scheme = _found(selectors.scheme_get, actor=self.actor, scheme_id=scheme_id, capability=MANAGE)
        form = RunForm(request.POST)
        if not form.is_valid():
            _form_refused(request, form)
            return redirect("scholarships:scheme_detail", scheme_id=scheme.pk)
        try:
            year = selectors.year_get(scheme=scheme, year_id=form.cleaned_data["year"])
        except AcademicYear.DoesNotExist:
            messages.error(request, _("Choose a school year of this organisation."))
            return redirect("scholarships:scheme_detail", scheme_id=scheme.pk)
        try:
            result = payment_services.payments_run(
                actor=self.actor, scheme=scheme, year=year, term=form.cleaned_data["term"] - 1
            )
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _(
                    "Payments checked: %(passed)s meet the condition, %(failed)s do not, %(no_data)s have no attendance recorded."
                )
                % {"passed": result.passed, "failed": result.failed, "no_data": result.no_data},
            )
        return redirect("scholarships:scheme_detail", scheme_id=scheme.pk)


class PaymentOverrideView(AppView):
    capability = MANAGE

    def post(self, request, payment_id):
        payment = _found(selectors.payment_get, actor=self.actor, payment_id=payment_id, capability=MANAGE)
        form = OverrideForm(request.POST)
        target = _scheme_page(payment.award.scheme_id, payment.period_start)
        if not form.is_valid():
            _form_refused(request, form)
            return target
        try:
            payment_services.payment_override(
                actor=self.actor,
                payment=payment,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The payment is due despite the condition; the reason is recorded."))
        return target


class PaymentsPayView(AppView):
    capability = PAY

    def post(self, request, scheme_id):
        scheme = _found(selectors.scheme_get, actor=self.actor, scheme_id=scheme_id, capability=PAY)
        reachable = Payment.objects.actionable_by(self.actor, PAY).filter(award__scheme=scheme)
        asked = request.POST.getlist("payments")
        found = {str(p.pk): p for p in reachable.filter(pk__in=[a for a in asked if _is_uuid(a)])}
        form = PayForm(request.POST, request.FILES, payment_ids=found)
        back = _scheme_page(scheme.pk, _period(request.POST.get("period")))
        if not form.is_valid():
            _form_refused(request, form)
            return back
        try:
            with transaction.atomic():
                done = payment_services.payments_pay(
                    actor=self.actor,
                    payments=[found[pk] for pk in form.cleaned_data["payments"]],
                    channel=form.cleaned_data["channel"],
                    paid_on=form.cleaned_data["paid_on"],
                    reference=form.cleaned_data["reference"],
                    received_by=form.cleaned_data["received_by"],
                    proof=form.cleaned_data["proof"],
                )
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(count)s payments recorded as paid.") % {"count": len(done)})
        return back


def _is_uuid(value) -> bool:
    return selectors._uuid(value) is not None


class ReceiptsView(AppView):
    """The receipts of one period's paid payments, one page each, as a PDF in Khmer."""

    capability = PAY
    # A period with nothing paid yet has no receipt to print: 404.
    may_be_empty = True

    @transaction.atomic
    def get(self, request, scheme_id):
        scheme = _found(selectors.scheme_get, actor=self.actor, scheme_id=scheme_id, capability=PAY)
        paid = Payment.objects.actionable_by(self.actor, PAY).filter(
            award__scheme=scheme, status=PaymentStatus.PAID
        )
        period = _period(request.GET.get("period"))
        if period is not None:
            paid = paid.filter(period_start=period)
        rows = list(paid.select_related("award__person", "year").order_by("period_start", "receipt_number"))
        if not rows:
            raise Http404(NOT_FOUND_MESSAGE)
        shown = [(p, identity_label(self.actor, p.award.person)) for p in rows]
        audit.record_access(
            actor=self.actor,
            action=ScholarshipAction.RECEIPT_PRINTED,
            target_type="registry.person",
            target_ids=sorted({str(p.award.person_id) for p in rows}),
            query=f"scheme={scheme.pk} period={period or ''}",
        )
        html = receipts.receipts_html(shown, scheme=scheme, fonts=font_face_css())
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="receipts-{period or "all"}.pdf"'
        return response


class AwardChangeView(AppView):
    capability = MANAGE

    def post(self, request, award_id):
        award = _found(selectors.award_get, actor=self.actor, award_id=award_id, capability=MANAGE)
        form = AwardChangeForm(request.POST)
        if not form.is_valid():
            _form_refused(request, form)
        else:
            try:
                award_services.award_change(
                    actor=self.actor,
                    award=award,
                    version=form.cleaned_data["version"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                _refused(request, error)
            else:
                messages.success(request, _("The award is changed; the reason is recorded."))
        return redirect("scholarships:scheme_detail", scheme_id=award.scheme_id)


class ApplicationDecideView(AppView):
    capability = MANAGE

    def post(self, request, application_id):
        application = _found(
            selectors.application_get, actor=self.actor, application_id=application_id, capability=MANAGE
        )
        form = DecideForm(request.POST)
        if not form.is_valid():
            _form_refused(request, form)
        else:
            data = form.cleaned_data
            try:
                award_services.application_decide(
                    actor=self.actor,
                    application=application,
                    version=data["version"],
                    approve=data["approve"],
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except DomainError as error:
                _refused(request, error)
            else:
                messages.success(request, _("The committee's decision is recorded."))
        return redirect("scholarships:scheme_detail", scheme_id=application.scheme_id)


class PersonHistoryView(AppView):
    """A child's scholarships: each award with its events and payments."""

    capability = VIEW

    @transaction.atomic
    def get(self, request, person_id):
        try:
            person = selectors.person_get(actor=self.actor, person_id=person_id)
        except Person.DoesNotExist as error:
            raise Http404(NOT_FOUND_MESSAGE) from error
        history = selectors.person_history(actor=self.actor, person=person)
        return render(
            request,
            "scholarships/person_history.html",
            {"person": person, "name": identity_label(self.actor, person), "history": history},
        )


class EffectivenessView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request):
        result = selectors.effectiveness(actor=self.actor, year_id=request.GET.get("year"))
        return render(request, "scholarships/effectiveness.html", {"result": result, "c": result.comparison})
