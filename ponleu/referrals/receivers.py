"""What the referrals app does when the registry announces something (``registry/signals.py``).

A consent withdrawn anywhere (the registry's own page, its API, ``referral_consent_withdraw``)
ends the referrals that rested on it in the same transaction: the registry sits below
referrals and cannot call it, so it announces the withdrawal and this listens.
"""

from __future__ import annotations


def end_referrals(sender, consent, actor, **kwargs) -> None:
    from ponleu.referrals.services import referrals_end_for_consent  # receivers load with the app registry

    referrals_end_for_consent(actor=actor, consent=consent)
