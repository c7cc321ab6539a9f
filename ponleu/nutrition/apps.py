from django.apps import AppConfig


class NutritionConfig(AppConfig):
    name = "ponleu.nutrition"
    label = "nutrition"
    verbose_name = "Nutrition"
