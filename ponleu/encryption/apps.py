from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    name = "ponleu.encryption"
    label = "encryption"
    default_auto_field = "django.db.models.BigAutoField"
