from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "ponleu.early_warning"
    label = "early_warning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Risk scores are derived from attendance: rescore a class when its register changes.
        from ponleu.education.signals import attendance_changed

        from .receivers import rescore_class

        attendance_changed.connect(rescore_class, dispatch_uid="early_warning.rescore_class")
