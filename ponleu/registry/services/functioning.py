"""Recording Child Functioning Module answers and the derived difficulty flags."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, ValidationFailed
from ponleu.registry import functioning, policies
from ponleu.registry.choices import FunctioningModule, FunctioningRespondent, PersonAction
from ponleu.registry.models import FunctioningAssessment, Person

from . import cleaning
from .cleaning import Errors, add


@transaction.atomic
def functioning_record(
    *, actor, person: Person, module: str, assessed_on, respondent: str, answers: dict
) -> FunctioningAssessment:
    person = Person.objects.select_for_update().get(pk=person.pk)
    policies.require(actor, "registry.edit", person)
    if person.is_merged:
        raise Conflict(_("This record was merged into another one; record the answers there."))
    errors: Errors = {}
    try:
        module = cleaning.choice(module, FunctioningModule, _("Choose the question set."))
    except ValidationError as exc:
        errors["module"] = list(exc.messages)
    try:
        respondent = cleaning.choice(respondent, FunctioningRespondent, _("Choose who answered."))
    except ValidationError as exc:
        errors["respondent"] = list(exc.messages)
    try:
        assessed_on = cleaning.parse_date(assessed_on) or clock.today()
    except ValidationError as exc:
        errors["assessed_on"] = list(exc.messages)
        assessed_on = None
    if assessed_on and assessed_on > clock.today():
        add(errors, "assessed_on", _("This date is in the future."))
    if "module" not in errors and assessed_on:
        age = person.age_on(assessed_on)
        expected = functioning.module_for_age(age)
        if age is not None and expected != module:
            add(
                errors,
                "module",
                _("The child was %(age)s on that date; this question set is for another age group.")
                % {"age": age},
            )
        for item, problem in functioning.validate_answers(module, answers or {}).items():
            add(errors, f"answers.{item}", problem)
    if errors:
        raise ValidationFailed(errors=errors)
    domains, flagged = functioning.derive(module, answers)
    assessment = FunctioningAssessment.objects.create(
        person=person,
        assessed_on=assessed_on,
        module=module,
        version=functioning.VERSION,
        respondent=respondent,
        answers=dict(answers),
        difficulty_domains=domains,
        has_functional_difficulty=flagged,
        recorded_by_id=actor.user_id,
    )
    latest = person.functioning_assessments.order_by("-assessed_on", "-created_at").first()
    before = person.has_functional_difficulty
    if latest.pk == assessment.pk and before != flagged:
        person.has_functional_difficulty = flagged
        person.version += 1
        person.save(update_fields=["has_functional_difficulty", "version"])
    audit.record(
        actor=actor,
        action=PersonAction.FUNCTIONING_RECORDED,
        target=person,
        changes={
            "assessment": [None, str(assessment.pk)],
            "difficulty_domains": [None, domains],
            "has_functional_difficulty": [before, person.has_functional_difficulty],
        },
    )
    return assessment
