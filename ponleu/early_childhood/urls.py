from django.urls import path

from . import views

app_name = "early_childhood"

urlpatterns = [
    path("", views.NurseryListView.as_view(), name="nursery_list"),
    path("nurseries/<uuid:nursery_id>/", views.NurseryDetailView.as_view(), name="nursery_detail"),
    path("nurseries/<uuid:nursery_id>/day/", views.NurseryDayView.as_view(), name="nursery_day"),
    path("children/<uuid:person_id>/", views.ChildDevelopmentView.as_view(), name="child_development"),
    path("children/<uuid:person_id>/checks/new/", views.CheckNewView.as_view(), name="check_new"),
    path("due/", views.ChecksDueView.as_view(), name="checks_due"),
    path("factories/", views.FactoryListView.as_view(), name="factory_list"),
    path("instrument/", views.InstrumentView.as_view(), name="instrument"),
]
