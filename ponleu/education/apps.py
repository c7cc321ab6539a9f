from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "ponleu.education"
    label = "education"
    default_auto_field = "django.db.models.BigAutoField"
