from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("unusual/", views.UnusualAccessView.as_view(), name="unusual_access"),
    path("people/<uuid:person_id>/", views.PersonAccessView.as_view(), name="person_access"),
    path("break-glass/people/<uuid:person_id>/", views.BreakGlassView.as_view(), name="break_glass"),
    path("break-glass/cases/<uuid:case_id>/", views.CaseBreakGlassView.as_view(), name="break_glass_case"),
]
