from django.urls import path

from .views import places, shell

app_name = "web"

urlpatterns = [
    path("", shell.HomeView.as_view(), name="home"),
    path("roles/", shell.PolicyView.as_view(), name="policy"),
    path("health/", shell.HealthView.as_view(), name="health"),
    path("csp-report/", shell.CspReportView.as_view(), name="csp_report"),
    path("places/units/", places.UnitOptionsView.as_view(), name="unit_options"),
    path("places/villages/", places.VillageSearchView.as_view(), name="village_search"),
]
