"""What field collection asks of a reviewer today: submissions waiting for someone to match
their people to the registry or register them. The count and the short list come from the
same scoped queryset as the review queue the item links to, so the number is the rows behind
it. Entries name the form and the day it arrived, never a person: what a submission says about
people is shown on the review page, under the identity rule."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.common.today import Entry, Found, Item

from . import selectors
from .choices import SubmissionStatus


def _review_queue(actor) -> str:
    return f"{reverse('collection:submission_list')}?status={SubmissionStatus.REVIEW}"


def _awaiting_review(actor, limit) -> Found:
    waiting = selectors.submissions_visible(actor=actor).filter(status=SubmissionStatus.REVIEW)
    count = waiting.count()
    if not count:
        return Found(0)
    url = _review_queue(actor)
    entries = [
        Entry(submission.form.title, url, _("Arrived"), day=timezone.localdate(submission.received_at))
        for submission in waiting.order_by("received_at")[:limit]
    ]
    return Found(count, entries)


ITEMS = [
    Item(
        "collection.awaiting_review",
        gettext_lazy("Field submissions waiting for a match"),
        "collection.review",
        25,
        _review_queue,
        _awaiting_review,
    ),
]
