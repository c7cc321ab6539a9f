from django.urls import path

from . import views

app_name = "nutrition"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("day/<str:village_code>/", views.DayView.as_view(), name="day"),
    path("day/<str:village_code>/<uuid:person_id>/", views.MeasureView.as_view(), name="measure"),
    path("children/<uuid:person_id>/", views.ChildView.as_view(), name="child"),
    path("children/<uuid:person_id>/preview/", views.PreviewView.as_view(), name="preview"),
    path("alerts/<uuid:alert_id>/refer/", views.ReferView.as_view(), name="refer"),
]
