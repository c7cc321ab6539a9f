"""The referrals part of the caseload pages of the cases app.

The cases app sits below referrals and may not ask it anything, so its caseload templates
load this library and the overdue referrals are composed into the page there (house style:
pages that span domains are composed in views and templates). A count and a link to the list
behind it, from the same selector with the same filters, so the number is the number of rows
behind the link; no child or referral is named, so nothing is read that needs an access event.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from ponleu.referrals import selectors
from ponleu.referrals.selectors import ReferralFilters

register = template.Library()


@register.inclusion_tag("referrals/caseload_overdue.html", takes_context=True)
def referrals_overdue(context, mine: bool = False) -> dict:
    """Overdue referrals in the reader's reach (``mine``: those they referred or work)."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can("referrals.view"):
        return {"shown": False}
    filters = ReferralFilters(overdue=True, mine=mine)
    count = selectors.referrals_filtered(actor=actor, filters=filters).count()
    return {
        "shown": True,
        "count": count,
        "mine": mine,
        "url": f"{reverse('referrals:referral_list')}?{filters.query()}",
    }
