from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ponleu.operations"
    label = "operations"
    verbose_name = "Operations"
