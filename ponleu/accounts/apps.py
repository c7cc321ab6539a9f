from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ponleu.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import actor_invalidation

        actor_invalidation.connect()
