from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "ponleu.employment"
    verbose_name = "Youth employment"
