"""What early warning asks today: of those who review its flags, the students of the risk list
whose flag awaits a decision, each one tap from its review; of whoever looks after the risk
models (the M&E officer), the classes whose roll calls were missed on recent school days.

The flags' count and short list are ``selectors.review_queue``, the rows the risk list shows
with ``?awaiting=1`` (ranked and cut to each school's capacity, then only the flags awaiting
review); the classes' are ``selectors.classes_missing_roll_calls``, the rows of its page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.common.today import Entry, Found, Item
from ponleu.education.policies import pupil_label

from . import selectors


def _full_list(actor) -> str:
    return f"{reverse('early_warning:risk_list')}?awaiting=1"


def _flags_to_review(actor, limit) -> Found:
    queue = selectors.review_queue(actor=actor)
    count = queue.count()
    if not count:
        return Found(0)
    related = ("enrolment__person", "school_class__school", "school_class__homeroom_teacher")
    shown = list(queue.select_related(*related)[:limit])
    language = translation.get_language()
    entries = []
    for score in shown:
        if score.enrolment.school_class_id == score.school_class_id:
            score.enrolment.school_class = score.school_class  # the witness's scope, already loaded
        entries.append(
            Entry(
                pupil_label(actor, score.enrolment, language),
                reverse("early_warning:flag_review", kwargs={"flag_id": score.flag_id}),
                gettext("class %(label)s") % {"label": score.school_class.label}
                + f" · {score.school_class.school}",
            )
        )
    return Found(count, entries, served=tuple(shown))


def _record(actor, scores) -> None:
    selectors.scores_served(actor=actor, scores=scores, query="today")


def _classes_list(actor) -> str:
    return reverse("early_warning:data_quality")


def _classes_missing_roll_calls(actor, limit) -> Found:
    classes = selectors.classes_missing_roll_calls(actor=actor)
    count = classes.count()
    if not count:
        return Found(0)
    url = _classes_list(actor)
    entries = [
        Entry(
            gettext("Class %(label)s") % {"label": school_class.label},
            url,
            f"{school_class.school} · "
            + gettext("%(missing)s of %(total)s school days without a roll call")
            % {"missing": school_class.missing, "total": selectors.RECENT_SCHOOL_DAYS},
        )
        for school_class in classes[:limit]
    ]
    return Found(count, entries)


ITEMS = [
    Item(
        "early_warning.flags",
        _("Students flagged at risk of dropping out, awaiting your review"),
        "ews.review",
        25,
        _full_list,
        _flags_to_review,
        record=_record,
    ),
    Item(
        "early_warning.roll_calls_missing",
        _("Classes whose roll call was missed on 3 or more of the last 10 school days"),
        "ews.manage_models",
        75,
        _classes_list,
        _classes_missing_roll_calls,
    ),
]
