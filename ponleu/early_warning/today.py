"""What early warning asks of those who review its flags today: the students of the risk list
whose flag awaits a decision, each one tap from its review.

The count and the short list are ``selectors.review_queue``, the rows the risk list shows with
``?awaiting=1`` (ranked and cut to each school's capacity, then only the flags awaiting review).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
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
                _("class %(label)s") % {"label": score.school_class.label}
                + f" · {score.school_class.school}",
            )
        )
    return Found(count, entries, served=tuple(shown))


def _record(actor, scores) -> None:
    selectors.scores_served(actor=actor, scores=scores, query="today")


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
]
