"""People: the list (with search), one record, registering (search first) and editing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.geography import selectors as places
from ponleu.registry import policies, services
from ponleu.registry.forms import FilterForm, MatchForm, PersonCreateForm, PersonForm, apply_errors
from ponleu.registry.models import Household, Person
from ponleu.registry.selectors import households as household_selectors
from ponleu.registry.selectors import people as selectors
from ponleu.registry.selectors import search as search_selectors


def not_found():
    return Http404(NOT_FOUND_MESSAGE)


def visible_person(actor, person_id, *, query: str = "") -> Person:
    """A person the actor may see, or the same 404 as a missing one. The read is access-audited
    (forms and small pages show the person's name too)."""
    try:
        return selectors.person_get(actor=actor, person_id=person_id, query=query)
    except (Person.DoesNotExist, ValueError):
        raise not_found() from None


def person_for(
    actor, person_id, allowed, *, query: str = ""
) -> tuple[Person | None, HttpResponseForbidden | None]:
    """For pages that act on a person: a visible person the actor may act on (the read then
    recorded), or a refusal that shows and records nothing; a missing one is the 404."""
    try:
        person = selectors.person_fetch(actor=actor, person_id=person_id)
    except (Person.DoesNotExist, ValueError):
        raise not_found() from None
    if not allowed(actor, person):
        return None, HttpResponseForbidden()
    selectors.person_read(actor=actor, person=person, query=query)
    return person, None


def area_label(code: str) -> str:
    if not code:
        return ""
    unit = places.unit_get(code)
    return places.unit_label(unit, translation.get_language()) if unit else code


class PersonListView(AppView):
    """People in scope, filtered; with a search text, ranked search hits instead of pages."""

    capability = "registry.view"

    def get(self, request):
        form = FilterForm(request.GET or None)
        filters = selectors.PersonFilters.from_params(request.GET)
        query = (request.GET.get("q") or "").strip()
        context = {
            "form": form,
            "filters": filters,
            "query": query,
            "area_label": area_label(filters.area),
            "can_create": self.actor.can("registry.create"),
            "can_export": self.actor.can("registry.export"),
            "can_import": self.actor.can("registry.import"),
        }
        if query:
            context["hits"] = search_selectors.person_search(actor=self.actor, query=query, filters=filters)
        else:
            context["page"] = selectors.person_page(
                actor=self.actor,
                filters=filters,
                page=request.GET.get("page"),
                per_page=request.GET.get("per_page"),
            )
        template = "registry/person_list.html"
        if request.htmx and request.htmx.target == "results":
            template += "#results"
        return render(request, template, context)


class PersonDetailView(AppView):
    capability = "registry.view"

    def get(self, request, person_id):
        try:
            detail = selectors.person_detail(actor=self.actor, person_id=person_id)
        except Person.DoesNotExist:
            raise not_found() from None
        person = detail.person
        context = {
            "detail": detail,
            "person": person,
            "unmasked": policies.can_see_unmasked(self.actor, person),
            "can_edit": policies.can_edit_person(self.actor, person),
            # Pregnancies (their own app's pages): registered from a woman's record.
            "can_record_pregnancy": (
                person.sex == "F"
                and not person.is_child
                and self.actor.allows_object("maternal.record", person)
                # Only for those who will see the pregnancy once registered (sensitive from the start).
                and self.actor.allows_object("registry.view_sensitive", person)
            ),
            "can_merge": policies.can_merge_people(self.actor, person),
            "can_create": self.actor.can("registry.create"),
        }
        return render(request, "registry/person_detail.html", context)


def _carried_household(actor, household_id) -> Household | None:
    """The household a new member joins (``household`` in the query or form): visible to the
    actor, or the same 404 as a missing or malformed id."""
    if not household_id:
        return None
    try:
        return Household.objects.visible_to(actor).get(pk=household_id)
    except (Household.DoesNotExist, ValueError, ValidationError):
        raise Http404(NOT_FOUND_MESSAGE) from None


class PersonCreateView(AppView):
    """Register a person: first look for them (name, birth, village, caregiver phone), then
    either open the existing record or continue with the full form."""

    capability = "registry.create"
    id_parameters = {"household": "registry.household"}
    template_match = "registry/person_create.html"
    template_form = "registry/person_form.html"

    def get(self, request):
        household = _carried_household(self.actor, request.GET.get("household"))
        return render(request, self.template_match, {"form": MatchForm(), "household": household})

    def post(self, request):
        step = request.POST.get("step")
        household = _carried_household(self.actor, request.POST.get("household"))
        if step == "save":
            return self._save(request, household)
        form = MatchForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_match, {"form": form, "household": household})
        data = form.cleaned_data
        if step == "details":
            initial = {k: v for k, v in data.items() if k != "caregiver_phone" and v}
            if data.get("caregiver_phone"):
                initial.update(phone=data["caregiver_phone"], phone_owner="caregiver")
            if household is not None:
                initial.update(household=household.pk, village=initial.get("village") or household.village_id)
            return self._form(request, PersonCreateForm(initial=initial), household)
        try:
            dob = services.cleaning.parse_date(data.get("date_of_birth"))
        except Exception:  # noqa: BLE001 - an unreadable date only weakens the match
            dob = None
        matches = search_selectors.person_matches(
            actor=self.actor,
            names=data,
            date_of_birth=dob,
            village_code=services.cleaning.normalise_area_code(data.get("village") or ""),
            phone=data.get("caregiver_phone") or "",
        )
        context = {"form": form, "matches": matches, "searched": True, "household": household}
        return render(request, self.template_match, context)

    def _form(self, request, form, household, status=200):
        context = {"form": form, "household": household, "creating": True}
        return render(request, self.template_form, context, status=status)

    def _save(self, request, household):
        form = PersonCreateForm(request.POST)
        if not form.is_valid():
            return self._form(request, form, household, status=400)
        try:
            person = services.person_create(
                actor=self.actor,
                data=form.person_data(),
                phones=form.phones(),
                identifiers=form.identifiers(),
                household=household,
                relationship=form.cleaned_data.get("relationship") or "",
                is_primary_caregiver=form.cleaned_data.get("is_primary_caregiver") or False,
            )
        except DomainError as error:
            apply_errors(form, error, form.field_map)
            return self._form(request, form, household, status=400)
        messages.success(request, _("Registered."))
        return redirect("registry:person_detail", person_id=person.pk)


