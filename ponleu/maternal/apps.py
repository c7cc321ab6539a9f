from django.apps import AppConfig


class MaternalConfig(AppConfig):
    name = "ponleu.maternal"
    verbose_name = "Pregnancies and births"
