from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ponleu.referrals"
    verbose_name = "Referrals"
