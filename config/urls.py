from django.contrib import admin
from django.urls import include, path

from ponleu.api.router import api

urlpatterns = [
    path("accounts/", include("ponleu.accounts.urls")),
    path("people/", include("ponleu.registry.urls")),
    path("cases/", include("ponleu.cases.urls")),
    path("schools/", include("ponleu.education.urls")),
    path("risk/", include("ponleu.early_warning.urls")),
    path("referrals/", include("ponleu.referrals.urls")),
    path("family-support/", include("ponleu.family_support.urls")),
    path("maternal/", include("ponleu.maternal.urls")),
    path("collect/", include("ponleu.collection.urls")),
    path("programmes/", include("ponleu.programmes.urls")),
    path("nutrition/", include("ponleu.nutrition.urls")),
    path("employment/", include("ponleu.employment.urls")),
    path("scholarships/", include("ponleu.scholarships.urls")),
    path("early-childhood/", include("ponleu.early_childhood.urls")),
    path("audit/", include("ponleu.audit.urls")),
    path("notifications/", include("ponleu.notifications.urls")),
    path("jobs/", include("ponleu.jobs.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("ponleu.operations.urls")),
    path("", include("ponleu.web.urls")),
]

handler404 = "ponleu.web.views.errors.not_found"
