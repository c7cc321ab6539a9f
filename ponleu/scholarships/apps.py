from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "ponleu.scholarships"
    verbose_name = "Scholarships"

    def ready(self) -> None:
        # The early warning announces a scholarship decided on a flag; this app turns it into an
        # award (early_warning sits below scholarships and may not import it).
        from ponleu.early_warning.signals import scholarship_decided

        from .receivers import award_from_early_warning

        scholarship_decided.connect(award_from_early_warning, dispatch_uid="scholarships.award_from_ews")
