"""The one signal of the registry: a consent was withdrawn (inside the withdrawing transaction).

Withdrawing consent takes effect at once, wherever it is withdrawn: the referrals that rested
on it must be withdrawn too, and both organisations' staff and data-protection officers told.
The referrals app sits above the registry, so the registry cannot call it, and the registry's
own consent page must not depend on it; the referrals app listens (``referrals/receivers.py``).
It is sent, not sent after the commit: the referrals end in the same transaction as the
consent, and a failure there undoes the withdrawal rather than leaving half of it. Nothing
else may hang domain logic on this signal (house style: signals are for derived data and
hooks of this kind only).

    consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
