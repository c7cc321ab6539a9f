from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ponleu.referrals"
    verbose_name = "Referrals"

    def ready(self):
        # Consent withdrawn in the registry ends the referrals that rested on it, at once.
        from ponleu.registry.signals import consent_withdrawn

        from .receivers import end_referrals

        consent_withdrawn.connect(end_referrals, dispatch_uid="referrals.end_referrals")
