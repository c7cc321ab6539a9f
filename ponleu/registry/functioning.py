"""The Washington Group/UNICEF Child Functioning Module as data: items, answer scales, cut-offs.

Only item codes, domains and the scoring rule live here. The question wording needs UNICEF's
permission and an official Khmer translation, so it is not shipped: each organisation enters
it in ``FunctioningQuestionText`` (per item and language); screens fall back to the short
domain labels below, which are ours.

A child has a functional difficulty in a domain when an item of that domain reaches the
module's cut-off: "a lot of difficulty" or "cannot do at all" on difficulty items, "daily" on
the anxiety and depression items, "a lot more" on the 2–4 behaviour item. The overall flag is
set when any domain is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import FunctioningModule

# Answer scales: (code, label). Codes are what is stored.
DIFFICULTY = (
    ("no", _("No difficulty")),
    ("some", _("Some difficulty")),
    ("a_lot", _("A lot of difficulty")),
    ("cannot", _("Cannot do at all")),
)
FREQUENCY = (
    ("daily", _("Daily")),
    ("weekly", _("Weekly")),
    ("monthly", _("Monthly")),
    ("few_times_a_year", _("A few times a year")),
    ("never", _("Never")),
)
COMPARISON = (
    ("not_at_all", _("Not at all")),
    ("same_or_less", _("The same or less")),
    ("more", _("More")),
    ("a_lot_more", _("A lot more")),
)
SCALES = {"difficulty": DIFFICULTY, "frequency": FREQUENCY, "comparison": COMPARISON}
CUT_OFFS = {
    "difficulty": frozenset({"a_lot", "cannot"}),
    "frequency": frozenset({"daily"}),
    "comparison": frozenset({"a_lot_more"}),
}

DOMAINS = {
    "seeing": _("Seeing"),
    "hearing": _("Hearing"),
    "walking": _("Walking"),
    "fine_motor": _("Fine motor"),
    "self_care": _("Self-care"),
    "communication": _("Communication"),
    "learning": _("Learning"),
    "remembering": _("Remembering"),
    "concentrating": _("Concentrating"),
    "accepting_change": _("Accepting change"),
    "playing": _("Playing"),
    "controlling_behaviour": _("Controlling behaviour"),
    "making_friends": _("Making friends"),
    "anxiety": _("Anxiety"),
    "depression": _("Depression"),
}


@dataclass(frozen=True)
class Item:
    code: str
    domain: str
    scale: str
    label: object  # short description, ours; the official wording is configured per language
    # Walking 500 m counts only at "cannot do at all" (a lot of difficulty over 500 m is common
    # among children who walk 100 m without trouble).
    cut_off: frozenset | None = None

    def flags(self, answer: str | None) -> bool:
        return answer in (self.cut_off or CUT_OFFS[self.scale])

    @property
    def choices(self):
        return SCALES[self.scale]


ITEMS: dict[str, tuple[Item, ...]] = {
    FunctioningModule.CFM_2_4: (
        Item("seeing", "seeing", "difficulty", _("Seeing, with glasses if worn")),
        Item("hearing", "hearing", "difficulty", _("Hearing, with a hearing aid if used")),
        Item("walking", "walking", "difficulty", _("Walking, with equipment if used")),
        Item("fine_motor", "fine_motor", "difficulty", _("Picking up small objects")),
        Item("understanding_you", "communication", "difficulty", _("Understanding the caregiver")),
        Item("understood_by_you", "communication", "difficulty", _("Being understood by the caregiver")),
        Item("learning", "learning", "difficulty", _("Learning things")),
        Item("playing", "playing", "difficulty", _("Playing")),
        Item("kicking_biting", "controlling_behaviour", "comparison", _("Kicking, biting or hitting")),
    ),
    FunctioningModule.CFM_5_17: (
        Item("seeing", "seeing", "difficulty", _("Seeing, with glasses if worn")),
        Item("hearing", "hearing", "difficulty", _("Hearing, with a hearing aid if used")),
        Item("walking_100m", "walking", "difficulty", _("Walking 100 metres")),
        Item("walking_500m", "walking", "difficulty", _("Walking 500 metres"), frozenset({"cannot"})),
        Item("self_care", "self_care", "difficulty", _("Feeding or dressing themselves")),
        Item("understood_inside", "communication", "difficulty", _("Being understood by the household")),
        Item("understood_outside", "communication", "difficulty", _("Being understood by others")),
        Item("learning", "learning", "difficulty", _("Learning things")),
        Item("remembering", "remembering", "difficulty", _("Remembering things")),
        Item("concentrating", "concentrating", "difficulty", _("Concentrating on an activity")),
        Item("accepting_change", "accepting_change", "difficulty", _("Accepting changes in routine")),
        Item("controlling_behaviour", "controlling_behaviour", "difficulty", _("Controlling behaviour")),
        Item("making_friends", "making_friends", "difficulty", _("Making friends")),
        Item("anxiety", "anxiety", "frequency", _("Seeming very anxious, nervous or worried")),
        Item("depression", "depression", "frequency", _("Seeming very sad or depressed")),
    ),
}
VERSION = "cfm-2016"


def module_for_age(age_years: int | None) -> str | None:
    """The module that fits a child's age, or None outside 2–17."""
    if age_years is None or age_years < 2 or age_years > 17:
        return None
    return FunctioningModule.CFM_2_4 if age_years <= 4 else FunctioningModule.CFM_5_17


def validate_answers(module: str, answers: dict) -> dict[str, str]:
    """Item code → problem, for unknown items, unknown answers and missing items."""
    items = {item.code: item for item in ITEMS[module]}
    problems = {}
    for code in answers:
        if code not in items:
            problems[code] = str(_("This question is not part of the module."))
    for code, item in items.items():
        answer = answers.get(code)
        if answer in (None, ""):
            problems[code] = str(_("Answer this question."))
        elif answer not in {value for value, _label in item.choices}:
            problems[code] = str(_("This answer is not one of the options."))
    return problems


def derive(module: str, answers: dict) -> tuple[list[str], bool]:
    """The domains with a functional difficulty (module order) and the overall flag."""
    flagged: list[str] = []
    for item in ITEMS[module]:
        if item.flags(answers.get(item.code)) and item.domain not in flagged:
            flagged.append(item.domain)
    return flagged, bool(flagged)
