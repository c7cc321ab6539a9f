from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="group_list"),
    path("groups/<uuid:group_id>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<uuid:group_id>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("groups/<uuid:group_id>/sessions/new/", views.SessionNewView.as_view(), name="session_new"),
    path("groups/<uuid:group_id>/visits/new/", views.VisitCreateView.as_view(), name="visit_new"),
    path("sessions/<uuid:session_id>/", views.SessionAttendanceView.as_view(), name="session_attendance"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<uuid:project_id>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_new"),
    path("events/<uuid:event_id>/", views.EventDetailView.as_view(), name="event_detail"),
    path("visits/<uuid:visit_id>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("seen/<uuid:seen_id>/case/", views.ChildSeenCaseView.as_view(), name="child_seen_case"),
    path("out-of-school/", views.OutOfSchoolListView.as_view(), name="out_of_school_list"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
]