class PersonEditView(AppView):
    capability = "registry.edit"
    template = "registry/person_form.html"

    def get(self, request, person_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person, query="edit")
        if refusal:
            return refusal
        initial = {name: getattr(person, name) for name in PersonForm.person_fields}
        initial["village"] = person.village_id or ""
        initial["date_of_birth"] = person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else ""
        initial["version"] = person.version
        return render(request, self.template, {"form": PersonForm(initial=initial), "person": person})

    def post(self, request, person_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person, query="edit")
        if refusal:
            return refusal
        form = PersonForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.person_update(
                    actor=self.actor,
                    person=person,
                    version=form.cleaned_data.get("version"),
                    data=form.person_data(),
                )
            except PermissionDenied:
                return HttpResponseForbidden()
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", person_id=person.pk)
        context = {"form": form, "person": person, "conflict": status == 409}
        return render(request, self.template, context, status=status)


class HouseholdDetailView(AppView):
    capability = "registry.view"

    def get(self, request, household_id):
        try:
            detail = household_selectors.household_detail(actor=self.actor, household_id=household_id)
        except Household.DoesNotExist:
            raise not_found() from None
        household = detail.household
        context = {
            "detail": detail,
            "household": household,
            "can_edit": policies.can_edit_household(self.actor, household, detail.members),
            "show_address": policies.can_see_household_address(self.actor, household, detail.members),
            "can_create": self.actor.can("registry.create"),
            # The family support section (its own app's page, loaded into this one).
            "family_support": self.actor.allows_object("family_support.view", household),
            # Family support: a member may be referred to a service from the household.
            "can_refer": self.actor.can("referrals.send"),
            "place": places.unit_label(household.village, translation.get_language())
            if household.village
            else "",
        }
        return render(request, "registry/household_detail.html", context)
