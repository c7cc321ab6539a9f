from django.apps import AppConfig


class FamilySupportConfig(AppConfig):
    name = "ponleu.family_support"
    verbose_name = "Family support"
