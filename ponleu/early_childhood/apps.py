from django.apps import AppConfig


class EarlyChildhoodConfig(AppConfig):
    name = "ponleu.early_childhood"
    verbose_name = "Early childhood"
