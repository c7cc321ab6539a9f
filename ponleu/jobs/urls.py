from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("<uuid:job_id>/cancel/", views.JobCancelView.as_view(), name="job_cancel"),
]
