from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "ponleu.collection"
    verbose_name = "Field collection"
