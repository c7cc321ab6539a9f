from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "ponleu.programmes"
    verbose_name = "Programmes"
